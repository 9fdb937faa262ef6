// Where the task lenses get "the last run's state". The extension reports the final task states of every flow run it
// starts (skein/taskRunStates, by task run-time name); they are pinned here onto the task declarations that flow
// calls, which may live in other files, and kept in memory for the server's lifetime.
import type { TaskRunStatesParams } from "../protocol/lsp.ts";
import type { WorkspaceIndex } from "./workspace-index.ts";

/** A run state as the engine reports it, e.g. { type: "COMPLETED", name: "Cached" }. */
export interface RunState {
  type: string;
  name: string;
  timestamp?: string;
}

export interface TaskRunStateSource {
  /** The last state of a task, identified by its file and run-time name; undefined when unknown. */
  lastState(file: string, taskName: string): RunState | undefined;
}

/** Task states reported by the extension; a later report of the same task replaces the earlier one. */
export class ReportedTaskRunStates implements TaskRunStateSource {
  private readonly states = new Map<string, RunState>();

  constructor(private readonly index: WorkspaceIndex) {}

  /**
   * Records a flow run's task states on the tasks the flow calls. `params` comes off the wire unchecked: anything
   * malformed is ignored whole. Returns whether any task's state changed, i.e. whether task lenses need a refresh.
   */
  report(params: unknown): boolean {
    if (!isTaskRunStatesParams(params)) return false;
    const flow = this.index.findExport(params.flowFile, params.flowExportPath);
    if (flow?.kind !== "flow") return false;
    const calledTasks = this.index.tasksCalledBy(params.flowFile, flow);
    let recorded = false;
    for (const { taskName, state } of params.states) {
      for (const task of calledTasks.filter(({ declaration }) => declaration.name === taskName)) {
        this.states.set(stateKey(task.file, taskName), {
          type: state.type,
          name: state.name,
          timestamp: state.timestamp,
        });
        recorded = true;
      }
    }
    return recorded;
  }

  lastState(file: string, taskName: string): RunState | undefined {
    return this.states.get(stateKey(file, taskName));
  }
}

const stateKey = (file: string, taskName: string): string => `${file}\0${taskName}`;

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null;

function isTaskRunStatesParams(value: unknown): value is TaskRunStatesParams {
  return (
    isRecord(value) &&
    typeof value.flowFile === "string" &&
    typeof value.flowExportPath === "string" &&
    Array.isArray(value.states) &&
    value.states.every(
      (entry) =>
        isRecord(entry) &&
        typeof entry.taskName === "string" &&
        isRecord(entry.state) &&
        typeof entry.state.type === "string" &&
        typeof entry.state.name === "string" &&
        typeof entry.state.timestamp === "string",
    )
  );
}
