// HttpStore's delivery rules against a real server that fails on purpose: transient failures are retried until
// stored (once), and a long wait is said; bad events fail at once, order is kept, and lease requests are never
// repeated blindly.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { healthApi } from "../../../protocol/api/health.ts";
import { HttpStore } from "../../../store/http/http-store.ts";
import { buildServer, type SkeinServer } from "../../../server/app.ts";
import type { RunEvent } from "../../../protocol/run-events.ts";
import { sqliteBackend } from "../../fixtures/server/backends.ts";
import { flowRunEvents } from "../../fixtures/server/events.ts";

describe("HttpStore delivery", () => {
  let server: SkeinServer;
  let url: string;
  let dispose: () => Promise<void>;
  /** Requests to fail with 503 before letting them through, per route. */
  const failNext = new Map<string, number>();
  const attempts = new Map<string, number>();

  before(async () => {
    const opened = await sqliteBackend.open();
    dispose = opened.dispose;
    server = buildServer({ store: opened.store, backend: "sqlite", crashDetection: { enabled: false } });
    server.app.addHook("onRequest", async (request, reply) => {
      const route = `${request.method} ${request.url.split("?")[0]}`;
      attempts.set(route, (attempts.get(route) ?? 0) + 1);
      const failures = failNext.get(route) ?? 0;
      if (failures > 0) {
        failNext.set(route, failures - 1);
        return reply.code(503).send({ error: "try again" });
      }
    });
    url = await server.app.listen({ host: "127.0.0.1", port: 0 });
  });
  after(async () => {
    await server?.close();
    await dispose?.();
  });

  test("a batch that meets transient failures is retried until stored, and stored once", async () => {
    const store = new HttpStore(url);
    const events = flowRunEvents({ tasks: 3 });
    attempts.clear();
    failNext.set("POST /api/events", 3);
    await store.appendEvents(events);
    assert.equal(attempts.get("POST /api/events"), 4);
    assert.equal((await store.listTaskRuns(events[0].flowRunId)).length, 3);
    assert.equal((await store.getFlowRun(events[0].flowRunId))?.state.name, "Completed");
    await store.close();
  });

  test("events kept waiting by a server that does not answer are said to wait, once, and its return too", async () => {
    const told: string[] = [];
    const store = new HttpStore(url, { warn: (message) => told.push(message) });
    const events = flowRunEvents({ tasks: 1 });
    failNext.set("POST /api/events", 7); // about 3 s of retries
    await store.appendEvents(events);
    assert.equal(told.length, 2, told.join("\n"));
    assert.match(
      told[0],
      new RegExp(`^${events.length} run record\\(s\\) are waiting to be stored: .*Retrying for up to 10 min`),
    );
    assert.match(told[1], /answers again/);
    assert.equal((await store.getFlowRun(events[0].flowRunId))?.state.name, "Completed");
    await store.close();
  });

  test("events the server rejects fail the caller at once, with the server's reason", async () => {
    const store = new HttpStore(url);
    attempts.clear();
    const bad = [{ kind: "log", id: "x", flowRunId: "f" }] as unknown as RunEvent[];
    await assert.rejects(store.appendEvents(bad), /400|invalid request/);
    assert.equal(attempts.get("POST /api/events"), 1);
    // The store keeps working for the next events.
    const events = flowRunEvents({ tasks: 1 });
    await store.appendEvents(events);
    assert.ok(await store.getFlowRun(events[0].flowRunId));
    await store.close();
  });

  test("calls made without waiting are delivered in order", async () => {
    const store = new HttpStore(url);
    const events = flowRunEvents({ tasks: 50 });
    failNext.set("POST /api/events", 1);
    await Promise.all(events.map((event) => store.appendEvents([event])));
    const flowRunId = events[0].flowRunId;
    assert.deepEqual(
      (await store.listStates(flowRunId)).map((s) => s.name),
      ["Pending", "Running", "Completed"],
    );
    assert.ok((await store.listTaskRuns(flowRunId)).every((t) => t.state.name === "Completed"));
    await store.close();
  });

  test("a lease request that failed on the server is not repeated (it could take the slots twice)", async () => {
    const store = new HttpStore(url);
    await store.upsertConcurrencyLimit("once", 1);
    attempts.clear();
    failNext.set("POST /api/leases", 1);
    await assert.rejects(
      store.tryAcquireLeases({ names: ["once"], slots: 1, holderPid: process.pid, decaying: false }),
      /503|try again/,
    );
    assert.equal(attempts.get("POST /api/leases"), 1);
    await store.close();
  });

  test("a server that is not there is reported in one line naming it", async () => {
    const store = new HttpStore("http://127.0.0.1:9");
    await assert.rejects(
      store.client.call(healthApi.health, {}, { retry: { deadlineMs: 0, firstDelayMs: 0, maxDelayMs: 0 } }),
      /cannot reach the Skein server at http:\/\/127\.0\.0\.1:9/,
    );
    await store.close();
  });
});
