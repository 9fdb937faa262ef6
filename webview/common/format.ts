// How the run view writes times, durations and states. Durations come from state histories: a run's clock starts
// at its first RUNNING state and stops at its terminal state (or now, while it runs).
import type { State, StateType } from "../../protocol/states.ts";

const TERMINAL: readonly StateType[] = ["COMPLETED", "FAILED", "CANCELLED", "CRASHED"];

export function isTerminalState(state: State): boolean {
  return TERMINAL.includes(state.type);
}

/** Milliseconds from the first RUNNING state to the terminal one (or `now`), undefined before it ran. */
export function runDuration(states: State[], now = Date.now()): number | undefined {
  const started = states.find((state) => state.type === "RUNNING");
  if (!started) return undefined;
  const last = states[states.length - 1];
  const end = isTerminalState(last) ? Date.parse(last.timestamp) : now;
  return Math.max(0, end - Date.parse(started.timestamp));
}

export function formatDuration(ms: number | undefined): string {
  if (ms === undefined || Number.isNaN(ms)) return "—";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 2 : 1)} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${Math.round(seconds % 60)} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

export function formatTime(iso: string | undefined): string {
  if (!iso) return "—";
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString(undefined, { hour12: false });
}

/** The CSS class that colours a state (.state plus .state-completed, .state-failed, ...: state-badges.ts). */
export function stateClass(state: State): string {
  return `state state-${state.type.toLowerCase()}`;
}

/** A cache hit is a Completed state named Cached. */
export function isCacheHit(state: State): boolean {
  return state.type === "COMPLETED" && state.name === "Cached";
}
