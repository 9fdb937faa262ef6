import { test } from "node:test";
import assert from "node:assert/strict";
import { createRunEventFormatter } from "../../../protocol/run-event-text.ts";
import { formatState, isFinal } from "../../../protocol/states.ts";
import type { RunEvent } from "../../../protocol/run-events.ts";

const at = "2026-11-21T10:11:12.345Z";

test("states print the way Prefect prints them", () => {
  assert.equal(formatState({ type: "COMPLETED", name: "Completed", timestamp: at }), "Completed()");
  assert.equal(
    formatState({ type: "FAILED", name: "TimedOut", message: "took 2s", timestamp: at }),
    "TimedOut('took 2s')",
  );
});

test("NotReady is final although its type is PENDING", () => {
  assert.equal(isFinal({ type: "PENDING", name: "NotReady", timestamp: at }), true);
  assert.equal(isFinal({ type: "PENDING", name: "Pending", timestamp: at }), false);
  assert.equal(isFinal({ type: "CRASHED", name: "Crashed", timestamp: at }), true);
});

test("task runs are named in later lines; failures are errors; non-final states say nothing", () => {
  const format = createRunEventFormatter();
  const events: RunEvent[] = [
    {
      kind: "task-run-created",
      id: "1",
      timestamp: at,
      flowRunId: "f",
      taskRunId: "t",
      name: "load-0",
      taskName: "load",
      taskKey: "k",
      dynamicKey: 0,
      upstream: [],
      tags: [],
      state: { type: "PENDING", name: "Pending", timestamp: at },
    },
    {
      kind: "state",
      id: "2",
      timestamp: at,
      flowRunId: "f",
      runKind: "task",
      runId: "t",
      state: { type: "RUNNING", name: "Running", timestamp: at },
    },
    {
      kind: "state",
      id: "3",
      timestamp: at,
      flowRunId: "f",
      runKind: "task",
      runId: "t",
      state: { type: "FAILED", name: "Failed", message: "boom", timestamp: at },
    },
    {
      kind: "log",
      id: "4",
      timestamp: at,
      flowRunId: "f",
      taskRunId: "t",
      level: "warning",
      logger: "x",
      message: "careful",
    },
  ];
  assert.deepEqual(events.map(format), [
    undefined,
    undefined,
    "10:11:12.345 | ERROR    | Task run 'load-0' - Finished in state Failed('boom')",
    "10:11:12.345 | WARNING  | Task run 'load-0' - careful",
  ]);
});

test("a flow run created elsewhere is named as its caller names it, not by its id", () => {
  const state = { type: "COMPLETED", name: "Completed", timestamp: at } as const;
  const finished: RunEvent = {
    kind: "state",
    id: "s",
    timestamp: at,
    flowRunId: "f9",
    runKind: "flow",
    runId: "f9",
    state,
  };
  assert.equal(createRunEventFormatter()(finished), "10:11:12.345 | INFO     | f9 - Finished in state Completed()");
  assert.equal(
    createRunEventFormatter((id) => (id === "f9" ? "brave-otter" : undefined))(finished),
    "10:11:12.345 | INFO     | Flow run 'brave-otter' - Finished in state Completed()",
  );
});
