// skein.yaml against its JSON Schema (the same file VS Code's YAML extension gets through `yamlValidation`),
// with ajv's errors turned into located findings that say what to write instead.
import Ajv, { type ErrorObject } from "ajv";
import addFormats from "ajv-formats";
import { closestNames, didYouMeanText } from "../closest-names.ts";
import type { Finding, Range, SkeinYamlDocument } from "./document.ts";
import skeinYamlSchema from "./skein-yaml.schema.json";

export { skeinYamlSchema };

const ajv = new Ajv({ allErrors: true, strict: false, verbose: true });
addFormats(ajv);
const validateSkeinYaml = ajv.compile(skeinYamlSchema);

export function schemaFindings(yaml: SkeinYamlDocument): Finding[] {
  if (yaml.value === undefined || yaml.value === null) return [];
  if (validateSkeinYaml(yaml.value)) return [];
  const errors = (validateSkeinYaml.errors ?? []).filter((error) => !insideOneOfBranch(error));
  const seen = new Set<string>();
  const findings: Finding[] = [];
  for (const error of errors) {
    const path = instancePath(error);
    const finding = describe(yaml, error, path);
    const key = `${finding.range.start.line}:${finding.range.start.character}:${finding.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      findings.push(finding);
    }
  }
  return findings;
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

function describe(yaml: SkeinYamlDocument, error: ErrorObject, path: (string | number)[]): Finding {
  const node = yaml.nodeAt(path);
  const at =
    (range: Range = yaml.rangeOfNode(node), replacements?: string[]) =>
    (message: string): Finding => ({
      range,
      message,
      severity: "error",
      code: `schema-${error.keyword}`,
      ...(replacements?.length ? { replacements } : {}),
    });
  const params = error.params as Record<string, unknown>;
  const field = String(path[path.length - 1] ?? "");
  switch (error.keyword) {
    case "additionalProperties": {
      const key = String(params.additionalProperty);
      const allowed = Object.keys((error.parentSchema as { properties?: object } | undefined)?.properties ?? {});
      const keyNode = yaml.keyAt([...path, key]);
      const close = closestNames(key, allowed);
      // A schedule key Skein does not read would change nothing, as Prefect silently drops it: say so.
      const dropped =
        path.includes("schedules") || path.includes("schedule")
          ? " A schedule key that is not read would be ignored."
          : "";
      const message = `Unknown key '${key}' in ${where(path)}.${dropped}${didYouMeanText(close) || ` Allowed keys: ${allowed.join(", ")}.`}`;
      return at(yaml.rangeOfNode(keyNode ?? node), keyNode ? close : [])(message);
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
        : at()(
            "A schedule needs exactly one of `cron`, `interval` or `rrule` (`schedule: {}` alone means no schedule)",
          );
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
