// A worker learns of new runs at once from the server's live event stream, asking it for only the events that may
// make a run claimable (protocol/worker-wake-ups.ts); each wakes it to claim. Without a server (a SQLite file of
// SKEIN_HOME) there is no stream, and the worker's short poll alone serves.
import type { ApiClient } from "../client/api-client.ts";
import { followEvents } from "../client/event-stream.ts";

/** Calls `wake` for each event that may make a run claimable; returns a function that stops following. */
export function followWakeUps(client: ApiClient, wake: () => void, log: (line: string) => void): () => void {
  const follower = followEvents(client, {
    only: "worker-wake-ups",
    onEvent: () => wake(),
    // Events may have been missed while disconnected: claim once to catch up.
    onConnect: wake,
    onReset: wake,
    onError: (error) => log(`live stream refused, polling only: ${error.message}`),
  });
  return () => follower.close();
}
