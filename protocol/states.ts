// Run states, as Prefect models them: a small set of types that drive orchestration, and the named states
// users see. Shared by the engine, the extension and the webview.

export const STATE_TYPES = [
  "SCHEDULED",
  "PENDING",
  "RUNNING",
  "COMPLETED",
  "FAILED",
  "CANCELLED",
  "CRASHED",
  "PAUSED",
  "CANCELLING",
] as const;
export type StateType = (typeof STATE_TYPES)[number];

/** Every named state and the type it belongs to. */
export const STATE_NAMES = {
  Scheduled: "SCHEDULED",
  Late: "SCHEDULED",
  AwaitingRetry: "SCHEDULED",
  Pending: "PENDING",
  NotReady: "PENDING",
  Running: "RUNNING",
  Retrying: "RUNNING",
  Completed: "COMPLETED",
  Cached: "COMPLETED",
  Failed: "FAILED",
  TimedOut: "FAILED",
  Crashed: "CRASHED",
  Cancelling: "CANCELLING",
  Cancelled: "CANCELLED",
  Paused: "PAUSED",
} as const satisfies Record<string, StateType>;
export type StateName = keyof typeof STATE_NAMES;

export const TERMINAL_STATE_TYPES: readonly StateType[] = ["COMPLETED", "FAILED", "CANCELLED", "CRASHED"];

export interface State {
  type: StateType;
  name: StateName;
  message?: string;
  /** ISO 8601. */
  timestamp: string;
  /** Extra facts a state carries, e.g. which cache key hit, or when an AwaitingRetry run is due. */
  details?: StateDetails;
}

export interface StateDetails {
  cacheKey?: string;
  /** The task run whose stored result a Cached state reuses. */
  cachedFromTaskRunId?: string;
  /** ISO 8601 time an AwaitingRetry / Scheduled run is due. */
  scheduledTime?: string;
  /** The error that ended a FAILED / CRASHED run, as text with its stack. */
  error?: string;
  /** For NotReady: the upstream task run that did not complete. */
  upstreamTaskRunId?: string;
}

export function isTerminal(type: StateType): boolean {
  return TERMINAL_STATE_TYPES.includes(type);
}

/** A state a run stays in: terminal, or NotReady (a task whose upstream failed never runs). */
export function isFinal(state: State): boolean {
  return isTerminal(state.type) || state.name === "NotReady";
}

/** How Prefect prints a state: `Completed()`, `Failed('message')`. */
export function formatState(state: State): string {
  return `${state.name}(${state.message ? `'${state.message}'` : ""})`;
}
