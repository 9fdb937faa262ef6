// skein.yaml against its JSON Schema (the same file VS Code's YAML extension gets through `yamlValidation`),
// with ajv's errors turned into located messages that say what to write instead.
import Ajv, { type ErrorObject } from "ajv";
import addFormats from "ajv-formats";
import { Diagnostic, DiagnosticSeverity } from "vscode-languageserver";
import skeinYamlSchema from "../schema/skein-yaml.schema.json";
import { closestNames, didYouMeanText } from "../closest-names.ts";
import { withReplacements } from "../quick-fixes.ts";
import type { SkeinYamlDocument } from "./skein-yaml-document.ts";

const ajv = new Ajv({ allErrors: true, strict: false, verbose: true });
addFormats(ajv);
const validateSkeinYaml = ajv.compile(skeinYamlSchema);

export function schemaDiagnostics(yaml: SkeinYamlDocument): Diagnostic[] {
  if (yaml.value === undefined || yaml.value === null) return [];
  if (validateSkeinYaml(yaml.value)) return [];
  const errors = (validateSkeinYaml.errors ?? []).filter((error) => !insideOneOfBranch(error));
  const seen = new Set<string>();
  const diagnostics: Diagnostic[] = [];
  for (const error of errors) {
    const path = instancePath(error);
    const diagnostic = describe(yaml, error, path);
    const key = `${diagnostic.range.start.line}:${diagnostic.range.start.character}:${diagnostic.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      diagnostics.push(diagnostic);
    }
  }
  return diagnostics;
}

/** Errors from inside a oneOf's branches repeat what the oneOf error says better. */
const insideOneOfBranch = (error: ErrorObject): boolean => /\/oneOf\/\d+\//.test(error.schemaPath);

function instancePath(error: ErrorObject): (string | number)[] {
  return error.instancePath
    .split("/")
    .slice(1)
    .map((segment) => segment.replace(/~1/g, "/").replace(/~0/g, "~"))
    .map((segment) => (/^\d+$/.test(segment) ? Number(segment) : segment));
}

const where = (path: (string | number)[]): string =>
  path.length
    ? path
        .map((part) => (typeof part === "number" ? `[${part}]` : `.${part}`))
        .join("")
        .replace(/^\./, "")
    : "the file";

const comparisons: Record<string, string> = { exclusiveMinimum: ">", minimum: "≥", maximum: "≤" };

function describe(yaml: SkeinYamlDocument, error: ErrorObject, path: (string | number)[]): Diagnostic {
  const node = yaml.nodeAt(path);
  const at =
    (range = yaml.rangeOfNode(node), severity: DiagnosticSeverity = DiagnosticSeverity.Error) =>
    (message: string) =>
      Diagnostic.create(range, message, severity, `schema-${error.keyword}`, "skein");
  const params = error.params as Record<string, unknown>;
  const field = String(path[path.length - 1] ?? "");
  switch (error.keyword) {
    case "additionalProperties": {
      const key = String(params.additionalProperty);
      const allowed = Object.keys((error.parentSchema as { properties?: object } | undefined)?.properties ?? {});
      const keyNode = yaml.keyAt([...path, key]);
      const close = closestNames(key, allowed);
      const message = `Unknown key '${key}' in ${where(path)}.${didYouMeanText(close) || ` Allowed keys: ${allowed.join(", ")}.`}`;
      return withReplacements(at(yaml.rangeOfNode(keyNode ?? node))(message), keyNode ? close : []);
    }
    case "required":
      return at()(`${where(path)} is missing '${String(params.missingProperty)}'; add it`);
    case "type":
      return at()(`${where(path)} must be ${articled(String(params.type))}`);
    case "enum":
      return at()(
        `${where(path)} must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}`,
      );
    case "pattern":
      return field === "entrypoint"
        ? at()(
            "An entrypoint is `path/to/file.ts:exportName` or `path/to/file.ts:Class.method`, relative to skein.yaml",
          )
        : at()(`${where(path)} does not match ${String(params.pattern)}`);
    case "exclusiveMinimum":
    case "minimum":
    case "maximum":
      return at()(
        `${where(path)} must be ${comparisons[error.keyword]} ${String(params.limit)}${field === "interval" ? " (seconds between runs)" : ""}`,
      );
    case "minLength":
      return at()(`${where(path)} cannot be empty`);
    case "format":
      return at()(`${where(path)} must be a ${String(params.format)}, e.g. 2026-01-01T00:00:00Z`);
    case "oneOf":
      return path.includes("concurrency_limit")
        ? at()("concurrency_limit is a whole number ≥ 1, or { limit: N, collision_strategy: ENQUEUE | CANCEL_NEW }")
        : at()("A schedule needs exactly one of `cron`, `interval` or `rrule`");
    default:
      return at()(`${where(path)} ${error.message ?? "is invalid"}`);
  }
}

function articled(types: string): string {
  return types
    .split(",")
    .map((type) =>
      type === "object" ? "a mapping" : type === "array" ? "a list" : type === "null" ? "empty" : `a ${type}`,
    )
    .join(" or ");
}
