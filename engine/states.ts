// The engine's side of the state machine: building states, and checking each move against the named rules of
// protocol/states.ts. A move the table refuses is an engine bug, never a user error.
import {
  InvalidTransitionError,
  NEW_RUN,
  requireTransition,
  STATE_NAMES,
  type State,
  type StateDetails,
  type StateName,
} from "../protocol/states.ts";
import { isoNow } from "../protocol/ids.ts";

export * from "../protocol/states.ts";

/** Throws InvalidTransitionError unless a rule allows `from -> to`; `from` undefined is a new run. */
export function assertTransition(from: Pick<State, "name"> | undefined, to: State): void {
  try {
    requireTransition(from?.name ?? NEW_RUN, to.name);
  } catch (error) {
    throw new InvalidTransitionError(`Skein engine bug: ${(error as Error).message}`);
  }
}

export function makeState(name: StateName, message?: string, details?: StateDetails): State {
  const state: State = { type: STATE_NAMES[name], name, timestamp: isoNow() };
  if (message !== undefined) state.message = message;
  if (details !== undefined) state.details = details;
  return state;
}

/** The state a run moves to from `from` (undefined: a new run), checked against the table. */
export function nextState(
  from: Pick<State, "name"> | undefined,
  name: StateName,
  message?: string,
  details?: StateDetails,
): State {
  const state = makeState(name, message, details);
  assertTransition(from, state);
  return state;
}
