// How flow parameters are checked against their JSON Schema, wherever that happens: `skein run` and the server's
// deployment checks (engine), skein.yaml (language server) and "Run with parameters…" (extension). The schemas
// come from the language server's generator, which writes draft 2020-12 (`prefixItems` for tuples) and formats
// (`date-time` for Date): one Ajv setup for all, so a value one part accepts no other part refuses.
import Ajv2020Module, { type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";

export type { ErrorObject, ValidateFunction };

// CommonJS default exports arrive as `.default` under ESM interop.
const Ajv2020 = ((Ajv2020Module as unknown as { default?: typeof Ajv2020Module }).default ??
  Ajv2020Module) as typeof Ajv2020Module;
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ??
  addFormatsModule) as typeof addFormatsModule;

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
    ajv = new Ajv2020({ allErrors: true, strict: false });
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
