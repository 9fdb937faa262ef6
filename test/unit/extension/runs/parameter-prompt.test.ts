import { test } from "node:test";
import assert from "node:assert/strict";
import { parameterError } from "../../../../extension/runs/parameter-prompt.ts";
import { analyseSource } from "../../../../language-server/discovery.ts";
import { parameterValidator } from "../../../../protocol/parameter-validation.ts";

// The schema the prompt really gets: the language server's, generated from a flow's signature.
const [flow] = analyseSource(
  "/ws/flows.ts",
  `import { flow } from "skein";
export const etl = flow(async (date: string, pair: [string, number], limit?: number, at?: Date) => 1);`,
).declarations;
const validate = parameterValidator(flow.parameterSchema);

test("valid parameters pass, tuples and dates included", () => {
  assert.equal(
    parameterError('{"date":"2026-01-01","pair":["a",1],"limit":3,"at":"2026-01-01T08:00:00Z"}', validate),
    undefined,
  );
});

test("text that is not JSON says so", () => {
  assert.match(parameterError("{date:", validate)!, /^Not JSON/);
});

test("a JSON value that is not an object is refused", () => {
  assert.equal(parameterError("[1]", validate), "Parameters must be a JSON object.");
});

test("schema errors name the parameter, down to a tuple's item and a date's format", () => {
  assert.match(parameterError('{"date":"x","pair":["a",1],"limit":"many"}', validate)!, /limit must be number/);
  assert.match(parameterError('{"pair":["a",1]}', validate)!, /must have required property 'date'/);
  assert.match(parameterError('{"date":"x","pair":["a","b"]}', validate)!, /pair\/1 must be number/);
  assert.match(
    parameterError('{"date":"x","pair":["a",1],"at":"not a date"}', validate)!,
    /at must match format "date-time"/,
  );
});
