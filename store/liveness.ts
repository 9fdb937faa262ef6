// Whether a run process or a lease holder still lives, and when a run's process is gone. Shared by the stores
// (SQLite, PostgreSQL) and the server's crash detector, so every sweeper judges runs by one rule and ends them
// with the same CRASHED event, by the CrashRun rule of the state table.
import { hostname } from "node:os";
import type { RunEvent } from "../protocol/run-events.ts";
import { isProcessAlive } from "../client/processes.ts";
import {
  requireTransition,
  STATE_NAMES,
  STATE_TYPES,
  TERMINAL_STATE_TYPES,
  transitionRule,
  type StateName,
  type StateType,
} from "../protocol/states.ts";

/** How long a run may go without a heartbeat before its process may be taken for gone. */
export const HEARTBEAT_STALE_MS = 15_000;

/** The states of runs that have not finished: the ones a crash sweep looks at. */
export const OPEN_STATE_TYPES: readonly StateType[] = STATE_TYPES.filter(
  (type) => !TERMINAL_STATE_TYPES.includes(type),
);

/**
 * When a run's process is gone. On the machine it runs on, its pid tells at once (a SIGKILLed run is dead now).
 * Elsewhere (runs reporting through a server from another host, whose pid the server keeps: see Store.heartbeat's
 * `claimPid`) only heartbeats can tell: dead once none came for `staleAfterMs`, so with a sweep every 5 s and 15 s
 * of staleness such a run is Crashed within 30 s. `host` null: recorded before runs named their host, so local.
 */
export function isRunProcessGone(
  pid: number,
  host: string | null,
  heartbeatAt: string,
  now: number,
  staleAfterMs = HEARTBEAT_STALE_MS,
): boolean {
  // Runs created ahead of time (scheduled deployment runs) have no process yet.
  if (pid <= 0) return false;
  if (host === null || host === hostname()) return !isProcessAlive(pid);
  return now - Date.parse(heartbeatAt) > staleAfterMs;
}

/** The state a crash sweep ends: its name (which the table must let end Crashed) and when it was entered. */
export interface CrashedFrom {
  name: StateName;
  timestamp: string;
}

/**
 * The CRASHED state event that ends a run whose process is gone; throws InvalidTransitionError when the table has
 * no move from `from` to Crashed (filter with `mayCrash` first). Its id is derived from the run and the last
 * heartbeat seen, so two sweepers sharing a database that both notice the same death store one event.
 */
export function crashedEvent(
  flowRunId: string,
  runId: string,
  runKind: "flow" | "task",
  from: CrashedFrom,
  lastHeartbeat: string,
  message: string,
): RunEvent {
  requireTransition(from.name, "Crashed");
  // Never earlier than the state it replaces, so the store's current-state update applies.
  const timestamp = new Date(Math.max(Date.now(), Date.parse(from.timestamp))).toISOString();
  return {
    kind: "state",
    id: `crashed-${runId}-${lastHeartbeat}`,
    timestamp,
    flowRunId,
    runKind,
    runId,
    state: { type: STATE_NAMES.Crashed, name: "Crashed", timestamp, message },
  };
}

/** Whether the state table lets a run in state `name` end Crashed (a final one, or NotReady, stays as it is). */
export function mayCrash(name: StateName): boolean {
  return transitionRule(name, "Crashed") !== undefined;
}

/** An open flow run as a store reads it for a crash sweep. */
export interface OpenRunRow {
  id: string;
  pid: number | string;
  host: string | null;
  heartbeat_at: string;
  state_name: StateName;
  state_timestamp: string;
}

/** A store's crash sweep: the CRASHED events for the open flow runs whose process is gone. */
export function crashedEventsForDeadRuns(open: readonly OpenRunRow[], now = Date.now()): RunEvent[] {
  return open
    .filter((row) => mayCrash(row.state_name) && isRunProcessGone(Number(row.pid), row.host, row.heartbeat_at, now))
    .map((row) => {
      const from = { name: row.state_name, timestamp: row.state_timestamp };
      return crashedEvent(row.id, row.id, "flow", from, row.heartbeat_at, deadRunMessage(row.pid));
    });
}

/** The message of a flow run's CRASHED state when its process is gone. */
export function deadRunMessage(pid: number | string): string {
  return `Run process ${pid} is gone (it stopped heartbeating); the run did not finish`;
}
