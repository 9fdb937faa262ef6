// Parameter schemas come from users, so their patterns run on a linear-time engine (RE2): what would backtrack
// answers at once, and what RE2 cannot run (lookarounds, backreferences) is refused as an invalid schema.
import { test } from "node:test";
import assert from "node:assert/strict";
import { parameterValidator } from "../../../protocol/parameter-validation.ts";

const withPattern = (pattern: string) => ({
  type: "object",
  properties: { code: { type: "string", pattern } },
});

test("a pattern that backtracks catastrophically answers without backtracking", () => {
  const validate = parameterValidator(withPattern("^(a+)+$"));
  // 2^50 steps for a backtracking engine: this test would not finish.
  assert.equal(validate({ code: `${"a".repeat(50)}!` }), false);
  assert.match(validate.errors?.[0]?.message ?? "", /must match pattern/);
  assert.equal(validate({ code: "a".repeat(50) }), true);
});

test("patterns search anywhere unless anchored, as in JSON Schema, with ECMAScript escapes", () => {
  const validate = parameterValidator(withPattern("\\d{3}-\\u00e9"));
  assert.equal(validate({ code: "zip 021-é here" }), true);
  assert.equal(validate({ code: "021-e" }), false);
  assert.equal(parameterValidator(withPattern("^\\\\u0041$"))({ code: "\\u0041" }), true, "an escaped backslash");
});

test("a pattern RE2 cannot run in linear time is refused as an invalid schema", () => {
  assert.throws(() => parameterValidator(withPattern("^(?=a)a$")), /invalid or unsupported Perl syntax/);
  assert.throws(() => parameterValidator(withPattern("^(a)\\1$")), /invalid escape sequence/);
});
