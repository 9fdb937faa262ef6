// Run states, as Prefect models them: a small set of types that drive orchestration, the named states users see,
// and the one table of named rules that says which state may follow which. Shared by the engine, the server, the
// extension and the webview, so it imports nothing from node.

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
  AwaitingConcurrencySlot: "SCHEDULED",
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

/** Where a run's history starts: the from-side of the rule that creates a run. */
export const NEW_RUN = "new run";
export type TransitionFrom = StateName | typeof NEW_RUN;

/** One orchestration rule, as Prefect names its policies: the moves it allows, and why they exist. */
export interface TransitionRule {
  readonly name: string;
  readonly from: readonly TransitionFrom[];
  readonly to: readonly StateName[];
  readonly why: string;
}

/** Every state a run can still leave on its own: a crash can end a run in any of them. */
const UNFINISHED: readonly StateName[] = [
  "Scheduled",
  "Late",
  "AwaitingRetry",
  "AwaitingConcurrencySlot",
  "Pending",
  "Running",
  "Retrying",
  "Paused",
  "Cancelling",
];

/**
 * The state machine: every move a flow run or task run makes, by state name. A move no rule allows is refused
 * (the engine reports it as its own bug). Each (from, to) pair belongs to at most one rule. Written to
 * docs/engine.md by `npm run docs`.
 */
export const TRANSITION_RULES: readonly TransitionRule[] = [
  { name: "CreateRun", from: [NEW_RUN], to: ["Pending"], why: "A flow run or task run is created Pending." },
  {
    name: "ScheduleRun",
    from: [NEW_RUN],
    to: ["Scheduled"],
    why: "The server creates a deployment's run ahead of its process: by its scheduler, or on request (`skein deployment run`).",
  },
  {
    name: "MarkLate",
    from: ["Scheduled"],
    to: ["Late"],
    why: "No worker started a scheduled run within the grace period after its expected start time.",
  },
  {
    name: "AwaitConcurrencySlot",
    from: ["Scheduled", "Late"],
    to: ["AwaitingConcurrencySlot"],
    why: "A worker would start the run but its deployment's concurrency limit is full (collision strategy ENQUEUE).",
  },
  {
    name: "ClaimRun",
    from: ["Scheduled", "Late", "AwaitingConcurrencySlot"],
    to: ["Pending"],
    why: "A worker claimed a due deployment run (exactly once) and is starting its process, which adopts the run.",
  },
  {
    name: "CancelWaitingRun",
    from: ["Scheduled", "Late", "AwaitingConcurrencySlot"],
    to: ["Cancelled"],
    why: "A run with no process yet is cancelled: on request, or because its deployment's concurrency limit is full (CANCEL_NEW).",
  },
  {
    name: "StartRun",
    from: ["Pending"],
    to: ["Running"],
    why: "A run starts its first attempt (a subflow's task run mirrors its flow run starting).",
  },
  {
    name: "CacheHit",
    from: ["Pending"],
    to: ["Cached"],
    why: "A task run reuses a result instead of running: a cache hit, or what an earlier attempt of its flow run completed.",
  },
  {
    name: "UpstreamNotReady",
    from: ["Pending"],
    to: ["NotReady"],
    why: "A task run whose upstream did not complete never runs.",
  },
  {
    name: "RefuseStart",
    from: ["Pending"],
    to: ["Failed"],
    why: "Bad parameters, a run name or cache key that cannot be computed, or concurrency slots that cannot be had fail a run before it starts.",
  },
  {
    name: "CompleteRun",
    from: ["Running", "Retrying"],
    to: ["Completed"],
    why: "An attempt returned and its result was stored.",
  },
  {
    name: "FailRun",
    from: ["Running", "Retrying"],
    to: ["Failed", "TimedOut"],
    why: "An attempt threw or passed its timeout, and no retry is left.",
  },
  {
    name: "ScheduleRetry",
    from: ["Running", "Retrying"],
    to: ["AwaitingRetry"],
    why: "An attempt failed and a retry is left, or `skein flow-run retry` took over a run whose process died: the run waits to retry.",
  },
  {
    name: "StartRetry",
    from: ["AwaitingRetry"],
    to: ["Retrying"],
    why: "The retry delay is over (or `skein flow-run retry` claimed the run): the next attempt starts.",
  },
  {
    name: "RetryFinishedRun",
    from: ["Failed", "TimedOut", "Crashed", "Cancelled"],
    to: ["AwaitingRetry"],
    why: "`skein flow-run retry` schedules again a flow run that did not complete; completed task results are reused.",
  },
  {
    name: "CancelRun",
    from: ["Pending", "Running", "Retrying", "AwaitingRetry"],
    to: ["Cancelled"],
    why: "A cancellation request, SIGINT, or the end of its flow run's attempt stops a run its process holds.",
  },
  {
    name: "CrashRun",
    from: UNFINISHED,
    to: ["Crashed"],
    why: "A run that cannot finish ends Crashed: its process is gone, exiting, got SIGTERM or blocked past a timeout, or the engine failed.",
  },
];

/** Why a move is refused, naming what the table allows from there instead. */
export class InvalidTransitionError extends Error {
  override name = "InvalidTransitionError";
}

/** Each allowed move's rule by `from -> to`: the engine checks every state change of every task run here. */
const RULE_BY_MOVE = new Map<string, TransitionRule>(
  TRANSITION_RULES.flatMap((rule) =>
    rule.from.flatMap((from) => rule.to.map((to) => [`${from}->${to}`, rule] as const)),
  ),
);

/** The rule that allows `from -> to`, or undefined when the table refuses it. */
export function transitionRule(from: TransitionFrom, to: StateName): TransitionRule | undefined {
  return RULE_BY_MOVE.get(`${from}->${to}`);
}

/** The rule that allows `from -> to`; throws InvalidTransitionError saying what is allowed from `from` instead. */
export function requireTransition(from: TransitionFrom, to: StateName): TransitionRule {
  const rule = transitionRule(from, to);
  if (rule) return rule;
  const allowed = TRANSITION_RULES.filter((candidate) => candidate.from.includes(from)).map(
    (candidate) => `${candidate.to.join(" | ")} (${candidate.name})`,
  );
  const instead = allowed.length ? `from ${from} a run may move to ${allowed.join(", ")}` : `${from} is final`;
  throw new InvalidTransitionError(`${from} -> ${to} is not an allowed transition: ${instead}`);
}

/** How Prefect prints a state: `Completed()`, `Failed('message')`. */
export function formatState(state: State): string {
  return `${state.name}(${state.message ? `'${state.message}'` : ""})`;
}
