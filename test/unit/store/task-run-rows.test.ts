// A task_runs row as a TaskRunRecord (store/rows.ts, both SQL stores): the task's name is the stored one, and rows
// stored before task-run-created events carried it (task_name NULL) read it from their key.
import assert from "node:assert/strict";
import { test } from "node:test";
import { toTaskRun } from "../../../store/rows.ts";

const row = (fields: Record<string, unknown>) => ({
  id: "t1",
  flow_run_id: "f1",
  name: "load-0",
  task_name: null,
  task_key: "load@flows/etl.ts:3:14",
  dynamic_key: 0,
  upstream: "[]",
  tags: "[]",
  source: null,
  created_at: "2026-01-01T00:00:00.000Z",
  state_type: "COMPLETED",
  state_name: "Completed",
  state_message: null,
  state_timestamp: "2026-01-01T00:00:01.000Z",
  state_details: null,
  result: null,
  ...fields,
});

test("a row's stored task name is the record's, whatever its key says", () => {
  assert.equal(
    toTaskRun(row({ task_name: "notify@slack", task_key: "notify@slack@flows/etl.ts:3:14" })).taskName,
    "notify@slack",
  );
});

test("an older row without a task name reads it from its key: a task's, or a subflow's flow name", () => {
  assert.equal(toTaskRun(row({})).taskName, "load");
  assert.equal(toTaskRun(row({ task_key: "load" })).taskName, "load");
  assert.equal(toTaskRun(row({ task_key: "subflow:child-etl" })).taskName, "child-etl");
});
