// The parameter form's fields, generated from a flow's parameter JSON Schema (protocol/lsp.ts ParameterSchema, as
// the language server derives it from the flow's signature), and the parameters read back from what the user
// entered. Shared by the form page (errors as the user submits) and the extension (which checks the submitted
// values again: they come from a webview). Strings, numbers and booleans get their own input, enums (also
// nullable ones) a select, and everything else (arrays, objects, unions, tuples) a JSON text area, so every
// schema the language server makes has a form.
import type { ParameterSchema } from "../lsp.ts";

interface FieldBase {
  name: string;
  required: boolean;
  description?: string;
}

export type ParameterField =
  | (FieldBase & { kind: "text"; format?: string })
  | (FieldBase & { kind: "number"; integer: boolean })
  | (FieldBase & { kind: "boolean" })
  /** Options' values are their JSON text, so enums of numbers, strings or null all fit in a select. */
  | (FieldBase & { kind: "select"; options: { label: string; value: string }[] })
  | (FieldBase & { kind: "json"; hint: string });

/** What a field holds as the user edits it: text (inputs, selects, text areas) or a checkbox's state. */
export type FieldValue = string | boolean;

export interface ParameterForm {
  fields: ParameterField[];
  /** Each field's starting value: the given default, else the schema's, else empty (unchecked for booleans). */
  values: Record<string, FieldValue>;
}

export type ReadResult =
  | { ok: true; parameters: Record<string, unknown> }
  | { ok: false; errors: Record<string, string> };

interface PropertySchema {
  type?: unknown;
  enum?: unknown[];
  anyOf?: PropertySchema[];
  format?: unknown;
  default?: unknown;
  description?: unknown;
}

/** The form of a schema; `defaults` (e.g. a deployment's parameters) win over the schema's own defaults. */
export function parameterForm(schema: ParameterSchema, defaults: Record<string, unknown> = {}): ParameterForm {
  const required = new Set(schema.required ?? []);
  const fields: ParameterField[] = [];
  const values: Record<string, FieldValue> = {};
  for (const [name, raw] of Object.entries(schema.properties)) {
    const property = (typeof raw === "object" && raw !== null ? raw : {}) as PropertySchema;
    const base: FieldBase = { name, required: required.has(name) };
    if (typeof property.description === "string") base.description = property.description;
    const field = fieldFor(base, property);
    fields.push(field);
    values[name] = startingValue(field, Object.hasOwn(defaults, name) ? defaults[name] : property.default);
  }
  return { fields, values };
}

function fieldFor(base: FieldBase, property: PropertySchema): ParameterField {
  const choices = enumChoices(property);
  if (choices) {
    return {
      ...base,
      kind: "select",
      options: choices.map((choice) => ({ label: JSON.stringify(choice), value: JSON.stringify(choice) })),
    };
  }
  switch (property.type) {
    case "string":
      return typeof property.format === "string"
        ? { ...base, kind: "text", format: property.format }
        : { ...base, kind: "text" };
    case "number":
    case "integer":
      return { ...base, kind: "number", integer: property.type === "integer" };
    case "boolean":
      return { ...base, kind: "boolean" };
    default:
      return { ...base, kind: "json", hint: typeof property.type === "string" ? property.type : "JSON value" };
  }
}

/** The values of an enum, or of an enum or null (`mode: Mode | null`); undefined for anything else. */
function enumChoices(property: PropertySchema): unknown[] | undefined {
  if (Array.isArray(property.enum)) return property.enum;
  const parts = property.anyOf;
  if (!Array.isArray(parts) || parts.length !== 2) return undefined;
  const values = parts.find((part) => Array.isArray(part.enum))?.enum;
  const nullable = parts.some((part) => part.type === "null");
  return values && nullable ? [...values, null] : undefined;
}

function startingValue(field: ParameterField, fallback: unknown): FieldValue {
  if (field.kind === "boolean") return fallback === true;
  if (fallback === undefined) return "";
  if (field.kind === "select" || field.kind === "json")
    return JSON.stringify(fallback, null, field.kind === "json" ? 2 : undefined);
  return String(fallback);
}

/** The parameters the values stand for, or why each field that is wrong is. Empty optional fields are left out. */
export function readParameters(fields: ParameterField[], values: Record<string, FieldValue>): ReadResult {
  const parameters: Record<string, unknown> = {};
  const errors: Record<string, string> = {};
  for (const field of fields) {
    const value = values[field.name];
    if (field.kind === "boolean") {
      // An unchecked optional box leaves the parameter out; the flow's own default (or undefined) applies.
      if (value === true || field.required) parameters[field.name] = value === true;
      continue;
    }
    const text = typeof value === "string" ? value : "";
    if (text.trim() === "") {
      if (field.required) errors[field.name] = "Required.";
      continue;
    }
    const read = readText(field, text);
    if ("error" in read) errors[field.name] = read.error;
    else parameters[field.name] = read.value;
  }
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, parameters };
}

function readText(
  field: Exclude<ParameterField, { kind: "boolean" }>,
  text: string,
): { value: unknown } | { error: string } {
  switch (field.kind) {
    case "text":
      return { value: text };
    case "number": {
      const number = Number(text.trim());
      if (!Number.isFinite(number)) return { error: "Not a number." };
      if (field.integer && !Number.isInteger(number)) return { error: "Must be a whole number." };
      return { value: number };
    }
    case "select":
      return field.options.some((option) => option.value === text)
        ? { value: JSON.parse(text) }
        : { error: "Not one of the choices." };
    case "json":
      try {
        return { value: JSON.parse(text) };
      } catch (error) {
        return { error: `Not JSON: ${(error as Error).message}` };
      }
  }
}
