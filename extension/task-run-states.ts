// What a finished flow run tells the language server's task lenses: for each task the flow called, the final state
// of its last task run. Folded from the run's events, which carry every state change of every task run.
import type { TaskRunStateEntry } from "../protocol/lsp.ts";
import type { RunEvent } from "../protocol/run-events.ts";
import { isTerminal, type State } from "../protocol/states.ts";

/**
 * Per task name, the final state of the last-created task run of the root flow run that reached one. Subflows'
 * task runs are left out: the language server pins these states on the tasks the run's own flow calls.
 */
export function lastTaskRunStates(events: RunEvent[]): TaskRunStateEntry[] {
  let rootFlowRunId: string | undefined;
  // Insertion order is creation order, so later task runs of a task overwrite earlier ones below.
  const taskRuns = new Map<string, { taskName: string; state: State }>();
  for (const event of events) {
    if (event.kind === "flow-run-created" && !event.parentFlowRunId) rootFlowRunId ??= event.flowRunId;
    else if (event.kind === "task-run-created" && event.flowRunId === rootFlowRunId) {
      taskRuns.set(event.taskRunId, { taskName: event.taskName, state: event.state });
    } else if (event.kind === "state" && event.runKind === "task") {
      const taskRun = taskRuns.get(event.runId);
      if (taskRun) taskRun.state = event.state;
    }
  }
  const byTaskName = new Map<string, TaskRunStateEntry["state"]>();
  for (const { taskName, state } of taskRuns.values()) {
    if (isTerminal(state.type))
      byTaskName.set(taskName, { type: state.type, name: state.name, timestamp: state.timestamp });
  }
  return [...byTaskName].map(([taskName, state]) => ({ taskName, state }));
}
