// The ajv instances behind the contracts' schemas. Query strings and paths arrive as text, so they are coerced
// ("limit=3" → 3); bodies are JSON and must already have the right types ({"ciphertext": 42} is a 400, not the
// string "42"). Answers are checked only when asked (tests): against the contract, with every described object
// closed, so a property the server sends but the contract does not list fails as surely as a missing one.
import AjvModule, { type AnySchema, type ValidateFunction } from "ajv";
import type { FastifyInstance } from "fastify";
import { ErrorBody } from "../protocol/api/common.ts";
import type { RouteContract } from "../protocol/api/contract.ts";
import { maxDepthKeyword } from "../protocol/api/input-limits.ts";
import { contractOf } from "./routes/route.ts";

// ajv ships CommonJS with a default export; under ESM interop it arrives as `.default`.
const Ajv = ((AjvModule as unknown as { default?: typeof AjvModule }).default ?? AjvModule) as typeof AjvModule;

export function installValidators(app: FastifyInstance): void {
  const common = { allErrors: false, discriminator: true, useDefaults: true, removeAdditional: false } as const;
  const forBodies = new Ajv({ ...common, coerceTypes: false }).addKeyword(maxDepthKeyword);
  const forText = new Ajv({ ...common, coerceTypes: "array" }).addKeyword(maxDepthKeyword);
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === "body" ? forBodies : forText).compile(schema));
}

export function installResponseCheck(app: FastifyInstance): void {
  const ajv = new Ajv({ allErrors: true, discriminator: true }).addKeyword(maxDepthKeyword);
  const checks = new Map<RouteContract, ValidateFunction>();
  const checkError = ajv.compile(closed(ErrorBody));
  const answerCheck = (contract: RouteContract) => {
    let check = checks.get(contract);
    if (!check) checks.set(contract, (check = ajv.compile(closed(contract.response))));
    return check;
  };
  app.addHook("onSend", async (request, reply, payload) => {
    const contract = contractOf(request);
    if (typeof payload !== "string" || contract?.stream) return payload;
    const check = reply.statusCode >= 400 || !contract ? checkError : answerCheck(contract);
    if (!check(JSON.parse(payload))) {
      const problems = (check.errors ?? []).map(
        (e) =>
          `${e.instancePath || "/"} ${e.message}${e.params.additionalProperty ? ` '${e.params.additionalProperty}'` : ""}`,
      );
      throw new Error(
        `the answer of ${request.method} ${request.url} (${reply.statusCode}) breaks its contract: ${problems.join("; ")}`,
      );
    }
    return payload;
  });
}

/** A copy of the schema in which every object that lists its properties allows no others. */
function closed(schema: AnySchema): AnySchema {
  if (Array.isArray(schema)) return schema.map(closed);
  if (typeof schema !== "object" || schema === null) return schema;
  const copy: Record<string, unknown> = Object.fromEntries(
    Object.entries(schema).map(([key, value]) => [key, key === "default" || key === "const" ? value : closed(value)]),
  );
  if ("properties" in copy && !("additionalProperties" in copy)) copy.additionalProperties = false;
  return copy;
}
