// A worker learns of new runs at once from the server's live event stream: a deployment run created (no process
// yet), a run moving to a claimable state, or a run ending (a concurrency slot may have freed) wakes it to claim.
// Without a server (a SQLite file of SKEIN_HOME) there is no stream, and the worker's short poll alone serves.
import type { ApiClient } from "../client/api-client.ts";
import { followEvents } from "../client/event-stream.ts";
import type { RunEvent } from "../protocol/run-events.ts";
import { isTerminal } from "../protocol/states.ts";

/** Whether an event may make a run claimable by some worker. */
export function mayWakeWorkers(event: RunEvent): boolean {
  if (event.kind === "flow-run-created") return event.pid <= 0;
  if (event.kind !== "state" || event.runKind !== "flow") return false;
  return event.state.type === "SCHEDULED" || isTerminal(event.state.type);
}

/** Calls `wake` for each event that may make a run claimable; returns a function that stops following. */
export function followWakeUps(client: ApiClient, wake: () => void, log: (line: string) => void): () => void {
  const follower = followEvents(client, {
    onEvent: (event) => {
      if (mayWakeWorkers(event)) wake();
    },
    // Events may have been missed while disconnected: claim once to catch up.
    onConnect: wake,
    onReset: wake,
    onError: (error) => log(`live stream refused, polling only: ${error.message}`),
  });
  return () => follower.close();
}
