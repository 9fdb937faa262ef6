// DNS rebinding and cross-origin writes, tried as a hostile web page would: raw HTTP requests whose Host is a name
// the attacker owns (pointed at 127.0.0.1) or whose Origin is the attacker's page. Neither may read or write.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { request } from "undici";
import { sqliteBackend } from "../../fixtures/server/backends.ts";
import { flowRunEvents } from "../../fixtures/server/events.ts";
import { startTestServer, type TestServer } from "../../fixtures/server/test-server.ts";

async function send(server: TestServer, method: "GET" | "PUT" | "POST", path: string, headers: Record<string, string>) {
  const body = method === "GET" ? undefined : JSON.stringify({ value: "from the page" });
  const response = await request(server.url + path, {
    method,
    headers: body ? { "content-type": "application/json", ...headers } : headers,
    body,
  });
  return { status: response.statusCode, text: await response.body.text() };
}

describe("requests addressed to another host or from another origin", () => {
  let server: TestServer;
  let port: string;
  let flowRunId: string;
  before(async () => {
    server = await startTestServer(sqliteBackend, { allowedHosts: ["skein.internal", ".lab.example"] });
    port = new URL(server.url).port;
    const events = flowRunEvents({ tasks: 1, unfinished: true });
    flowRunId = events[0].flowRunId;
    await server.store.appendEvents(events);
  });
  after(async () => server?.close());

  test("a rebound name in Host gets 421 for reads, writes and the stream, and changes nothing", async () => {
    const host = { host: `attacker.example:${port}` };
    for (const [method, path] of [
      ["GET", "/api/flow-runs"],
      ["GET", `/api/flow-runs/${flowRunId}/logs`],
      ["GET", "/api/events/stream"],
      ["PUT", "/api/variables/planted"],
      ["POST", `/api/flow-runs/${flowRunId}/cancel`],
    ] as const) {
      const answer = await send(server, method, path, host);
      assert.equal(answer.status, 421, `${method} ${path}: ${answer.text}`);
      assert.match(answer.text, /does not answer to host 'attacker\.example:\d+'.*SKEIN_SERVER_HOSTS/);
    }
    assert.equal(await server.store.getVariable("planted"), undefined);
    assert.equal((await server.store.getFlowRun(flowRunId))?.cancelRequestedAt, null);
  });

  test("loopback names and addresses, IP addresses and configured names are served", async () => {
    for (const host of [
      `127.0.0.1:${port}`,
      `localhost:${port}`,
      `LOCALHOST:${port}`,
      `[::1]:${port}`,
      "10.1.2.3",
      `skein.internal:${port}`,
      `ci.lab.example:${port}`,
    ]) {
      const answer = await send(server, "GET", "/api/health", { host });
      assert.equal(answer.status, 200, `${host}: ${answer.text}`);
    }
    for (const host of ["skein.internal.attacker.example", "evil-lab.example", "localhost.attacker.example"])
      assert.equal((await send(server, "GET", "/api/health", { host })).status, 421, host);
  });

  test("a foreign Origin is refused with 403, for writes and reads; the server's own origin is served", async () => {
    const foreign = { host: `127.0.0.1:${port}`, origin: "http://attacker.example" };
    const write = await send(server, "PUT", "/api/variables/planted", foreign);
    assert.equal(write.status, 403, write.text);
    assert.match(write.text, /cross-origin request refused: Origin 'http:\/\/attacker\.example'/);
    assert.equal(await server.store.getVariable("planted"), undefined);
    assert.equal((await send(server, "POST", `/api/flow-runs/${flowRunId}/cancel`, foreign)).status, 403);
    assert.equal((await server.store.getFlowRun(flowRunId))?.cancelRequestedAt, null);
    assert.equal((await send(server, "GET", "/api/flow-runs", foreign)).status, 403);
    assert.equal((await send(server, "GET", "/api/health", { ...foreign, origin: "null" })).status, 403);
    assert.equal(
      (await send(server, "GET", "/api/health", { ...foreign, origin: `http://localhost:${port}` })).status,
      403,
      "another origin of the same machine (a page served by localhost) is still another origin",
    );
    const own = await send(server, "PUT", "/api/variables/mine", { ...foreign, origin: `http://127.0.0.1:${port}` });
    assert.equal(own.status, 200, own.text);
    assert.equal(await server.store.getVariable("mine"), "from the page");
  });
});
