// What every route handler shares: the store behind the server, the live event hub, stream limits and heartbeats.
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
  /** Other servers on the same PostgreSQL database, told about the events this one stores. */
  relay?: { send(events: readonly RunEvent[]): Promise<void> };
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
  ctx.relay?.send(events).catch((error) =>
    process.stderr.write(`skein server: relaying events failed: ${error.message}
`),
  );
}

function isInputs(event: RunEvent): boolean {
  return event.kind === "task-run-inputs";
}
