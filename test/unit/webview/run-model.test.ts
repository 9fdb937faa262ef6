import { test } from "node:test";
import assert from "node:assert/strict";
import { RunModel } from "../../../webview/run-model.ts";

const at = "2026-11-21T10:11:12.345Z";

test("rows follow flow and task runs to their latest state; events for unknown runs are ignored", () => {
  const model = new RunModel();
  model.apply({
    kind: "flow-run-created",
    id: "1",
    timestamp: at,
    flowRunId: "f",
    name: "brave-fox",
    flowName: "etl",
    parameters: {},
    tags: [],
    pid: 1,
    state: { type: "PENDING", name: "Pending", timestamp: at },
  });
  model.apply({
    kind: "task-run-created",
    id: "2",
    timestamp: at,
    flowRunId: "f",
    taskRunId: "t",
    name: "load-0",
    taskKey: "k",
    dynamicKey: 0,
    upstream: [],
    tags: [],
    state: { type: "PENDING", name: "Pending", timestamp: at },
  });
  model.apply({
    kind: "state",
    id: "3",
    timestamp: at,
    flowRunId: "f",
    runKind: "task",
    runId: "t",
    state: { type: "COMPLETED", name: "Cached", timestamp: at },
  });
  model.apply({
    kind: "state",
    id: "4",
    timestamp: at,
    flowRunId: "f",
    runKind: "task",
    runId: "unknown",
    state: { type: "FAILED", name: "Failed", timestamp: at },
  });
  assert.deepEqual(
    model.list().map((row) => [row.kind, row.name, row.state.name]),
    [
      ["flow", "brave-fox", "Pending"],
      ["task", "load-0", "Cached"],
    ],
  );
});
