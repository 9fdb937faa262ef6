import assert from "node:assert/strict";
import { test } from "node:test";
import { failureLocation } from "../../../extension/decorations/failure-location.ts";

const stack = [
  "Error: no rows for 2026-11-30",
  "    at throwIfEmpty (/ext/dist/engine/cli.mjs:10:5)",
  "    at file:///w/node_modules/lib/index.js:3:1",
  "    at node:internal/process/task_queues:95:5",
  "    at extract (/w/flows/etl%20jobs.ts:12:11)",
  "    at async load (/w/flows/etl.ts:20:3)",
].join("\n");

test("the first frame in user code is where a failed task raised its error (0-based line and column)", () => {
  const isUserFile = (file: string) => file.startsWith("/w/");
  assert.deepEqual(failureLocation(stack, isUserFile), {
    file: "/w/flows/etl jobs.ts",
    line: 11,
    column: 10,
    message: "Error: no rows for 2026-11-30",
  });
  assert.equal(failureLocation("TimeoutError: task timed out after 1s", isUserFile), undefined);
  assert.equal(
    failureLocation(stack, () => false),
    undefined,
  );
});
