// The task key grammar the engine writes and the editor reads: a name and the place the task is defined.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { formatTaskKey, parseTaskKey } from "../../../protocol/task-keys.ts";

describe("task keys", () => {
  test("format and parse round-trip, whatever the file holds", () => {
    for (const file of ["flows/etl.ts", "C:/work/flows/etl.ts", "node_modules/@acme/tasks/index.ts", "my flows/a.ts"]) {
      const parts = { name: "load-rows", site: { file, line: 12, column: 27 } };
      assert.equal(formatTaskKey(parts), `load-rows@${file}:12:27`);
      assert.deepEqual(parseTaskKey(formatTaskKey(parts)), parts);
    }
  });

  test("a key without a place is the bare name", () => {
    assert.equal(formatTaskKey({ name: "greet" }), "greet");
    assert.deepEqual(parseTaskKey("greet"), { name: "greet" });
    assert.deepEqual(parseTaskKey("subflow:etl"), { name: "subflow:etl" });
  });
});
