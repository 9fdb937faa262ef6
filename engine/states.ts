// The engine's state machine: state constructors and the one table of allowed transitions.
import { STATE_NAMES, type State, type StateDetails, type StateName, type StateType } from "../protocol/states.ts";
import { isoNow } from "../protocol/ids.ts";

export * from "../protocol/states.ts";

/** Allowed moves between state types. A move outside this table is an engine bug, never a user error. */
const ALLOWED_TRANSITIONS: Record<StateType | "NEW", readonly StateType[]> = {
  NEW: ["SCHEDULED", "PENDING"],
  SCHEDULED: ["PENDING", "RUNNING", "CANCELLED", "CRASHED"],
  // PENDING -> PENDING is Pending -> NotReady; PENDING -> COMPLETED is a cache hit; PENDING -> FAILED a bad start.
  PENDING: ["PENDING", "RUNNING", "COMPLETED", "FAILED", "CANCELLED", "CRASHED"],
  RUNNING: ["SCHEDULED", "COMPLETED", "FAILED", "CANCELLING", "CANCELLED", "CRASHED", "PAUSED"],
  PAUSED: ["RUNNING", "CANCELLED", "CRASHED"],
  CANCELLING: ["CANCELLED", "CRASHED"],
  // A finished flow run that did not complete may be retried: it is scheduled again.
  FAILED: ["SCHEDULED"],
  CRASHED: ["SCHEDULED"],
  CANCELLED: ["SCHEDULED"],
  COMPLETED: [],
};

export class InvalidTransitionError extends Error {}

export function assertTransition(from: State | undefined, to: State): void {
  const allowed = ALLOWED_TRANSITIONS[from?.type ?? "NEW"];
  if (!allowed.includes(to.type)) {
    throw new InvalidTransitionError(
      `Skein engine bug: ${from?.name ?? "(new run)"} -> ${to.name} is not an allowed transition`,
    );
  }
}

export function makeState(name: StateName, message?: string, details?: StateDetails): State {
  const state: State = { type: STATE_NAMES[name], name, timestamp: isoNow() };
  if (message !== undefined) state.message = message;
  if (details !== undefined) state.details = details;
  return state;
}
