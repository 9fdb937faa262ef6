// One live-stream connection: writes the hub's events to a server-sent-events client at the pace the client reads.
// Events are not queued per client: the connection keeps a cursor into the hub's ring and writes from it while
// the client's unsent bytes stay under a limit, then waits for the socket to drain. A client that takes nothing
// for `stallTimeoutMs` is disconnected (it resumes later with Last-Event-ID); one that falls so far behind that
// the ring no longer holds its next event gets a `reset` and goes on from the newest event. So a client that
// stops reading costs at most its buffer limit, however many events flow.
import type { ServerResponse } from "node:http";
import { STREAM_EVENTS } from "../../protocol/api/events.ts";
import type { EventHub, StreamFilter } from "./event-hub.ts";

export interface StreamClientLimits {
  /** Unsent bytes a client may hold before the server stops writing to it until it drains. */
  clientBufferBytes: number;
  /** How long a client over its buffer limit may go without draining before it is disconnected. */
  stallTimeoutMs: number;
}

export const DEFAULT_STREAM_CLIENT_LIMITS: StreamClientLimits = {
  clientBufferBytes: 4 * 1024 * 1024,
  stallTimeoutMs: 30_000,
};

const KEEPALIVE_MS = 15_000;

export interface StreamClientOptions {
  filter: StreamFilter;
  /** The last event id the client saw (Last-Event-ID): it resumes after it. */
  lastEventId?: string;
  limits: StreamClientLimits;
}

/** Streams to `out` (headers already sent) until the connection closes; returns the function that stops it. */
export function streamToClient(hub: EventHub, out: ServerResponse, options: StreamClientOptions): () => void {
  const { filter, limits } = options;
  let cursor = hub.headSeq;
  let draining = false;
  let stallTimer: NodeJS.Timeout | undefined;
  let closed = false;

  const reset = (reason: string) => {
    out.write(`event: ${STREAM_EVENTS.reset}\ndata: ${JSON.stringify({ reason })}\n\n`);
    cursor = hub.headSeq;
  };

  const waitForDrain = () => {
    draining = true;
    out.once("drain", () => {
      clearTimeout(stallTimer);
      draining = false;
      pump();
    });
    stallTimer = setTimeout(() => out.destroy(), limits.stallTimeoutMs);
  };

  /** Writes what the client has not seen, as far as its buffer allows. */
  const pump = () => {
    while (!closed && !draining) {
      const room = limits.clientBufferBytes - out.writableLength;
      if (room <= 0) return waitForDrain();
      const read = hub.read(cursor, filter, room);
      if (!read.ok) return reset(read.reason);
      if (read.last === cursor) return;
      cursor = read.last;
      let chunk = "";
      for (const { seq, type, data } of read.events)
        chunk += `id: ${hub.eventId(seq)}\nevent: ${type}\ndata: ${data}\n\n`;
      if (chunk) out.write(chunk);
    }
  };

  out.write(`retry: 1000\nevent: ${STREAM_EVENTS.hello}\ndata: ${JSON.stringify({ epoch: hub.epoch })}\n\n`);
  if (options.lastEventId) {
    const resume = hub.resumePoint(options.lastEventId);
    if (resume.ok) cursor = resume.seq;
    else reset(resume.reason);
  }
  const unsubscribe = hub.subscribe({ notify: pump, bufferedBytes: () => out.writableLength });
  pump();
  const keepalive = setInterval(() => {
    if (!draining) out.write(": keepalive\n\n");
  }, KEEPALIVE_MS);
  return () => {
    closed = true;
    clearInterval(keepalive);
    clearTimeout(stallTimer);
    unsubscribe();
  };
}
