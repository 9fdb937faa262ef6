import { test } from "node:test";
import assert from "node:assert/strict";
import Ajv from "ajv";
import { parameterError } from "../../../extension/parameter-prompt.ts";

const validate = new Ajv({ allErrors: true }).compile({
  type: "object",
  properties: { date: { type: "string" }, limit: { type: "integer" } },
  required: ["date"],
  additionalProperties: false,
});

test("valid parameters pass", () => {
  assert.equal(parameterError('{"date":"2026-01-01","limit":3}', validate), undefined);
});

test("text that is not JSON says so", () => {
  assert.match(parameterError("{date:", validate)!, /^Not JSON/);
});

test("a JSON value that is not an object is refused", () => {
  assert.equal(parameterError("[1]", validate), "Parameters must be a JSON object.");
});

test("schema errors name the parameter", () => {
  assert.match(parameterError('{"date":"x","limit":"many"}', validate)!, /limit must be integer/);
  assert.match(parameterError("{}", validate)!, /must have required property 'date'/);
});
