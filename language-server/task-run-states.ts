// Where the task lenses get "the last run's state". No run store is reachable from the language server yet, so
// the only source reads nothing and task lenses stay hidden; a real source plugs in through this interface.

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

export const noTaskRunStates: TaskRunStateSource = {
  lastState: () => undefined,
};
