// The Open Cron Pattern Specification's conformance vectors (test/fixtures/ocps-cron, copied from
// open-source-cron/ocps): each pattern as the cron of a one-deployment skein.yaml, read by the shared model.
// A parse-reject vector must carry an error on its line; every other vector must carry none.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import { readSkeinYaml } from "../../../protocol/skein-yaml/model.ts";
import { CRON_DIALECT } from "../../../protocol/schedules.ts";

interface Vector {
  ocps: { version: string; type: string; pattern: string; description: string };
  text: string;
  line: number | null;
}
const vectors: Record<string, Vector> = JSON.parse(
  fs.readFileSync(path.join(import.meta.dirname, "../../fixtures/ocps-cron/cases.json"), "utf8"),
);

describe(`OCPS ${CRON_DIALECT.version} conformance vectors`, () => {
  it("covers every version up to the one Skein claims", () => {
    const versions = new Set(Object.values(vectors).map((vector) => vector.ocps.version));
    assert.ok(versions.has(CRON_DIALECT.version));
  });
  for (const [name, vector] of Object.entries(vectors)) {
    it(`${name}: ${vector.ocps.type} '${vector.ocps.pattern}'`, () => {
      const errors = readSkeinYaml("/w/skein.yaml", vector.text).findings.filter((f) => f.severity === "error");
      if (vector.line === null) assert.deepEqual(errors, [], vector.ocps.description);
      else
        assert.deepEqual(
          errors.map((error) => [error.range.start.line, error.code]),
          [[vector.line, "invalid-cron"]],
          vector.ocps.description,
        );
    });
  }
});
