// The parameter form's last check, in the extension: the schema's errors by parameter name, for the schema the
// language server really makes from a flow's signature.
import { test } from "node:test";
import assert from "node:assert/strict";
import { analyseSource } from "../../../language-server/discovery.ts";
import { parameterErrorsByName, parameterValidator } from "../../../protocol/parameter-validation.ts";

const [flow] = analyseSource(
  "/ws/flows.ts",
  `import { flow } from "skein";
export const etl = flow(async (date: string, pair: [string, number], limit?: number, at?: Date) => 1);`,
).declarations;
const validate = parameterValidator(flow.parameterSchema);
const errorsOf = (parameters: object) => (validate(parameters) ? undefined : parameterErrorsByName(validate.errors));

test("valid parameters pass, tuples and dates included", () => {
  assert.equal(errorsOf({ date: "2026-01-01", pair: ["a", 1], limit: 3, at: "2026-01-01T08:00:00Z" }), undefined);
});

test("errors are keyed by parameter, down to a tuple's item and a date's format", () => {
  assert.deepEqual(errorsOf({ date: "x", pair: ["a", 1], limit: "many" }), { limit: "must be number" });
  assert.deepEqual(errorsOf({ pair: ["a", 1] }), { date: "Required." });
  assert.deepEqual(errorsOf({ date: "x", pair: ["a", "b"] }), { pair: "1 must be number" });
  assert.deepEqual(errorsOf({ date: "x", pair: ["a", 1], at: "not a date" }), { at: 'must match format "date-time"' });
});
