// When the server believes a run's process is gone. Run processes that report through the API heartbeat every
// few seconds (their pid may live on another machine); runs written to the local SQLite file directly are
// judged by their pid. Dead = heartbeat stale AND pid not alive here; with a sweep every 5 s and 15 s of
// staleness a SIGKILLed run is Crashed within 30 s.
import type { RunEvent } from "../../protocol/run-events.ts";
import { isProcessAlive } from "../store/liveness.ts";

export const HEARTBEAT_STALE_MS = 15_000;

export function isRunProcessGone(pid: number, heartbeatAt: string, now: number, staleAfterMs = HEARTBEAT_STALE_MS): boolean {
  // Runs created ahead of time (scheduled deployment runs) have no process yet.
  if (pid <= 0) return false;
  return now - Date.parse(heartbeatAt) > staleAfterMs && !isProcessAlive(pid);
}

/**
 * The CRASHED state event that ends a run whose process is gone. Its id is derived from the run and the last
 * heartbeat seen, so two servers sharing a database that both notice the same death store one event.
 */
export function crashedEvent(
  flowRunId: string, runId: string, runKind: "flow" | "task", after: string, lastHeartbeat: string, message: string,
): RunEvent {
  // Never earlier than the state it replaces, so the store's current-state update applies.
  const timestamp = new Date(Math.max(Date.now(), Date.parse(after))).toISOString();
  return {
    kind: "state", id: `crashed-${runId}-${lastHeartbeat}`, timestamp, flowRunId, runKind, runId,
    state: { type: "CRASHED", name: "Crashed", timestamp, message },
  };
}
