// How flow parameters are checked against their JSON Schema, wherever that happens: `skein run` and the server's
// deployment checks (engine), skein.yaml (language server) and "Run with parameters…" (extension). The schemas
// come from the language server's generator, which writes draft 2020-12 (`prefixItems` for tuples) and formats
// (`date-time` for Date): one Ajv setup for all, so a value one part accepts no other part refuses.
// Schemas come from users, so their `pattern`s run on RE2 (re2js, pure JS: linear time, no native build): a
// backtracking pattern such as `^(a+)+$` would otherwise block the server or the language server for seconds.
import Ajv2020Module, { type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { RE2JS } from "re2js";

export type { ErrorObject, ValidateFunction };

// CommonJS default exports arrive as `.default` under ESM interop.
const Ajv2020 = ((Ajv2020Module as unknown as { default?: typeof Ajv2020Module }).default ??
  Ajv2020Module) as typeof Ajv2020Module;
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ??
  addFormatsModule) as typeof addFormatsModule;

/**
 * Ajv's regular-expression engine: RE2, which runs in time linear in the input and refuses what needs
 * backtracking (lookarounds, backreferences): such a schema is reported invalid instead of freezing a process.
 * ECMAScript's `\uXXXX` and `\u{X}` escapes are spelled `\x{X}` in RE2.
 */
function linearTimeRegExp(pattern: string): RE2JS {
  return RE2JS.compile(
    pattern.replace(/\\(?:u\{([0-9a-fA-F]+)\}|u([0-9a-fA-F]{4})|.)/gs, (sequence, braced, four) =>
      braced || four ? `\\x{${braced ?? four}}` : sequence,
    ),
  );
}
// Only standalone code generation reads this; Skein compiles schemas at run time.
linearTimeRegExp.code = 'require("re2js").RE2JS.compile';

/** Compiling is the expensive part and flows rarely change shape; a long-running server still sees many schemas. */
const MAX_CACHED = 500;
let ajv: InstanceType<typeof Ajv2020> | undefined;
const compiled = new Map<string, { schema: object; validate: ValidateFunction }>();

/** The validator of a parameter schema, compiled once per schema text. Throws when it is not a valid JSON Schema. */
export function parameterValidator(schema: object): ValidateFunction {
  const key = JSON.stringify(schema);
  const cached = compiled.get(key);
  if (cached) return cached.validate;
  if (!ajv) {
    ajv = new Ajv2020({ allErrors: true, strict: false, code: { regExp: linearTimeRegExp } });
    addFormats(ajv);
  }
  const validate = ajv.compile(schema);
  if (compiled.size >= MAX_CACHED) {
    const [oldestKey, oldest] = compiled.entries().next().value!;
    compiled.delete(oldestKey);
    ajv.removeSchema(oldest.schema);
  }
  compiled.set(key, { schema, validate });
  return validate;
}

/**
 * The schema of a flow's parameters, refusing names it does not list. A flow takes only its own parameters (the
 * engine refuses any other name when the run starts), so a run asked for with a misspelt name is refused then and
 * there instead of crashing once a worker starts it. A schema without `properties`, or that says itself what other
 * names may do, is left as it is.
 */
export function closedParameterSchema(schema: object): object {
  return "properties" in schema && !("additionalProperties" in schema)
    ? { ...schema, additionalProperties: false }
    : schema;
}

/**
 * One line per bad parameter, e.g. "parameter 'count' must be integer", "parameter 'date' is required",
 * "parameter 'colour' is unknown".
 */
export function parameterErrorLines(errors: readonly ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map((error) => {
    const path = error.instancePath.split("/").filter(Boolean);
    const missing = error.keyword === "required" ? (error.params.missingProperty as string) : undefined;
    const extra = error.keyword === "additionalProperties" ? (error.params.additionalProperty as string) : undefined;
    const where = [...path, ...(missing ? [missing] : []), ...(extra ? [extra] : [])].join(".") || "(parameters)";
    const problem = missing ? "is required" : extra ? "is unknown" : (error.message ?? "is invalid");
    return `parameter '${where}' ${problem}`;
  });
}

/**
 * The first error of each bad parameter, by its name (e.g. the parameter form's fields): "Required." for a
 * missing one, else the message with the path inside the parameter ("1 must be number" for a tuple's item);
 * "" names the parameters as a whole.
 */
export function parameterErrorsByName(errors: readonly ErrorObject[] | null | undefined): Record<string, string> {
  const byName: Record<string, string> = {};
  for (const error of errors ?? []) {
    const [name = "", ...inside] = error.instancePath.split("/").filter(Boolean);
    const missing = error.keyword === "required" ? (error.params.missingProperty as string) : undefined;
    if (!name && missing) byName[missing] ??= "Required.";
    else byName[name] ??= [...(inside.length > 0 ? [inside.join("/")] : []), error.message ?? "is invalid"].join(" ");
  }
  return byName;
}
