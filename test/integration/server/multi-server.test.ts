// Several servers on one PostgreSQL database: a client streaming from one server sees the runs that report to
// another (LISTEN/NOTIFY relay), and runs deleted through another, and both serve the same runs.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import { ApiClient } from "../../../client/api-client.ts";
import { followEvents } from "../../../client/event-stream.ts";
import { HttpStore } from "../../../store/http/http-store.ts";
import { startServer, type RunningServer } from "../../../server/run-server.ts";
import type { RunEvent } from "../../../protocol/run-events.ts";
import { PG_SKIP, PG_URL, tempHome } from "../../fixtures/server/backends.ts";
import { flowRunEvents } from "../../fixtures/server/events.ts";
import { createTestSchema } from "../../fixtures/server/pg-schema.ts";
import { waitFor } from "../../fixtures/server/processes.ts";

describe("two servers on one PostgreSQL database", { skip: PG_SKIP }, () => {
  const homes = [tempHome(), tempHome()];
  let schema: { url: string; drop(): Promise<void> };
  let servers: RunningServer[] = [];

  before(async () => {
    schema = await createTestSchema(PG_URL!);
    const env = { SKEIN_DATABASE_URL: schema.url };
    servers = [
      await startServer({ home: homes[0], host: "127.0.0.1", port: 0, env }),
      await startServer({ home: homes[1], host: "127.0.0.1", port: 0, env }),
    ];
  });
  after(async () => {
    for (const server of servers) await server.stop();
    await schema?.drop();
    for (const home of homes) fs.rmSync(home, { recursive: true, force: true });
  });

  test("a run reporting to one server is streamed live by the other, once, and so is its deletion", async () => {
    const [a, b] = servers;
    const client = new ApiClient(b.info.url);
    const seen: RunEvent[] = [];
    const deleted: string[] = [];
    let connected = false;
    const follower = followEvents(client, {
      onEvent: (e) => seen.push(e),
      onDeleted: (flowRunId) => deleted.push(flowRunId),
      onConnect: () => (connected = true),
    });
    await waitFor(() => connected, "the stream to connect");
    const events = flowRunEvents({ tasks: 20, logsPerTask: 2 });
    const store = new HttpStore(a.info.url);
    await store.appendEvents(events);
    await store.appendEvents(events.slice(0, 10));
    await waitFor(() => seen.length >= events.length || undefined, "the relayed events");
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.deepEqual(
      seen.map((e) => e.id),
      events.map((e) => e.id),
    );
    const onB = new HttpStore(b.info.url);
    assert.equal((await onB.getFlowRun(events[0].flowRunId))?.state.name, "Completed");
    assert.equal(await store.deleteFlowRun(events[0].flowRunId), true);
    await waitFor(() => deleted.length > 0 || undefined, "the relayed deletion");
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.deepEqual(deleted, [events[0].flowRunId]);
    follower.close();
    await Promise.all([store.close(), onB.close(), client.close()]);
  });
});
