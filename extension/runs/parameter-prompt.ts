// "Run with parameters…": asks for the flow's parameters as JSON, checked against the schema generated from the
// flow's TypeScript signature (the language server's for a lens, the stored one for a deployment) before anything
// runs.
import type * as vscodeApi from "vscode";
import type { FlowLensArgs } from "../../protocol/lsp.ts";
import type { ValidateFunction } from "../../protocol/parameter-validation.ts";

/** What the prompt needs of a flow: its name for the title and its parameters' schema. */
export type ParameterTarget = Pick<FlowLensArgs, "flowName" | "parameterSchema">;

export async function promptForParameters(
  vscode: typeof vscodeApi,
  args: ParameterTarget,
  defaults: Record<string, unknown> = {},
): Promise<Record<string, unknown> | undefined> {
  // Loaded on first use: Ajv would weigh on every activation for a command most sessions never run.
  const { parameterValidator } = await import("../../protocol/parameter-validation.ts");
  const validate = parameterValidator(args.parameterSchema);
  const text = await vscode.window.showInputBox({
    title: `Parameters for ${args.flowName}`,
    prompt: `A JSON object, e.g. ${JSON.stringify(exampleParameters(args))}`,
    value: JSON.stringify({ ...exampleParameters(args), ...defaults }),
    validateInput: (value) => parameterError(value, validate),
  });
  return text === undefined ? undefined : (JSON.parse(text) as Record<string, unknown>);
}

/** Why `text` is not a valid parameter object for the flow, or undefined when it is. */
export function parameterError(text: string, validate: ValidateFunction): string | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return `Not JSON: ${(error as Error).message}`;
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return "Parameters must be a JSON object.";
  if (validate(value)) return undefined;
  return (validate.errors ?? [])
    .map((e) => `${e.instancePath ? e.instancePath.slice(1) : "parameters"} ${e.message}`)
    .join("; ");
}

function exampleParameters(args: ParameterTarget): Record<string, unknown> {
  const example: Record<string, unknown> = {};
  for (const [name, schema] of Object.entries(args.parameterSchema.properties)) {
    const property = schema as { default?: unknown; type?: string };
    if (property.default !== undefined) example[name] = property.default;
    else if (args.parameterSchema.required?.includes(name)) example[name] = placeholderFor(property.type);
  }
  return example;
}

function placeholderFor(type: string | undefined): unknown {
  switch (type) {
    case "number":
    case "integer":
      return 0;
    case "boolean":
      return false;
    case "array":
      return [];
    case "object":
      return {};
    default:
      return "";
  }
}
