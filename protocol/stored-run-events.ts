// A run read back through the API as the run events that would have made it, with the ids the live stream gives
// those events (a state's record id; `artifact-<id>` for an artifact, as the server's SQLite change feed mints it),
// so a reader that loads runs and follows the stream, in either order, can fold each event once. The one mapping of
// API records to run events: the run views load whole runs with it (extension/panels/run-source.ts), the inline
// states the task runs and logs of the latest runs (extension/decorations/task-activity-feed.ts).
import type { Static } from "typebox";
import type { ArtifactRecord } from "./api/artifacts.ts";
import type { StateRecord } from "./api/common.ts";
import type { FlowRun } from "./api/flow-runs.ts";
import type { LogRecord } from "./api/logs.ts";
import type { TaskRun } from "./api/task-runs.ts";
import type { RunEvent } from "./run-events.ts";
import type { State } from "./states.ts";

type StoredFlowRun = Static<typeof FlowRun>;
type StoredTaskRun = Static<typeof TaskRun>;
type StoredState = Static<typeof StateRecord>;

/**
 * A flow run created in the first state of its history, then moved through the others (the last carries the
 * run's result). Without a history it is created in its current state.
 */
export function flowRunEvents(run: StoredFlowRun, history: StoredState[]): RunEvent[] {
  const [first, ...later] = history.length > 0 ? history : [loadedState(run.id, run.state)];
  return [
    {
      kind: "flow-run-created",
      id: first.id,
      timestamp: run.createdAt,
      flowRunId: run.id,
      name: run.name,
      flowName: run.flowName,
      parameters: run.parameters,
      tags: run.tags,
      pid: run.pid,
      state: stateOf(first),
      ...(run.parentFlowRunId ? { parentFlowRunId: run.parentFlowRunId } : {}),
      ...(run.parentTaskRunId ? { parentTaskRunId: run.parentTaskRunId } : {}),
      ...(run.entrypoint ? { entrypoint: run.entrypoint } : {}),
      ...(run.host ? { host: run.host } : {}),
    },
    ...laterStates(run.id, "flow", run.id, later, run.result),
  ];
}

/**
 * A task run created in the first state of its history, then moved through the others. Without a history (not
 * read: too many task runs, or only its latest state matters) it is created in its current state, under an id of
 * its own (`loaded-<task run id>`) that no live event has.
 */
export function taskRunEvents(taskRun: StoredTaskRun, history: StoredState[] = []): RunEvent[] {
  const [created, ...changes] = history.length > 0 ? history : [loadedState(taskRun.id, taskRun.state)];
  return [
    {
      kind: "task-run-created",
      id: created.id,
      timestamp: taskRun.createdAt,
      flowRunId: taskRun.flowRunId,
      taskRunId: taskRun.id,
      name: taskRun.name,
      taskName: taskRun.taskName,
      taskKey: taskRun.taskKey,
      dynamicKey: taskRun.dynamicKey,
      upstream: taskRun.upstream,
      tags: taskRun.tags,
      // Where the task is defined: inline states, and the run view's "Go to source".
      source: taskRun.source ?? undefined,
      state: stateOf(created),
    },
    ...laterStates(taskRun.flowRunId, "task", taskRun.id, changes, taskRun.result),
  ];
}

/** A run's states after the one it was created in; the last carries the run's stored result. */
function laterStates(
  flowRunId: string,
  runKind: "flow" | "task",
  runId: string,
  states: StoredState[],
  result: string | null,
): RunEvent[] {
  return states.map((state, i) => ({
    kind: "state",
    id: state.id,
    timestamp: state.timestamp,
    flowRunId,
    runKind,
    runId,
    state: stateOf(state),
    ...(i === states.length - 1 && result !== null ? { result } : {}),
  }));
}

export function logEvents(logs: Static<typeof LogRecord>[]): RunEvent[] {
  return logs.map((log) => ({ kind: "log", ...log, taskRunId: log.taskRunId ?? undefined }));
}

/** Each artifact as created, then updated to its stored data when that changed since. */
export function artifactEvents(artifacts: Static<typeof ArtifactRecord>[]): RunEvent[] {
  const events: RunEvent[] = [];
  for (const artifact of artifacts) {
    events.push({
      kind: "artifact",
      id: `artifact-${artifact.id}`,
      timestamp: artifact.createdAt,
      flowRunId: artifact.flowRunId,
      artifactId: artifact.id,
      taskRunId: artifact.taskRunId ?? undefined,
      key: artifact.key ?? undefined,
      type: artifact.type,
      description: artifact.description ?? undefined,
      data: artifact.data,
    });
    if (artifact.updatedAt !== artifact.createdAt) {
      events.push({
        kind: "artifact-updated",
        id: `artifact-${artifact.id}-${artifact.updatedAt}`,
        timestamp: artifact.updatedAt,
        flowRunId: artifact.flowRunId,
        artifactId: artifact.id,
        data: artifact.data,
      });
    }
  }
  return events;
}

function loadedState(runId: string, state: State): StoredState {
  return { id: `loaded-${runId}`, runId, ...state };
}

function stateOf(record: StoredState): State {
  const { id: _id, runId: _runId, ...state } = record;
  return state as State;
}
