import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { RunEvent } from "../../../protocol/run-events.ts";
import type { State, StateName } from "../../../protocol/states.ts";
import { STATE_NAMES } from "../../../protocol/states.ts";
import { formatTaskKey } from "../../../protocol/task-keys.ts";
import { lastTaskRunStates } from "../../../extension/task-run-states.ts";

let sequence = 0;
const stamp = () => `2026-11-21T09:00:${String(sequence++).padStart(2, "0")}.000Z`;
const state = (name: StateName): State => ({ type: STATE_NAMES[name], name, timestamp: stamp() });
const base = (flowRunId: string) => ({ id: `e${sequence}`, timestamp: stamp(), flowRunId });

const flowRun = (flowRunId: string, parentFlowRunId?: string): RunEvent => ({
  ...base(flowRunId),
  kind: "flow-run-created",
  name: "brave-fox",
  flowName: "etl",
  parameters: {},
  tags: [],
  pid: 1,
  parentFlowRunId,
  state: state("Pending"),
});
/** A task run of the task `taskName` defined at `file:line` (its key formatted as the engine does). */
const taskRun = (flowRunId: string, taskRunId: string, taskName: string, name: StateName = "Pending"): RunEvent => ({
  ...base(flowRunId),
  kind: "task-run-created",
  taskRunId,
  name: `${taskRunId}-templated`,
  taskName,
  taskKey: formatTaskKey({ name: taskName, site: { file: "flows/etl.ts", line: taskName.length, column: 22 } }),
  dynamicKey: 0,
  upstream: [],
  tags: [],
  state: state(name),
});
const change = (flowRunId: string, runId: string, name: StateName, runKind: "flow" | "task" = "task"): RunEvent => ({
  ...base(flowRunId),
  kind: "state",
  runKind,
  runId,
  state: state(name),
});

const summary = (events: RunEvent[]) => lastTaskRunStates(events).map(({ taskName, state }) => [taskName, state.name]);

describe("task run states of a finished flow run", () => {
  it("gives each task the final state of its last task run, in creation order", () => {
    const events = [
      flowRun("f1"),
      taskRun("f1", "t1", "greet"),
      taskRun("f1", "t2", "greet"),
      taskRun("f1", "t3", "shout"),
      change("f1", "t1", "Running"),
      change("f1", "t2", "Running"),
      change("f1", "t2", "Failed"),
      change("f1", "t1", "Completed"),
      change("f1", "t3", "Cached"),
      change("f1", "f1", "Failed", "flow"),
    ];
    assert.deepEqual(summary(events), [
      ["greet", "Failed"],
      ["shout", "Cached"],
    ]);
    const [greet] = lastTaskRunStates(events);
    assert.deepEqual(greet.state, {
      type: "FAILED",
      name: "Failed",
      timestamp: (events[6] as { state: State }).state.timestamp,
    });
  });

  it("falls back to an earlier task run when the last one never finished, and skips tasks that never did", () => {
    const events = [
      flowRun("f1"),
      taskRun("f1", "t1", "greet"),
      change("f1", "t1", "Completed"),
      taskRun("f1", "t2", "greet"),
      change("f1", "t2", "Running"),
      taskRun("f1", "t3", "shout"),
      change("f1", "t3", "AwaitingRetry"),
    ];
    assert.deepEqual(summary(events), [["greet", "Completed"]]);
  });

  it("counts a task run created in a final state (a cache hit)", () => {
    assert.deepEqual(summary([flowRun("f1"), taskRun("f1", "t1", "greet", "Cached")]), [["greet", "Cached"]]);
  });

  it("leaves out the task runs of subflows", () => {
    const events = [
      flowRun("f1"),
      flowRun("f2", "f1"),
      taskRun("f2", "t1", "inner"),
      change("f2", "t1", "Completed"),
      taskRun("f1", "t2", "outer"),
      change("f1", "t2", "Completed"),
    ];
    assert.deepEqual(summary(events), [["outer", "Completed"]]);
  });

  it("names each task by the name its task runs carry, even one with @ in it", () => {
    const events = [flowRun("f1"), taskRun("f1", "t1", "notify@slack", "Completed")];
    assert.deepEqual(summary(events), [["notify@slack", "Completed"]]);
  });

  it("has nothing to say about a run that never started", () => {
    assert.deepEqual(lastTaskRunStates([]), []);
  });
});
