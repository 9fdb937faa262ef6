// The one entrypoint grammar: parse and format, and the JSON Schema pattern (the deployment API's and skein.yaml's)
// accepting exactly what parse accepts.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { ENTRYPOINT_PATTERN, formatEntrypoint, parseEntrypoint } from "../../../protocol/entrypoints.ts";
import { entrypoint as apiEntrypointSchema } from "../../../protocol/api/deployments.ts";

const valid: [string, string, string][] = [
  ["flows/etl.ts:etl", "flows/etl.ts", "etl"],
  ["flows/etl.ts:Pipelines.nightly", "flows/etl.ts", "Pipelines.nightly"],
  ["C:\\work\\flows\\etl.ts:etl", "C:\\work\\flows\\etl.ts", "etl"],
  ["a:b/etl.ts:$flow_1", "a:b/etl.ts", "$flow_1"],
  ["my flows/etl.ts:étape", "my flows/etl.ts", "étape"],
  ["a:etl", "a", "etl"],
];
const invalid = [
  "flows/etl.ts",
  "flows/etl.ts:",
  ":etl",
  " flows/etl.ts:etl",
  "flows/etl.ts:1abc",
  "flows/etl.ts:A.b.c",
  "flows/etl.ts:etl ",
  "C:\\work\\flows\\etl.ts",
  "flows/\netl.ts:etl",
];

describe("entrypoint grammar", () => {
  test("parse splits at the last colon and keeps Windows drives and colons in paths", () => {
    for (const [text, file, exportPath] of valid) {
      assert.deepEqual(parseEntrypoint(text), { file, exportPath }, text);
      assert.equal(formatEntrypoint({ file, exportPath }), text);
    }
    for (const text of invalid) assert.equal(parseEntrypoint(text), undefined, JSON.stringify(text));
  });

  test("the JSON Schema pattern accepts exactly what parse accepts", () => {
    const pattern = new RegExp(ENTRYPOINT_PATTERN, "u");
    for (const [text] of valid) assert.ok(pattern.test(text), text);
    for (const text of invalid) assert.ok(!pattern.test(text), JSON.stringify(text));
  });

  test("the deployment API and skein.yaml's JSON Schema use that pattern", () => {
    assert.equal((apiEntrypointSchema as { pattern?: string }).pattern, ENTRYPOINT_PATTERN);
    const file = path.join(import.meta.dirname, "../../../protocol/skein-yaml/skein-yaml.schema.json");
    const schema = JSON.parse(fs.readFileSync(file, "utf8"));
    assert.equal(
      schema.definitions.deployment.properties.entrypoint.pattern,
      ENTRYPOINT_PATTERN,
      "skein-yaml.schema.json is static JSON (VS Code's YAML extension reads it): copy ENTRYPOINT_PATTERN into it",
    );
  });
});
