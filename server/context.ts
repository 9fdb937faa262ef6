// What every route handler shares: the store behind the server, the live event hub, stream limits and heartbeats.
import type { RunDeleted } from "../protocol/api/events.ts";
import type { RunEvent } from "../protocol/run-events.ts";
import type { Store } from "../store/types.ts";
import type { EventHub } from "./streaming/event-hub.ts";
import type { HeartbeatRegistry } from "./services/heartbeats.ts";
import type { StreamClientLimits } from "./streaming/stream-client.ts";

export interface ServerContext {
  store: Store;
  hub: EventHub;
  /** How much a live-stream client may leave unread, and for how long. */
  streamLimits: StreamClientLimits;
  heartbeats: HeartbeatRegistry;
  /** "sqlite" or "postgres", for health and doctor. */
  backend: string;
  /** Other servers on the same PostgreSQL database, told about the events this one stores and the runs it deletes. */
  relay?: {
    send(events: readonly RunEvent[]): Promise<void>;
    sendDeleted(deletions: readonly RunDeleted[]): Promise<void>;
  };
}

/**
 * Streams newly stored events to this server's subscribers and to the other servers' (through the relay). A task
 * run's recorded inputs are not streamed (up to 1 MB each, read one task run at a time instead), as the SQLite
 * change feed does not stream them either.
 */
export function announce(ctx: ServerContext, stored: readonly RunEvent[]): void {
  const events = stored.some(isInputs) ? stored.filter((event) => !isInputs(event)) : stored;
  if (events.length === 0) return;
  ctx.hub.publish(events);
  ctx.relay?.send(events).catch(relayFailed);
}

/**
 * Streams the deletion of flow runs this server deleted (a run deleted by hand, or scheduled runs a deployment change
 * swept), so views showing them drop them instead of showing runs that are gone until they reload.
 */
export function announceDeleted(ctx: ServerContext, flowRunIds: readonly string[]): void {
  if (flowRunIds.length === 0) return;
  const timestamp = new Date().toISOString();
  const deletions = flowRunIds.map((flowRunId) => ({ flowRunId, timestamp }));
  ctx.hub.publishDeleted(deletions);
  ctx.relay?.sendDeleted(deletions).catch(relayFailed);
}

function relayFailed(error: Error): void {
  process.stderr.write(`skein server: relaying events failed: ${error.message}\n`);
}

function isInputs(event: RunEvent): boolean {
  return event.kind === "task-run-inputs";
}
