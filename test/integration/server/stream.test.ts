// The live event stream: events as they are stored, per flow run or all, deleted runs, and resumption after a
// disconnect.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { ApiClient } from "../../../client/api-client.ts";
import { followEvents } from "../../../client/event-stream.ts";
import { buildServer } from "../../../server/app.ts";
import { SqliteStore } from "../../../store/sqlite/sqlite-store.ts";
import type { RunEvent } from "../../../protocol/run-events.ts";
import { sqliteBackend } from "../../fixtures/server/backends.ts";
import { flowRunEvents } from "../../fixtures/server/events.ts";
import { raw, startTestServer, type TestServer } from "../../fixtures/server/test-server.ts";

async function until(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe("live event stream", () => {
  let server: TestServer;
  before(async () => (server = await startTestServer(sqliteBackend)));
  after(async () => server?.close());

  test("a subscriber of one flow run sees that run's events in order, and only those (recorded inputs stay out)", async () => {
    const mine = flowRunEvents({ tasks: 3 });
    const other = flowRunEvents({ tasks: 3 });
    const created = mine.find((e) => e.kind === "task-run-created")!;
    const inputs: RunEvent = {
      kind: "task-run-inputs",
      id: `${created.id}.inputs`,
      timestamp: created.timestamp,
      flowRunId: created.flowRunId,
      taskRunId: (created as { taskRunId: string }).taskRunId,
      inputs: JSON.stringify({ rows: [1, 2, 3] }),
    };
    const seen: RunEvent[] = [];
    let connected = false;
    const follower = followEvents(server.client, {
      flowRunId: mine[0].flowRunId,
      onEvent: (e) => seen.push(e),
      onConnect: () => (connected = true),
    });
    await until(() => connected, "the stream to connect");
    await raw(server.url, "POST", "/api/events", { events: [...mine.slice(0, 5), inputs, ...other] });
    await raw(server.url, "POST", "/api/events", { events: mine.slice(5) });
    await until(() => seen.length === mine.length, "all events of the run");
    assert.deepEqual(
      seen.map((e) => e.id),
      mine.map((e) => e.id),
    );
    follower.close();
  });

  test("after a disconnect, resuming with the last event id delivers what was missed, once", async () => {
    const events = flowRunEvents({ tasks: 10 });
    const first: RunEvent[] = [];
    let connected = false;
    const follower = followEvents(server.client, {
      flowRunId: events[0].flowRunId,
      onEvent: (e) => first.push(e),
      onConnect: () => (connected = true),
    });
    await until(() => connected, "the stream to connect");
    await raw(server.url, "POST", "/api/events", { events: events.slice(0, 10) });
    await until(() => first.length === 10, "the first ten events");
    follower.close();
    await follower.done;
    // While nobody listens: the rest of the run, plus a retried (duplicate) batch.
    await raw(server.url, "POST", "/api/events", { events: events.slice(10) });
    await raw(server.url, "POST", "/api/events", { events: events.slice(5, 15) });
    const resumed: RunEvent[] = [];
    const again = followEvents(server.client, {
      flowRunId: events[0].flowRunId,
      lastEventId: follower.lastEventId,
      onEvent: (e) => resumed.push(e),
    });
    await until(() => resumed.length >= events.length - 10, "the missed events");
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.deepEqual(
      [...first, ...resumed].map((e) => e.id),
      events.map((e) => e.id),
    );
    again.close();
  });

  test("a deleted run is announced, in order after its events, to its subscribers and to one resuming later", async () => {
    const events = flowRunEvents({ tasks: 2 });
    const flowRunId = events[0].flowRunId;
    const seen: string[] = [];
    let connected = false;
    const follower = followEvents(server.client, {
      flowRunId,
      onEvent: (e) => seen.push(e.id),
      onDeleted: (id, eventId) => seen.push(`deleted ${id} ${eventId}`),
      onConnect: () => (connected = true),
    });
    await until(() => connected, "the stream to connect");
    await raw(server.url, "POST", "/api/events", { events });
    await until(() => seen.length === events.length, "the run's events");
    const beforeDeletion = follower.lastEventId;
    assert.deepEqual((await raw(server.url, "DELETE", `/api/flow-runs/${flowRunId}`)).json, { deleted: true });
    await until(() => seen.length === events.length + 1, "the deletion");
    const notice = seen.at(-1)!;
    assert.match(notice, new RegExp(`^deleted ${flowRunId} `));
    assert.equal(notice.split(" ")[2], follower.lastEventId, "the deletion's id is the one to resume after");
    assert.deepEqual((await raw(server.url, "DELETE", `/api/flow-runs/${flowRunId}`)).json, { deleted: false });
    follower.close();
    await follower.done;

    const resumed: string[] = [];
    const again = followEvents(server.client, {
      lastEventId: beforeDeletion,
      onEvent: (e) => resumed.push(e.id),
      onDeleted: (id) => resumed.push(`deleted ${id}`),
    });
    await until(() => resumed.length > 0, "the missed deletion");
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.deepEqual(resumed, [`deleted ${flowRunId}`], "announced once: deleting nothing announces nothing");
    again.close();
  });

  test("an id the server cannot resume from (another server's) is answered with a reset", async () => {
    let reason: string | undefined;
    const follower = followEvents(server.client, {
      lastEventId: "0000beef-12",
      onEvent: () => undefined,
      onReset: (r) => (reason = r),
    });
    await until(() => reason !== undefined, "the reset");
    assert.match(reason!, /restarted/);
    follower.close();
  });

  test("the stream survives a raw connection that goes away mid-stream", async () => {
    const controller = new AbortController();
    const response = await fetch(`${server.url}/api/events/stream`, { signal: controller.signal });
    assert.equal(response.headers.get("content-type"), "text/event-stream; charset=utf-8");
    controller.abort();
    await raw(server.url, "POST", "/api/events", { events: flowRunEvents({ tasks: 1 }) });
    assert.equal((await raw(server.url, "GET", "/api/health")).status, 200);
  });
});

describe("live event stream of runs that write to SQLite directly", () => {
  let server: TestServer;
  let writer: SqliteStore;
  before(async () => {
    const { store, dispose } = await sqliteBackend.open();
    const file = store.location;
    const built = buildServer({ store, backend: "sqlite", crashDetection: { enabled: false }, sqliteFile: file });
    const url = await built.app.listen({ host: "127.0.0.1", port: 0 });
    const client = new ApiClient(url);
    server = {
      url,
      server: built,
      store,
      client,
      close: async () => {
        await client.close();
        await built.close();
        await dispose();
      },
    };
    // A run process without SKEIN_API_URL: its own connection to the same file.
    writer = new SqliteStore(file);
  });
  after(async () => {
    await writer?.close();
    await server?.close();
  });

  test("every event a local run stores appears on the stream once, with its own id", async () => {
    const events = flowRunEvents({ tasks: 5, logsPerTask: 2 });
    const seen: RunEvent[] = [];
    let connected = false;
    const follower = followEvents(server.client, { onEvent: (e) => seen.push(e), onConnect: () => (connected = true) });
    await until(() => connected, "the stream to connect");
    // In several batches, as the write-behind queue would, plus one batch also sent through the API.
    await writer.appendEvents(events.slice(0, 7));
    await writer.appendEvents(events.slice(7, 20));
    await raw(server.url, "POST", "/api/events", { events: events.slice(7, 20) });
    await writer.appendEvents(events.slice(20));
    await until(() => seen.length >= events.length, "the run's events", 15_000);
    await new Promise((resolve) => setTimeout(resolve, 600));
    const key = (e: RunEvent) => (e.kind === "artifact" ? `artifact:${e.artifactId}` : e.id);
    assert.deepEqual(seen.map(key).sort(), events.map(key).sort());
    const created = seen.find((e) => e.kind === "task-run-created");
    assert.equal(created?.kind === "task-run-created" && created.state.name, "Pending");
    assert.equal(created?.kind === "task-run-created" && created.taskName, "extract", "the task's name, from its row");
    follower.close();
  });
});
