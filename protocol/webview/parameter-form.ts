// Messages between the extension and the parameter form (Run with parameters…, Debug with parameters…). The page
// says `ready` each time its script starts; the extension answers with the form (fields from the flow's JSON
// Schema, starting values, and the form's origin). Submit sends what the fields hold; the extension reads and
// checks it again (parameter-fields.ts, then the schema's validator) and either runs the flow or answers with
// errors per field. The page keeps the origin and the values typed in its webview state, which VS Code hands to
// the extension's serializer after a window reload, so the form comes back and Submit still does what it did.
// Messages and state from the page are untrusted input: `parseParameterFormRequest` and
// `parseParameterFormState` check them at the boundary.
import type { ParameterSchema } from "../lsp.ts";
import type { FieldValue, ParameterField } from "./parameter-fields.ts";

export const PARAMETER_FORM_VIEW_TYPE = "skein.parameterForm";

export type ParameterFormMessage =
  | {
      type: "form";
      /** The flow's name, shown as the form's title. */
      title: string;
      fields: ParameterField[];
      values: Record<string, FieldValue>;
      /** Parameters whose TypeScript type has no JSON form: the flow gets its own default for them. */
      unsupported: { name: string; reason: string }[];
      /** Kept by the page in its state, for the serializer. */
      origin: ParameterFormOrigin;
    }
  /** Why the submitted values were refused, by field name (an empty name: the parameters as a whole). */
  | { type: "errors"; errors: Record<string, string> };

export type ParameterFormRequest =
  | { type: "ready" }
  | { type: "cancel" }
  | { type: "submit"; values: Record<string, FieldValue> };

/** What Submit does: run or debug a flow (its file and export), or create a run of a deployment. */
export type ParameterFormAction =
  | { kind: "run" | "debug"; file: string; exportPath: string }
  | { kind: "deployment"; deploymentId: string };

/** What a form is for: enough to build it again and do what its Submit did, after a window reload. */
export interface ParameterFormOrigin {
  action: ParameterFormAction;
  /** The flow's name (a deployment's: flow/deployment), the form's title. */
  title: string;
  parameterSchema: ParameterSchema;
}

/** The page's webview state: the form's origin and what the fields hold. */
export interface ParameterFormState {
  origin: ParameterFormOrigin;
  values: Record<string, FieldValue>;
}

const MAX_FIELDS = 500;
const MAX_NAME = 200;
const MAX_VALUE = 1_000_000;
const MAX_PATH = 4096;
const MAX_SCHEMA = 1_000_000;

/** The request a page message stands for, or undefined when it is not a well-formed one. */
export function parseParameterFormRequest(message: unknown): ParameterFormRequest | undefined {
  if (typeof message !== "object" || message === null || Array.isArray(message)) return undefined;
  const fields = message as Record<string, unknown>;
  switch (fields.type) {
    case "ready":
    case "cancel":
      return { type: fields.type };
    case "submit": {
      const values = parseValues(fields.values);
      return values && { type: "submit", values };
    }
    default:
      return undefined;
  }
}

function parseValues(value: unknown): Record<string, FieldValue> | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  const entries = Object.entries(value);
  if (entries.length > MAX_FIELDS) return undefined;
  const wellFormed = entries.every(
    ([name, field]) =>
      name.length > 0 &&
      name.length <= MAX_NAME &&
      (typeof field === "boolean" || (typeof field === "string" && field.length <= MAX_VALUE)),
  );
  // fromEntries defines own properties: a field named __proto__ stays a field.
  return wellFormed ? (Object.fromEntries(entries) as Record<string, FieldValue>) : undefined;
}

/** The state a page saved, or undefined when it is not a well-formed one (foreign, older, or tampered with). */
export function parseParameterFormState(state: unknown): ParameterFormState | undefined {
  if (!isRecord(state)) return undefined;
  const origin = parseOrigin(state.origin);
  const values = parseValues(state.values);
  return origin && values && { origin, values };
}

function parseOrigin(value: unknown): ParameterFormOrigin | undefined {
  if (!isRecord(value) || !boundedString(value.title, MAX_NAME)) return undefined;
  const action = parseAction(value.action);
  const parameterSchema = parseSchema(value.parameterSchema);
  return action && parameterSchema && { action, title: value.title, parameterSchema };
}

function parseAction(value: unknown): ParameterFormAction | undefined {
  if (!isRecord(value)) return undefined;
  if ((value.kind === "run" || value.kind === "debug") && boundedString(value.file, MAX_PATH))
    return boundedString(value.exportPath, MAX_NAME)
      ? { kind: value.kind, file: value.file, exportPath: value.exportPath }
      : undefined;
  if (value.kind === "deployment" && boundedString(value.deploymentId, MAX_NAME))
    return { kind: "deployment", deploymentId: value.deploymentId };
  return undefined;
}

/** The shape the form reads; whether it is a valid JSON Schema is the validator's to say (it throws if not). */
function parseSchema(value: unknown): ParameterSchema | undefined {
  if (!isRecord(value) || value.type !== "object" || !isRecord(value.properties)) return undefined;
  if (JSON.stringify(value).length > MAX_SCHEMA) return undefined;
  const { required, unsupported } = value;
  if (required !== undefined && !(Array.isArray(required) && required.every((name) => typeof name === "string")))
    return undefined;
  if (
    unsupported !== undefined &&
    !(
      Array.isArray(unsupported) &&
      unsupported.every(
        (entry) => isRecord(entry) && typeof entry.name === "string" && typeof entry.reason === "string",
      )
    )
  )
    return undefined;
  return value as ParameterSchema;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function boundedString(value: unknown, max: number): value is string {
  return typeof value === "string" && value.length > 0 && value.length <= max;
}
