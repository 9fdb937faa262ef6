// The server's orchestration by the state table: which runs a crash ends (the run and its unfinished task runs,
// never a final or NotReady one) and when a cancellation request is recorded.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { makeState } from "../../../../engine/states.ts";
import type { StateName } from "../../../../protocol/states.ts";
import type { FlowRunRecord, TaskRunRecord } from "../../../../store/types.ts";
import { crashedEventsForDeadRun } from "../../../../server/orchestration/crash-dead-run.ts";
import { requestFlowRunCancellation } from "../../../../server/orchestration/cancel-flow-run.ts";
import { flowRunRecord } from "../../../fixtures/records.ts";

function flowRun(state: StateName): FlowRunRecord {
  return flowRunRecord({
    id: "run-1",
    name: "run",
    pid: 4242,
    host: "elsewhere",
    createdAt: "2026-01-01T00:00:00.000Z",
    state: makeState(state),
  });
}

function taskRun(id: string, state: StateName): TaskRunRecord {
  return {
    id,
    flowRunId: "run-1",
    name: id,
    taskName: id,
    taskKey: id,
    dynamicKey: 0,
    upstream: [],
    tags: [],
    source: null,
    createdAt: "",
    state: makeState(state),
    result: null,
  };
}

describe("server orchestration", () => {
  test("a dead run ends Crashed with its unfinished task runs; final and NotReady task runs keep their state", async () => {
    const tasks = ["Running", "AwaitingRetry", "Pending", "Completed", "Cached", "Failed", "NotReady"].map((state) =>
      taskRun(state, state as StateName),
    );
    const events = await crashedEventsForDeadRun({ listTaskRuns: async () => tasks }, flowRun("Running"));
    assert.deepEqual(
      events.map((event) => event.kind === "state" && [event.runKind, event.runId, event.state.name]),
      [
        ["flow", "run-1", "Crashed"],
        ["task", "Running", "Crashed"],
        ["task", "AwaitingRetry", "Crashed"],
        ["task", "Pending", "Crashed"],
      ],
    );
  });

  test("a run that has already ended is not crashed", async () => {
    const events = await crashedEventsForDeadRun(
      { listTaskRuns: async () => [taskRun("t", "Running")] },
      flowRun("Completed"),
    );
    assert.deepEqual(events, []);
  });

  test("cancellation is requested for a run CancelRun can end, and not for a finished one", async () => {
    const requested: string[] = [];
    const store = {
      requestCancellation: async (id: string) => void requested.push(id),
      appendEvents: async () => assert.fail("a run its process holds is cancelled by that process"),
    };
    const running = await requestFlowRunCancellation(store, flowRun("Running"));
    assert.equal(running.cancelRequested, true);
    assert.deepEqual(requested, ["run-1"]);
    const completed = await requestFlowRunCancellation(store, flowRun("Completed"));
    assert.equal(completed.cancelRequested, false);
    assert.equal(completed.state.name, "Completed");
    assert.deepEqual(requested, ["run-1"]);
  });
});
