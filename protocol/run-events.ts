// The events a run process emits while flows and tasks run. The engine persists each one to the store (its `id`
// makes replays idempotent) and streams them to consumers: `skein run --output jsonl` prints one per line.
import type { State } from "./states.ts";

export type RunKind = "flow" | "task";
export type LogLevel = "debug" | "info" | "warning" | "error" | "critical";
export const LOG_LEVELS: readonly LogLevel[] = ["debug", "info", "warning", "error", "critical"];

export type ArtifactType = "markdown" | "table" | "link" | "progress" | "image";

/**
 * Where a task (or, for a subflow's task run, its flow) is defined, as the engine saw it when the definition ran
 * (engine/definition-site.ts). `file` is relative to the project root (the nearest folder with a package.json)
 * with `/` separators: the same text the task key holds, stable across machines and checkouts. `absoluteFile` is
 * the path on the machine that ran it, so an editor on that machine opens the file without guessing the root.
 * Line and column are 1-based, of the `task(` / `flow(` call (or the decorator).
 */
export interface SourceSite {
  file: string;
  line: number;
  column: number;
  absoluteFile?: string;
}

interface EventBase {
  /** Unique per event: storing an event twice keeps one copy. */
  id: string;
  /** ISO 8601. */
  timestamp: string;
  flowRunId: string;
}

export interface FlowRunCreatedEvent extends EventBase {
  kind: "flow-run-created";
  name: string;
  flowName: string;
  parameters: Record<string, unknown>;
  tags: string[];
  parentFlowRunId?: string;
  /** The task run that stands for this subflow in its parent flow run. */
  parentTaskRunId?: string;
  /** `path/to/file.ts:exportName` when started by `skein run`, so the run can be retried from the store. */
  entrypoint?: string;
  /** The run process; with the heartbeat it tells whether a RUNNING run is still alive. */
  pid: number;
  /** The machine the run process runs on (its hostname): only there can its pid be checked. */
  host?: string;
  state: State;
}

export interface TaskRunCreatedEvent extends EventBase {
  kind: "task-run-created";
  taskRunId: string;
  /** The task run's name (`taskRunName`, else `<task name>-<call count>`). */
  name: string;
  /**
   * The task's name (its `name` option, else the function's), which the editor matches to the task's definition;
   * for the task run that stands for a subflow, the subflow's flow name.
   */
  taskName: string;
  /** Stable identity of the task within its flow (name + source location): an identity, never parsed for parts. */
  taskKey: string;
  /** Counts the calls of one task within a flow run: (taskKey, dynamicKey) names a task run across retries. */
  dynamicKey: number;
  /** Task runs this one waited for (data or waitFor), for the task graph. */
  upstream: string[];
  tags: string[];
  /** Where the task is defined; absent when the engine could not see it (code without a file, e.g. eval). */
  source?: SourceSite;
  state: State;
}

/**
 * The arguments a task run was called with, once its upstream values are known (before it runs or reuses a result),
 * so the run can be rerun from this task or the task debugged again with them. Stored with the task run, never in
 * lists (`skein task-run inputs`, `GET /api/task-runs/:id/inputs`).
 */
export interface TaskRunInputsEvent extends EventBase {
  kind: "task-run-inputs";
  taskRunId: string;
  /**
   * The arguments by parameter name, as one serialized object (engine/results/serialize.ts); absent when they were
   * not stored, and then `notStoredReason` says why (too large, a secret value, not serializable, turned off).
   */
  inputs?: string;
  notStoredReason?: string;
}

export interface StateChangedEvent extends EventBase {
  kind: "state";
  runKind: RunKind;
  /** A flow run id or a task run id. */
  runId: string;
  state: State;
  /** The run's result in Skein's serialized form (see engine/results/serialize.ts), on COMPLETED when persisted. */
  result?: string;
}

export interface LogEvent extends EventBase {
  kind: "log";
  taskRunId?: string;
  level: LogLevel;
  logger: string;
  message: string;
}

export interface ArtifactCreatedEvent extends EventBase {
  kind: "artifact";
  artifactId: string;
  taskRunId?: string;
  key?: string;
  type: ArtifactType;
  description?: string;
  data: unknown;
}

export interface ArtifactUpdatedEvent extends EventBase {
  kind: "artifact-updated";
  artifactId: string;
  data: unknown;
}

export type RunEvent =
  | FlowRunCreatedEvent
  | TaskRunCreatedEvent
  | TaskRunInputsEvent
  | StateChangedEvent
  | LogEvent
  | ArtifactCreatedEvent
  | ArtifactUpdatedEvent;
