// API-key enforcement: with a key every request must carry it; without one, only loopback binds are allowed.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import { ApiClient } from "../../../client/api-client.ts";
import { followEvents } from "../../../client/event-stream.ts";
import { HttpStore } from "../../../store/http/http-store.ts";
import { startServer } from "../../../server/run-server.ts";
import { sqliteBackend, tempHome } from "../../fixtures/server/backends.ts";
import { flowRunEvents } from "../../fixtures/server/events.ts";
import { raw, startTestServer, type TestServer } from "../../fixtures/server/test-server.ts";

describe("API key", () => {
  let server: TestServer;
  before(async () => (server = await startTestServer(sqliteBackend, { apiKey: "s3cret" })));
  after(async () => server?.close());

  test("requests without the key get 401, with a wrong key 403, with the key 200", async () => {
    assert.equal((await raw(server.url, "GET", "/api/health")).status, 401);
    assert.equal((await raw(server.url, "GET", "/api/flow-runs")).status, 401);
    assert.equal((await raw(server.url, "POST", "/api/events", { events: [] })).status, 401);
    assert.equal((await raw(server.url, "GET", "/api/events/stream")).status, 401);
    assert.equal(
      (await raw(server.url, "GET", "/api/health", undefined, { authorization: "Bearer nope" })).status,
      403,
    );
    assert.equal(
      (await raw(server.url, "GET", "/api/health", undefined, { authorization: "Bearer s3cret" })).status,
      200,
    );
    assert.equal((await raw(server.url, "GET", "/api/health", undefined, { "x-api-key": "s3cret" })).status, 200);
  });

  test("an HttpStore with the key reports runs; without it, it fails with a clear error", async () => {
    const events = flowRunEvents({ tasks: 2 });
    const good = new HttpStore(server.url, { apiKey: "s3cret" });
    await good.appendEvents(events);
    assert.equal((await good.getFlowRun(events[0].flowRunId))?.state.name, "Completed");
    await good.close();
    const bad = new HttpStore(server.url, { apiKey: "wrong" });
    await assert.rejects(bad.listFlowRuns(), /wrong API key/);
    await bad.close();
  });

  test("an event stream without the key is refused and says why", async () => {
    let refusal: Error | undefined;
    const follower = followEvents(new ApiClient(server.url, "wrong"), {
      onEvent: () => undefined,
      onError: (error) => (refusal = error),
    });
    await follower.done;
    assert.match(refusal?.message ?? "", /refused \(403\)/);
  });

  test("the server refuses to bind beyond loopback without a key", async () => {
    const home = tempHome();
    try {
      await assert.rejects(
        startServer({ home, host: "0.0.0.0", port: 0, env: {} }),
        /refusing to listen on 0\.0\.0\.0 without SKEIN_API_KEY/,
      );
    } finally {
      fs.rmSync(home, { recursive: true, force: true });
    }
  });
});
