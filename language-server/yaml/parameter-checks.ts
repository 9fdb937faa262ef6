// A deployment's `parameters` against the flow's parameter schema: unknown names, required parameters left
// out, and values of the wrong type, each at the offending key or value.
import { Diagnostic, DiagnosticSeverity } from "vscode-languageserver";
import { parameterValidator, type ErrorObject, type ValidateFunction } from "../../protocol/parameter-validation.ts";
import { closestNames, didYouMeanText } from "../../protocol/closest-names.ts";
import { withReplacements } from "../quick-fixes.ts";
import type { Declaration } from "../model.ts";
import { isTemplate } from "../../protocol/skein-yaml/model.ts";
import type { DeploymentEntry, SkeinYamlDocument } from "../../protocol/skein-yaml/document.ts";

function validatorFor(schema: unknown): ValidateFunction | undefined {
  try {
    return parameterValidator(schema as object);
  } catch {
    return undefined; // a schema Ajv cannot compile checks nothing rather than failing the whole file
  }
}

export function parameterDiagnostics(
  yaml: SkeinYamlDocument,
  deployment: DeploymentEntry,
  flow: Declaration,
): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const base = ["deployments", deployment.index];
  const schema = flow.parameterSchema;
  const given = deployment.value.parameters;
  const parameters =
    given && typeof given === "object" && !Array.isArray(given) ? (given as Record<string, unknown>) : {};
  const known = [...Object.keys(schema.properties), ...(schema.unsupported ?? []).map((p) => p.name)];
  const signature = known.length ? `its parameters are ${known.join(", ")}` : "it takes no parameters";

  for (const [name, value] of Object.entries(parameters)) {
    const path = [...base, "parameters", name];
    if (!known.includes(name)) {
      const keyNode = yaml.keyAt(path);
      const close = closestNames(
        name,
        known.filter((candidate) => !(candidate in parameters)),
      );
      diagnostics.push(
        withReplacements(
          Diagnostic.create(
            yaml.rangeOfNode(keyNode ?? yaml.nodeAt(path)),
            `Flow '${flow.name}' has no parameter '${name}': ${signature}.${didYouMeanText(close)}`,
            DiagnosticSeverity.Error,
            "unknown-parameter",
            "skein",
          ),
          keyNode ? close : [],
        ),
      );
      continue;
    }
    const property = schema.properties[name];
    const validate = property ? validatorFor(property) : undefined;
    if (validate && !isTemplate(value) && !validate(value)) {
      for (const error of relevantErrors(validate.errors ?? [])) {
        const inner = error.instancePath
          .split("/")
          .slice(1)
          .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
        const node = yaml.nodeAt([...path, ...inner]) ?? yaml.nodeAt(path);
        diagnostics.push(
          Diagnostic.create(
            yaml.rangeOfNode(node),
            `Parameter '${name}${error.instancePath.replace(/\//g, ".")}' ${describeError(error)} (flow '${flow.name}' declares ${name}: ${typeOf(flow, name)})`,
            DiagnosticSeverity.Error,
            "wrong-parameter-type",
            "skein",
          ),
        );
      }
    }
  }

  for (const name of schema.required ?? []) {
    if (name in parameters) continue;
    const anchor = yaml.keyAt([...base, "parameters"]) ?? yaml.nodeAt([...base, "entrypoint"]);
    diagnostics.push(
      Diagnostic.create(
        yaml.rangeOfNode(anchor),
        `Flow '${flow.name}' requires parameter '${name}' (${typeOf(flow, name)}), which has no value here; add it under parameters, or every run must pass it`,
        DiagnosticSeverity.Warning,
        "missing-parameter",
        "skein",
      ),
    );
  }
  return diagnostics;
}

/** Branch errors of anyOf repeat the anyOf's own error. */
const relevantErrors = (errors: ErrorObject[]): ErrorObject[] => {
  const withoutBranches = errors.filter((error) => !/\/anyOf\/\d+\//.test(error.schemaPath));
  return withoutBranches.length ? withoutBranches.slice(0, 3) : errors.slice(0, 1);
};

function describeError(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case "type":
      return `must be ${String(params.type) === "object" ? "a mapping" : String(params.type) === "array" ? "a list" : `a ${String(params.type)}`}`;
    case "enum":
      return `must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}`;
    case "const":
      return `must be ${JSON.stringify(params.allowedValue)}`;
    case "required":
      return `is missing '${String(params.missingProperty)}'`;
    case "format":
      return `must be a ${String(params.format)} such as 2026-01-01T00:00:00Z`;
    case "anyOf":
      return "matches none of the types the flow accepts";
    default:
      return error.message ?? "is invalid";
  }
}

const typeOf = (flow: Declaration, name: string): string =>
  flow.parameters.find((parameter) => parameter.name === name)?.typeText ?? "untyped";
