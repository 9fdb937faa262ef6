import { test } from "node:test";
import assert from "node:assert/strict";
import { RunSnapshotReducer, taskRunsOf } from "../../../protocol/run-snapshot.ts";
import type { RunEvent } from "../../../protocol/run-events.ts";

const at = "2026-11-30T10:00:00.000Z";
const pending = { type: "PENDING", name: "Pending", timestamp: at } as const;
const running = { type: "RUNNING", name: "Running", timestamp: at } as const;
const completed = { type: "COMPLETED", name: "Completed", timestamp: at } as const;

const flowCreated: RunEvent = {
  kind: "flow-run-created",
  id: "e1",
  timestamp: at,
  flowRunId: "f",
  name: "brave-fox",
  flowName: "etl",
  parameters: { n: 1 },
  tags: [],
  pid: 1,
  state: pending,
};
const taskCreated: RunEvent = {
  kind: "task-run-created",
  id: "e2",
  timestamp: at,
  flowRunId: "f",
  taskRunId: "t",
  name: "load-0",
  taskName: "load",
  taskKey: "k",
  dynamicKey: 0,
  upstream: [],
  tags: [],
  state: pending,
};
const taskRunning: RunEvent = {
  kind: "state",
  id: "e3",
  timestamp: at,
  flowRunId: "f",
  runKind: "task",
  runId: "t",
  state: running,
};
const taskDone: RunEvent = {
  kind: "state",
  id: "e4",
  timestamp: at,
  flowRunId: "f",
  runKind: "task",
  runId: "t",
  state: completed,
  result: '{"json":2}',
};

test("folds a run's events into flow runs, task runs with state histories, logs and artifacts", () => {
  const reducer = new RunSnapshotReducer();
  reducer.apply([
    flowCreated,
    taskCreated,
    taskRunning,
    { kind: "log", id: "e5", timestamp: at, flowRunId: "f", taskRunId: "t", level: "info", logger: "x", message: "hi" },
    { kind: "artifact", id: "e6", timestamp: at, flowRunId: "f", artifactId: "a", type: "progress", data: 10 },
    {
      kind: "artifact-updated",
      id: "e7",
      timestamp: "2026-11-30T10:00:01.000Z",
      flowRunId: "f",
      artifactId: "a",
      data: 50,
    },
    taskDone,
  ]);
  const { snapshot } = reducer;
  assert.equal(snapshot.rootFlowRunId, "f");
  assert.deepEqual(
    snapshot.taskRuns.t.states.map((state) => state.name),
    ["Pending", "Running", "Completed"],
  );
  assert.equal(snapshot.taskRuns.t.result, '{"json":2}');
  // The task's name as the event carries it (the run is named load-0, the key is opaque).
  assert.equal(snapshot.taskRuns.t.taskName, "load");
  assert.equal(snapshot.logs[0].message, "hi");
  assert.equal(snapshot.artifacts.a.data, 50);
  assert.equal(snapshot.artifacts.a.updatedAt, "2026-11-30T10:00:01.000Z");
  assert.deepEqual(
    taskRunsOf(snapshot, "f").map((taskRun) => taskRun.id),
    ["t"],
  );
});

test("an event seen twice is applied once, and a state that comes before its run waits for it", () => {
  const reducer = new RunSnapshotReducer();
  assert.deepEqual(reducer.apply([taskRunning]), []);
  reducer.apply([flowCreated, taskCreated]);
  assert.equal(reducer.snapshot.taskRuns.t.state.name, "Running");
  assert.deepEqual(reducer.apply([taskRunning, taskDone, taskDone]), [taskDone]);
  assert.deepEqual(
    reducer.snapshot.taskRuns.t.states.map((state) => state.name),
    ["Pending", "Running", "Completed"],
  );
});
