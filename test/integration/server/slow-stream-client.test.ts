// A live-stream client that stops reading while a run logs megabytes: the server must not queue everything for
// it. A raw socket subscribes, reads the first event and then reads nothing more; events keep flowing through the
// real ingest route. The server's unsent bytes for it stay near its limit, it is disconnected, and resuming
// with its last event id yields what it missed, or a clear reset once the ring no longer holds it.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import net from "node:net";
import { followEvents } from "../../../client/event-stream.ts";
import { newId } from "../../../protocol/ids.ts";
import type { RunEvent } from "../../../protocol/run-events.ts";
import { BACKENDS, sqliteBackend, type Backend } from "../../fixtures/server/backends.ts";
import { flowRunEvents } from "../../fixtures/server/events.ts";
import { waitFor } from "../../fixtures/server/processes.ts";
import { raw, startTestServer, type TestServer } from "../../fixtures/server/test-server.ts";

const CLIENT_BUFFER = 256 * 1024;
const MESSAGE_BYTES = 100 * 1024;
const FLOOD_EVENTS = 240; // 24 MB: far more than the kernel's socket buffers hold.

/** Log events of one flow run with large messages, in ingest-sized batches. */
function floodOf(flowRunId: string): RunEvent[][] {
  const batches: RunEvent[][] = [];
  for (let b = 0; b < FLOOD_EVENTS / 20; b++) {
    batches.push(
      Array.from({ length: 20 }, (_, i) => ({
        kind: "log" as const,
        id: newId(),
        timestamp: new Date().toISOString(),
        flowRunId,
        level: "info" as const,
        logger: "flow",
        message: `${b}-${i} ${"x".repeat(MESSAGE_BYTES)}`,
      })),
    );
  }
  return batches;
}

/** A client that subscribes, reads until the first run event's id, and then never reads again. */
async function stalledReader(url: string): Promise<{ socket: net.Socket; firstEventId: Promise<string> }> {
  const { hostname, port } = new URL(url);
  const socket = net.connect(Number(port), hostname);
  await new Promise((resolve) => socket.once("connect", resolve));
  socket.write(`GET /api/events/stream HTTP/1.1\r\nHost: ${hostname}:${port}\r\nAccept: text/event-stream\r\n\r\n`);
  const firstEventId = new Promise<string>((resolve) => {
    let text = "";
    const onData = (chunk: Buffer) => {
      text += chunk.toString("latin1");
      const match = /\nid: (\S+)\nevent: run-event\n/.exec(text);
      if (!match) return;
      socket.off("data", onData);
      socket.pause();
      resolve(match[1]);
    };
    socket.on("data", onData);
  });
  return { socket, firstEventId };
}

/** Unsent bytes the server holds for its open connections, sampled while `work` runs; the largest seen. */
async function peakBuffered(server: TestServer, work: () => Promise<void>): Promise<number> {
  const sockets = new Set<net.Socket>();
  server.server.app.server.on("connection", (socket: net.Socket) => sockets.add(socket));
  let peak = 0;
  const sample = setInterval(() => {
    let total = 0;
    for (const socket of sockets) total += socket.writableLength;
    peak = Math.max(peak, total);
  }, 2);
  try {
    await work();
  } finally {
    clearInterval(sample);
  }
  return peak;
}

async function streamSubscribers(server: TestServer): Promise<number> {
  return (await raw(server.url, "GET", "/api/health")).json.streamSubscribers;
}

async function stallWhileFlooding(backend: Backend, ringBytes: number) {
  const server = await startTestServer(backend, {
    streamLimits: { clientBufferBytes: CLIENT_BUFFER, stallTimeoutMs: 300, maxBytes: ringBytes },
  });
  const run = flowRunEvents({ tasks: 1, unfinished: true });
  const flowRunId = run[0].flowRunId;
  const flood = floodOf(flowRunId);
  let firstEventId = "";
  let socket: net.Socket | undefined;
  const peak = await peakBuffered(server, async () => {
    const reader = await stalledReader(server.url);
    socket = reader.socket;
    await raw(server.url, "POST", "/api/events", { events: run });
    firstEventId = await reader.firstEventId;
    for (const batch of flood) await raw(server.url, "POST", "/api/events", { events: batch });
  });
  return { server, run, flood, firstEventId, socket: socket!, peak };
}

for (const backend of BACKENDS) {
  describe(`a live-stream client that stops reading (${backend.name})`, { skip: backend.skip }, () => {
    let stalled: Awaited<ReturnType<typeof stallWhileFlooding>>;
    before(async () => (stalled = await stallWhileFlooding(backend, 64 * 1024 * 1024)));
    after(async () => {
      stalled?.socket.destroy();
      await stalled?.server.close();
    });

    test("costs the server its buffer limit, not the flood, and is disconnected", { timeout: 60_000 }, async () => {
      // The limit, plus one event written past it, plus its SSE framing.
      assert.ok(stalled.peak <= CLIENT_BUFFER + 2 * MESSAGE_BYTES, `the server buffered ${stalled.peak} bytes`);
      await waitFor(async () => (await streamSubscribers(stalled.server)) === 0 || undefined, "the disconnect", 15_000);
    });

    test("resuming with its last event id delivers every event it missed, in order", { timeout: 60_000 }, async () => {
      const expected = [...stalled.run, ...stalled.flood.flat()].map((e) => e.id);
      // The reader subscribed before anything was stored, so the first event it read is the run's first.
      const afterFirst = expected.slice(1);
      const seen: string[] = [];
      const follower = followEvents(stalled.server.client, {
        lastEventId: stalled.firstEventId,
        onEvent: (event) => seen.push(event.id),
      });
      await waitFor(() => seen.length >= afterFirst.length || undefined, "the missed events", 30_000);
      follower.close();
      assert.deepEqual(seen, afterFirst);
    });
  });
}

describe("a client that stopped reading for longer than the ring holds", () => {
  let stalled: Awaited<ReturnType<typeof stallWhileFlooding>>;
  before(async () => (stalled = await stallWhileFlooding(sqliteBackend, 4 * 1024 * 1024)));
  after(async () => {
    stalled?.socket.destroy();
    await stalled?.server.close();
  });

  test("is told to reload when it resumes, then follows live events again", { timeout: 60_000 }, async () => {
    await waitFor(async () => (await streamSubscribers(stalled.server)) === 0 || undefined, "the disconnect", 15_000);
    let reason: string | undefined;
    const live: string[] = [];
    const follower = followEvents(stalled.server.client, {
      lastEventId: stalled.firstEventId,
      onEvent: (event) => live.push(event.id),
      onReset: (why) => (reason = why),
    });
    await waitFor(() => reason, "the reset", 15_000);
    assert.match(reason!, /more events happened than the server keeps; reload the runs/);
    const next = flowRunEvents({ tasks: 1 });
    await raw(stalled.server.url, "POST", "/api/events", { events: next });
    await waitFor(() => live.length >= next.length || undefined, "live events after the reset", 15_000);
    follower.close();
    assert.deepEqual(
      live,
      next.map((e) => e.id),
    );
  });
});
