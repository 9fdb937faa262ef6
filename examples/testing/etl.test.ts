// Testing your flows with skein/testing (Prefect's prefect_test_harness): each test file gets its own temporary
// store, so you can run flows for real and assert on their states, task runs and logs.
//   node --import tsx --test examples/testing/etl.test.ts
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { runFlow } from "skein";
import { startTestHarness, type TestHarness } from "skein/testing";
import { etl, transform } from "../etl.ts";

let harness: TestHarness;
before(async () => {
  harness = await startTestHarness();
});
after(async () => {
  await harness.close();
});

test("etl completes and loads every row", async () => {
  const state = await runFlow(etl, ["2024-01-01"], { returnState: true });
  assert.equal(state.type, "COMPLETED");
  assert.deepEqual(state.result(), { date: "2024-01-01", total: 180 });
  const taskRuns = await harness.taskRuns(state.runId);
  // load failed once and was retried: its one task run ends Completed.
  assert.deepEqual(taskRuns.map((run) => `${run.name} ${run.state.name}`), ["extract-0 Completed", "transform-0 Completed", "load-0 Completed"]);
  const logs = await harness.logs(state.runId);
  assert.ok(logs.some((log) => log.message === "loaded 5 rows"));
});

test("a second run with the same date reuses the cached extract", async () => {
  const state = await runFlow(etl, ["2024-01-01"], { returnState: true });
  const [extract] = await harness.taskRuns(state.runId);
  assert.equal(extract.state.name, "Cached");
});

test("bad parameters fail the run and name the parameter", async () => {
  const state = await runFlow(etl, ["yesterday"], { returnState: true });
  assert.equal(state.name, "Failed");
  assert.match(state.message ?? "", /parameter 'date' must match format "date"/);
});

test("the bare function of a task, without orchestration: t.fn", () => {
  const rows = [{ id: 1, amount: 10, day: new Date(0) }];
  assert.equal(transform.fn(rows)[0].amount, 12);
});
