// The one rule for reports that arrive after Crashed (store/event-fold.ts): they are stored in the run's history but
// do not change its current state or result, except a move the state table allows out of Crashed (AwaitingRetry,
// by `skein flow-run retry`). Whether the late report comes in a later batch or in the same one, on both backends.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { newId } from "../../../protocol/ids.ts";
import type { RunEvent } from "../../../protocol/run-events.ts";
import type { State, StateName } from "../../../protocol/states.ts";
import { STATE_NAMES } from "../../../protocol/states.ts";
import { BACKENDS } from "../../fixtures/server/backends.ts";
import { Clock, flowRunEvents } from "../../fixtures/server/events.ts";

function stateEvent(flowRunId: string, runKind: "flow" | "task", runId: string, name: StateName, at: string): RunEvent {
  const state: State = { type: STATE_NAMES[name], name, timestamp: at };
  const result = name === "Completed" ? JSON.stringify("late") : undefined;
  return { kind: "state", id: newId(), timestamp: at, flowRunId, runKind, runId, state, ...(result ? { result } : {}) };
}

for (const backend of BACKENDS) {
  describe(`Crashed is final for late reports (${backend.name})`, { skip: backend.skip }, () => {
    test("a late Completed after Crashed is history only; a retry still moves the run", async () => {
      const { store, dispose } = await backend.open();
      try {
        const clock = new Clock();
        const events = flowRunEvents({ tasks: 1, unfinished: true, clock });
        const flowRunId = events[0].flowRunId;
        const taskRun = events.find((e) => e.kind === "task-run-created")!;
        const taskRunId = taskRun.kind === "task-run-created" ? taskRun.taskRunId : "";
        // The task run is still Running: drop its Completed.
        await store.appendEvents(events.filter((e) => !(e.kind === "state" && e.state.name === "Completed")));
        await store.appendEvents([
          stateEvent(flowRunId, "flow", flowRunId, "Crashed", clock.next()),
          stateEvent(flowRunId, "task", taskRunId, "Crashed", clock.next()),
        ]);
        // The process was alive after all (a blocked event loop) and reports its end.
        await store.appendEvents([
          stateEvent(flowRunId, "task", taskRunId, "Completed", clock.next()),
          stateEvent(flowRunId, "flow", flowRunId, "Completed", clock.next()),
        ]);
        const run = (await store.getFlowRun(flowRunId))!;
        assert.equal(run.state.name, "Crashed");
        assert.equal(run.result, null, "a late result does not become the run's");
        const [task] = await store.listTaskRuns(flowRunId);
        assert.equal(task.state.name, "Crashed");
        assert.equal(task.result, null);
        assert.deepEqual((await store.listStates(flowRunId)).map((s) => s.name).slice(-2), ["Crashed", "Completed"]);
        assert.deepEqual((await store.listStates(taskRunId)).map((s) => s.name).slice(-2), ["Crashed", "Completed"]);

        // `skein flow-run retry`: AwaitingRetry is a move out of Crashed, and what follows it counts again.
        await store.appendEvents([
          stateEvent(flowRunId, "flow", flowRunId, "AwaitingRetry", clock.next()),
          stateEvent(flowRunId, "flow", flowRunId, "Retrying", clock.next()),
        ]);
        assert.equal((await store.getFlowRun(flowRunId))?.state.name, "Retrying");
      } finally {
        await dispose();
      }
    });

    test("within one batch, Crashed then Completed leaves the run Crashed", async () => {
      const { store, dispose } = await backend.open();
      try {
        const clock = new Clock();
        const events = flowRunEvents({ tasks: 0, unfinished: true, clock });
        const flowRunId = events[0].flowRunId;
        await store.appendEvents([
          ...events,
          stateEvent(flowRunId, "flow", flowRunId, "Crashed", clock.next()),
          stateEvent(flowRunId, "flow", flowRunId, "Completed", clock.next()),
        ]);
        assert.equal((await store.getFlowRun(flowRunId))?.state.name, "Crashed");
      } finally {
        await dispose();
      }
    });
  });
}
