// A subflow run shows in its parent flow run as a task run that mirrors the subflow's state, so the parent's
// task graph and retries see it like any other call.
import { newId } from "../protocol/ids.ts";
import type { State } from "../protocol/states.ts";
import { subflowTaskKey } from "../protocol/task-keys.ts";
import type { RunScope } from "./context.ts";
import type { FlowDefinition } from "./flow.ts";
import { emit } from "./runtime.ts";
import { nextState } from "./states.ts";

export class SubflowTaskRun {
  readonly id = newId();
  private readonly name: string;
  private readonly dynamicKey: number;
  private readonly taskKey: string;
  private state: State = nextState(undefined, "Pending");

  constructor(
    private readonly parent: RunScope,
    private readonly flow: FlowDefinition,
  ) {
    this.taskKey = subflowTaskKey(flow.name);
    this.dynamicKey = parent.flowRun.nextDynamicKey(this.taskKey);
    this.name = `${flow.name}-${this.dynamicKey}`;
  }

  start(childFlowRunId: string): void {
    emit({
      kind: "task-run-created",
      id: newId(),
      timestamp: this.state.timestamp,
      flowRunId: this.parent.flowRun.id,
      taskRunId: this.id,
      name: this.name,
      taskName: this.flow.name,
      taskKey: this.taskKey,
      dynamicKey: this.dynamicKey,
      upstream: [],
      tags: [`subflow-run:${childFlowRunId}`],
      source: this.flow.source,
      state: this.state,
    });
  }

  running(state: State): void {
    if (this.state.type !== "RUNNING") this.mirror(state);
  }

  finish(state: State): void {
    this.mirror(state);
  }

  private mirror(childState: State): void {
    const state = nextState(this.state, childState.name, childState.message);
    this.state = state;
    emit({
      kind: "state",
      id: newId(),
      timestamp: state.timestamp,
      flowRunId: this.parent.flowRun.id,
      runKind: "task",
      runId: this.id,
      state,
    });
  }
}
