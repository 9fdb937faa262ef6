// Follows the server's live event stream (server-sent events). On a dropped connection it reconnects with the
// last event id it saw, so no event is lost; when the server cannot resume (it restarted) it says so through
// onReset, and the caller reloads what it shows. Deleted flow runs come through onDeleted, in the same sequence.
import { request } from "undici";
import type { ResponseOf } from "../protocol/api/contract.ts";
import { eventsApi, type RunDeleted, STREAM_EVENTS } from "../protocol/api/events.ts";
import type { RunEvent } from "../protocol/run-events.ts";
import type { ApiClient } from "./api-client.ts";

export interface FollowOptions {
  /** Only events of this flow run; all events when left out. */
  flowRunId?: string;
  /** Only the events that may wake workers (protocol/worker-wake-ups.ts). */
  only?: "worker-wake-ups";
  /** Resume after this event id. */
  lastEventId?: string;
  onEvent(event: RunEvent, eventId: string): void;
  /** A flow run was deleted (a subscriber of one flow run hears of that run only). */
  onDeleted?(flowRunId: string, eventId: string): void;
  onReset?(reason: string): void;
  /** Each (re)connection, once the server has answered. */
  onConnect?(): void;
  /** The server refused the stream (wrong API key, bad request): following stops. */
  onError?(error: Error): void;
  reconnectDelayMs?: number;
}

export interface EventFollower {
  /** The id of the last event delivered, for resuming later. */
  readonly lastEventId: string | undefined;
  close(): void;
  /** Resolves when closed, or when the server refused the stream. */
  done: Promise<void>;
}

class StreamRefusedError extends Error {}

export function followEvents(client: ApiClient, options: FollowOptions): EventFollower {
  const abort = new AbortController();
  let lastEventId = options.lastEventId;
  const delay = options.reconnectDelayMs ?? 500;

  const connectOnce = async () => {
    const headers: Record<string, string> = { accept: "text/event-stream", ...client.authHeaders() };
    if (lastEventId) headers["last-event-id"] = lastEventId;
    const response = await request(
      client.urlOf(eventsApi.stream, { query: { flowRunId: options.flowRunId, only: options.only } }),
      {
        headers,
        signal: abort.signal,
        dispatcher: client.agent,
      },
    );
    if (response.statusCode !== 200) {
      const text = await response.body.text();
      throw new StreamRefusedError(`event stream refused (${response.statusCode}): ${text}`);
    }
    options.onConnect?.();
    let buffer = "";
    // A character may be split between chunks; the streaming decoder keeps the partial bytes.
    const decoder = new TextDecoder();
    for await (const chunk of response.body) {
      buffer += decoder.decode(chunk, { stream: true });
      let end: number;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        dispatch(buffer.slice(0, end));
        buffer = buffer.slice(end + 2);
      }
    }
  };

  const dispatch = (block: string) => {
    let id: string | undefined;
    let type = "message";
    let data = "";
    for (const line of block.split("\n")) {
      if (line.startsWith("id: ")) id = line.slice(4);
      else if (line.startsWith("event: ")) type = line.slice(7);
      else if (line.startsWith("data: ")) data += line.slice(6);
    }
    if (type === STREAM_EVENTS.run && id) {
      lastEventId = id;
      options.onEvent(JSON.parse(data) as ResponseOf<typeof eventsApi.stream>, id);
    } else if (type === STREAM_EVENTS.deleted && id) {
      lastEventId = id;
      options.onDeleted?.((JSON.parse(data) as RunDeleted).flowRunId, id);
    } else if (type === STREAM_EVENTS.reset) {
      options.onReset?.((JSON.parse(data) as { reason: string }).reason);
    }
  };

  const done = (async () => {
    while (!abort.signal.aborted) {
      try {
        await connectOnce();
      } catch (error) {
        if (abort.signal.aborted) return;
        if (error instanceof StreamRefusedError) {
          options.onError?.(error);
          return;
        }
      }
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  })();

  return {
    get lastEventId() {
      return lastEventId;
    },
    close: () => abort.abort(),
    done,
  };
}
