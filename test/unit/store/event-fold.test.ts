// The fold of an event batch into rows (store/event-fold.ts), which both SQL stores write: a pure unit, no database.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { RunEvent } from "../../../protocol/run-events.ts";
import type { State, StateName, StateType } from "../../../protocol/states.ts";
import {
  ARTIFACT_COLUMNS,
  FLOW_RUN_COLUMNS,
  foldEvents,
  historyEntry,
  historyMarker,
  LOG_COLUMNS,
  STATE_COLUMNS,
  TASK_RUN_COLUMNS,
  type SqlValue,
} from "../../../store/event-fold.ts";

const at = (second: number) => `2026-01-01T00:00:${String(second).padStart(2, "0")}.000Z`;
const state = (type: StateType, name: StateName, second: number): State => ({ type, name, timestamp: at(second) });

function flowRunCreated(flowRunId: string, second = 0): RunEvent {
  return {
    kind: "flow-run-created",
    id: `created-${flowRunId}`,
    timestamp: at(second),
    flowRunId,
    name: "run",
    flowName: "etl",
    parameters: { date: "2026-01-01" },
    tags: ["nightly"],
    pid: 42,
    state: state("PENDING", "Pending", second),
  };
}

function taskRunCreated(taskRunId: string, second = 0): RunEvent {
  return {
    kind: "task-run-created",
    id: `created-${taskRunId}`,
    timestamp: at(second),
    flowRunId: "f1",
    taskRunId,
    name: "extract",
    taskName: "extract",
    taskKey: "extract@etl.ts:3",
    dynamicKey: 0,
    upstream: [],
    tags: [],
    state: state("PENDING", "Pending", second),
  };
}

function moved(id: string, runKind: "flow" | "task", runId: string, to: State, result?: string): RunEvent {
  return { kind: "state", id, timestamp: to.timestamp, flowRunId: "f1", runKind, runId, state: to, result };
}

function log(id: string, message: string): RunEvent {
  return { kind: "log", id, timestamp: at(5), flowRunId: "f1", level: "info", logger: "etl", message };
}

function artifactUpdated(id: string, artifactId: string, second: number, data: unknown): RunEvent {
  return { kind: "artifact-updated", id, timestamp: at(second), flowRunId: "f1", artifactId, data };
}

/** A row as an object keyed by its columns, so tests read by name. */
function named(columns: readonly string[], row: SqlValue[]): Record<string, SqlValue> {
  assert.equal(row.length, columns.length, "a row fills every column");
  return Object.fromEntries(columns.map((column, i) => [column, row[i]]));
}

test("a run created and moved within the batch is one row with its latest state; task states go inline", () => {
  const writes = foldEvents([
    flowRunCreated("f1"),
    moved("s1", "flow", "f1", state("RUNNING", "Running", 1)),
    taskRunCreated("t1", 2),
    moved("s2", "task", "t1", state("RUNNING", "Running", 3)),
    moved("s3", "task", "t1", state("COMPLETED", "Completed", 4), '{"value":1}'),
    moved("s4", "flow", "f1", state("COMPLETED", "Completed", 5), '{"value":2}'),
  ]);
  assert.equal(writes.flowRuns.length, 1);
  const flowRun = named(FLOW_RUN_COLUMNS, writes.flowRuns[0]);
  assert.equal(flowRun.state_name, "Completed");
  assert.equal(flowRun.state_timestamp, at(5));
  assert.equal(flowRun.result, '{"value":2}');
  assert.equal(flowRun.parameters, '{"date":"2026-01-01"}');
  assert.equal(flowRun.host, null);
  // A flow run's every state is a row of `states`, the created one first.
  assert.deepEqual(
    writes.states.map((row) => named(STATE_COLUMNS, row)).map((s) => [s.id, s.run_id, s.name]),
    [
      ["created-f1", "f1", "Pending"],
      ["s1", "f1", "Running"],
      ["s4", "f1", "Completed"],
    ],
  );
  assert.equal(writes.taskRuns.length, 1);
  const taskRun = named(TASK_RUN_COLUMNS, writes.taskRuns[0]);
  assert.equal(taskRun.state_name, "Completed");
  assert.equal(taskRun.result, '{"value":1}');
  assert.deepEqual(
    JSON.parse(String(taskRun.history)).map((entry: { id: string; name: string }) => [entry.id, entry.name]),
    [
      ["created-t1", "Pending"],
      ["s2", "Running"],
      ["s3", "Completed"],
    ],
  );
  // Nothing is left to update: both runs were inserted with their latest state.
  assert.deepEqual(writes.flowRunStates, []);
  assert.deepEqual(writes.taskRunStates, []);
});

test("states of runs stored by earlier batches become updates, in run id order", () => {
  const writes = foldEvents([
    moved("a1", "task", "t2", state("RUNNING", "Running", 1)),
    moved("b1", "flow", "f2", state("RUNNING", "Running", 1)),
    moved("a2", "task", "t2", state("FAILED", "Failed", 2)),
    moved("c1", "task", "t1", state("COMPLETED", "Completed", 3), '"done"'),
    moved("b2", "flow", "f1", state("CANCELLED", "Cancelled", 4)),
    moved("b3", "flow", "f2", state("COMPLETED", "Completed", 5), '"ok"'),
  ]);
  assert.deepEqual(writes.flowRuns, []);
  assert.deepEqual(writes.taskRuns, []);
  assert.deepEqual(
    writes.flowRunStates.map((u) => [u.runId, u.state[1], u.state[3], u.result]),
    [
      ["f1", "Cancelled", at(4), null],
      ["f2", "Completed", at(5), '"ok"'],
    ],
  );
  assert.deepEqual(
    writes.taskRunStates.map((u) => [u.runId, u.state[1], u.result]),
    [
      ["t1", "Completed", '"done"'],
      ["t2", "Failed", null],
    ],
  );
  const t2 = writes.taskRunStates[1];
  assert.deepEqual(
    JSON.parse(`[${t2.entries}]`).map((entry: { id: string }) => entry.id),
    ["a1", "a2"],
  );
  // The marker is the first new entry's id as the history holds it, so a replayed batch appends nothing.
  assert.ok(t2.entries.includes(t2.marker));
  assert.equal(t2.marker, '"id":"a1"');
  // Flow run states are rows of `states` as well as updates of the run.
  assert.deepEqual(
    writes.states.map((row) => row[0]),
    ["b1", "b2", "b3"],
  );
});

test("an event id repeated within a batch is stored once", () => {
  const writes = foldEvents([
    taskRunCreated("t1"),
    log("l1", "first"),
    moved("s1", "task", "t1", state("RUNNING", "Running", 1)),
    log("l1", "first"),
    moved("s1", "task", "t1", state("RUNNING", "Running", 1)),
    moved("s2", "task", "t9", state("RUNNING", "Running", 1)),
    moved("s2", "task", "t9", state("RUNNING", "Running", 1)),
  ]);
  assert.deepEqual(
    writes.logs.map((row) => named(LOG_COLUMNS, row).message),
    ["first"],
  );
  const history = JSON.parse(String(named(TASK_RUN_COLUMNS, writes.taskRuns[0]).history));
  assert.deepEqual(
    history.map((entry: { id: string }) => entry.id),
    ["created-t1", "s1"],
  );
  assert.deepEqual(JSON.parse(`[${writes.taskRunStates[0].entries}]`).length, 1);
});

test("artifacts: created in batch order; of their updates the newest wins, whatever the batch order", () => {
  const writes = foldEvents([
    artifactUpdated("u1", "a1", 3, { progress: 30 }),
    {
      kind: "artifact",
      id: "e1",
      artifactId: "a1",
      timestamp: at(1),
      flowRunId: "f1",
      type: "progress",
      data: { progress: 0 },
    },
    artifactUpdated("u2", "a1", 2, { progress: 20 }),
    artifactUpdated("u3", "a0", 4, { progress: 40 }),
    artifactUpdated("u4", "a0", 4, { progress: 41 }),
  ]);
  const artifact = named(ARTIFACT_COLUMNS, writes.artifacts[0]);
  assert.deepEqual(
    [artifact.id, artifact.data, artifact.key, artifact.updated_at],
    ["a1", '{"progress":0}', null, at(1)],
  );
  assert.deepEqual(writes.artifactUpdates, [
    { artifactId: "a0", data: '{"progress":41}', updatedAt: at(4) },
    { artifactId: "a1", data: '{"progress":30}', updatedAt: at(3) },
  ]);
});

test("history entries are JSON of the event id and the state, with any text escaped", () => {
  const plain = state("COMPLETED", "Completed", 1);
  assert.deepEqual(JSON.parse(historyEntry("e1", plain)), { id: "e1", ...plain });
  const quotedName = { ...plain, name: 'Com"pleted\\' as StateName };
  assert.deepEqual(JSON.parse(historyEntry("e2", quotedName)), { id: "e2", ...quotedName });
  const detailed = { ...plain, message: "line\nbreak", details: { cacheKey: "k" } };
  assert.deepEqual(JSON.parse(historyEntry("e3", detailed)), { id: "e3", ...detailed });
  const quotedId = 'id"with\\quote';
  const entry = historyEntry(quotedId, plain);
  assert.deepEqual(JSON.parse(entry).id, quotedId);
  assert.ok(entry.includes(historyMarker(quotedId)));
});
