// Two ajv instances: query strings and paths arrive as text, so they are coerced ("limit=3" → 3); bodies are
// JSON and must already have the right types ({"ciphertext": 42} is a 400, not the string "42").
import AjvModule from "ajv";
import type { FastifyInstance } from "fastify";

// ajv ships CommonJS with a default export; under ESM interop it arrives as `.default`.
const Ajv = ((AjvModule as unknown as { default?: typeof AjvModule }).default ?? AjvModule) as typeof AjvModule;

export function installValidators(app: FastifyInstance): void {
  const common = { allErrors: false, discriminator: true, useDefaults: true, removeAdditional: false } as const;
  const forBodies = new Ajv({ ...common, coerceTypes: false });
  const forText = new Ajv({ ...common, coerceTypes: "array" });
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === "body" ? forBodies : forText).compile(schema));
}
