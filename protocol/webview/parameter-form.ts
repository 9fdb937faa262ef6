// Messages between the extension and the parameter form (Run with parameters…, Debug with parameters…). The page
// says `ready` each time its script starts; the extension answers with the form (fields from the flow's JSON
// Schema, starting values). Submit sends what the fields hold; the extension reads and checks it again
// (parameter-fields.ts, then the schema's validator) and either runs the flow or answers with errors per field.
// Messages from the page are untrusted input: `parseParameterFormRequest` checks each one at the boundary.
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
    }
  /** Why the submitted values were refused, by field name (an empty name: the parameters as a whole). */
  | { type: "errors"; errors: Record<string, string> };

export type ParameterFormRequest =
  | { type: "ready" }
  | { type: "cancel" }
  | { type: "submit"; values: Record<string, FieldValue> };

const MAX_FIELDS = 500;
const MAX_NAME = 200;
const MAX_VALUE = 1_000_000;

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
