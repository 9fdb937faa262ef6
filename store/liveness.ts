// Whether a run process or a lease holder still lives, and when a run's process is gone. Shared by the stores
// (SQLite, PostgreSQL) and the server's crash detector, so every sweeper judges runs by one rule and ends them
// with the same CRASHED event, by the CrashRun rule of the state table; and the one Cancelled/Crashed event that
// ends a flow run its process will not end (the server's cancel of a waiting run, a worker's dead run process).
import { hostname } from "node:os";
import { newId } from "../protocol/ids.ts";
import type { RunEvent } from "../protocol/run-events.ts";
import { isProcessAlive } from "../client/processes.ts";
import {
  requireTransition,
  STATE_NAMES,
  STATE_TYPES,
  TERMINAL_STATE_TYPES,
  transitionRule,
  type State,
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
  if (isLocalHost(host)) return !isProcessAlive(pid);
  return now - Date.parse(heartbeatAt) > staleAfterMs;
}

/** Whether `host` (a run's or a lease holder's machine) is this one; null: recorded before hosts were. */
export function isLocalHost(host: string | null): boolean {
  return host === null || host === hostname();
}

/** A holder of concurrency leases as a store reads it: its process, and when it took its newest lease. */
export interface LeaseHolderRow {
  holder_pid: number | string;
  holder_host: string | null;
  newest_lease_ms: number | string;
}

/**
 * Whether a lease holder's process is gone, by the rule of `isRunProcessGone`: on this machine its pid tells; on
 * another, it lives while any open flow run of that process (same pid and host) heartbeats, or while its newest lease
 * is younger than the staleness window (a run takes slots before its first heartbeat can be stored).
 * `openRunHeartbeats`: the heartbeat times of the holder's open flow runs (read only for holders elsewhere).
 */
export function isLeaseHolderGone(
  holder: LeaseHolderRow,
  openRunHeartbeats: readonly string[],
  now = Date.now(),
  staleAfterMs = HEARTBEAT_STALE_MS,
): boolean {
  const pid = Number(holder.holder_pid);
  if (pid <= 0) return false;
  if (isLocalHost(holder.holder_host)) return !isProcessAlive(pid);
  if (now - Number(holder.newest_lease_ms) <= staleAfterMs) return false;
  return openRunHeartbeats.every((heartbeatAt) => now - Date.parse(heartbeatAt) > staleAfterMs);
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

/** A task run as a crash sweep reads it: the state it would end, and its flow run. */
export interface OpenTaskRow {
  id: string;
  flow_run_id: string;
  state_name: StateName;
  state_timestamp: string;
}

/** The open flow runs whose process is gone and that the table lets end Crashed. */
export function deadRuns<Run extends OpenRunRow>(open: readonly Run[], now = Date.now()): Run[] {
  return open.filter(
    (row) => mayCrash(row.state_name) && isRunProcessGone(Number(row.pid), row.host, row.heartbeat_at, now),
  );
}

/**
 * The CRASHED events ending a dead flow run and its task runs that the table lets end Crashed (a task run that
 * ended, or never ran (NotReady), keeps its state). Every sweeper (both stores, the server's crash detector) uses it.
 */
export function crashedEventsForDeadRun(run: OpenRunRow, tasks: readonly OpenTaskRow[]): RunEvent[] {
  if (!mayCrash(run.state_name)) return [];
  const from = (row: OpenRunRow | OpenTaskRow) => ({ name: row.state_name, timestamp: row.state_timestamp });
  const events = [crashedEvent(run.id, run.id, "flow", from(run), run.heartbeat_at, deadRunMessage(run.pid))];
  for (const task of tasks) {
    if (task.flow_run_id === run.id && mayCrash(task.state_name))
      events.push(crashedEvent(run.id, task.id, "task", from(task), run.heartbeat_at, DEAD_TASK_RUN_MESSAGE));
  }
  return events;
}

/** The message of a flow run's CRASHED state when its process is gone. */
export function deadRunMessage(pid: number | string): string {
  return `Run process ${pid} is gone (it stopped heartbeating); the run did not finish`;
}

export const DEAD_TASK_RUN_MESSAGE = "Its flow run's process is gone";

/**
 * The Cancelled or Crashed state that ends a flow run its own process will not end (the server cancelling a run
 * no process holds yet; a worker recording how its run's process died), never earlier than the state it replaces,
 * so the store's current-state update applies.
 */
export function flowRunEndedEvent(
  run: { id: string; state: State },
  name: "Cancelled" | "Crashed",
  message: string,
): RunEvent & { kind: "state" } {
  const timestamp = new Date(Math.max(Date.now(), Date.parse(run.state.timestamp))).toISOString();
  return {
    kind: "state",
    id: newId(),
    timestamp,
    flowRunId: run.id,
    runKind: "flow",
    runId: run.id,
    state: { type: name === "Crashed" ? "CRASHED" : "CANCELLED", name, timestamp, message },
  };
}
