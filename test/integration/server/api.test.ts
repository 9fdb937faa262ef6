// The HTTP API over each backend: every resource, filters and paging, and bad requests answered 4xx.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { BACKENDS } from "../../fixtures/server/backends.ts";
import { Clock, flowRunEvents } from "../../fixtures/server/events.ts";
import { raw, startTestServer, type TestServer } from "../../fixtures/server/test-server.ts";

for (const backend of BACKENDS) {
  describe(`API over ${backend.name}`, { skip: backend.skip }, () => {
    let server: TestServer;
    const clock = new Clock(Date.parse("2032-01-01T00:00:00.000Z"));
    const etl = flowRunEvents({ flowName: "etl", tasks: 5, logsPerTask: 4, clock, artifactKey: "etl-report" });
    const runs = Array.from({ length: 7 }, (_, i) =>
      flowRunEvents({ flowName: "nightly", tasks: 0, clock, unfinished: i < 3 }),
    );
    const etlId = etl[0].flowRunId;

    before(async () => {
      server = await startTestServer(backend);
      const stored = await raw(server.url, "POST", "/api/events", { events: [...etl, ...runs.flat()] });
      assert.equal(stored.status, 200, stored.text);
    });
    after(async () => server?.close());

    test("health names the backend", async () => {
      const { status, json } = await raw(server.url, "GET", "/api/health");
      assert.equal(status, 200);
      assert.equal(json.backend, backend.name);
    });

    test("flows are listed with their run counts", async () => {
      const { json } = await raw(server.url, "GET", "/api/flows");
      const counts = Object.fromEntries(json.flows.map((f: any) => [f.name, f.runCount]));
      assert.deepEqual(counts, { etl: 1, nightly: 7 });
    });

    test("flow runs: filter by flow and state, page with limit/offset", async () => {
      const nightlyIds = runs.map((events) => events[0].flowRunId).reverse();
      const page1 = await raw(server.url, "GET", "/api/flow-runs?flowName=nightly&limit=3");
      const page2 = await raw(server.url, "GET", "/api/flow-runs?flowName=nightly&limit=3&offset=3");
      const page3 = await raw(server.url, "GET", "/api/flow-runs?flowName=nightly&limit=3&offset=6");
      assert.deepEqual(
        [...page1.json.flowRuns, ...page2.json.flowRuns, ...page3.json.flowRuns].map((r: any) => r.id),
        nightlyIds,
      );
      const running = await raw(server.url, "GET", "/api/flow-runs?state=RUNNING,PENDING");
      assert.equal(running.json.flowRuns.length, 3);
      const one = await raw(server.url, "GET", `/api/flow-runs/${etlId}`);
      assert.equal(one.json.state.name, "Completed");
      assert.equal((await raw(server.url, "GET", "/api/flow-runs/nope")).status, 404);
    });

    test("task runs of a flow run, one task run with its states", async () => {
      const { json } = await raw(server.url, "GET", `/api/flow-runs/${etlId}/task-runs`);
      assert.equal(json.taskRuns.length, 5);
      const first = json.taskRuns.find((t: any) => t.dynamicKey === 0);
      const detail = await raw(server.url, "GET", `/api/flow-runs/${etlId}/task-runs/${first.id}`);
      assert.deepEqual(
        detail.json.states.map((s: any) => s.name),
        ["Pending", "Running", "Completed"],
      );
      const states = await raw(server.url, "GET", `/api/runs/${etlId}/states`);
      assert.deepEqual(
        states.json.states.map((s: any) => s.name),
        ["Pending", "Running", "Completed"],
      );
      assert.equal((await raw(server.url, "GET", `/api/flow-runs/${etlId}/task-runs/nope`)).status, 404);
    });

    test("logs: minimum level, one task run, pages and tail", async () => {
      const all = await raw(server.url, "GET", `/api/flow-runs/${etlId}/logs`);
      assert.equal(all.json.total, 20);
      const warnings = await raw(server.url, "GET", `/api/flow-runs/${etlId}/logs?level=warning`);
      assert.ok(warnings.json.logs.length > 0 && warnings.json.logs.length < 20);
      assert.ok(warnings.json.logs.every((l: any) => l.level === "warning" || l.level === "error"));
      const page = await raw(server.url, "GET", `/api/flow-runs/${etlId}/logs?offset=4&limit=4`);
      assert.deepEqual(
        page.json.logs.map((l: any) => l.message),
        all.json.logs.slice(4, 8).map((l: any) => l.message),
      );
      const tail = await raw(server.url, "GET", `/api/flow-runs/${etlId}/logs?tail=3`);
      assert.deepEqual(
        tail.json.logs.map((l: any) => l.message),
        all.json.logs.slice(-3).map((l: any) => l.message),
      );
      const taskRunId = all.json.logs[0].taskRunId;
      const ofTask = await raw(server.url, "GET", `/api/flow-runs/${etlId}/logs?taskRunId=${taskRunId}`);
      assert.equal(ofTask.json.logs.length, 4);
    });

    test("artifacts of a run and by key", async () => {
      const list = await raw(server.url, "GET", `/api/flow-runs/${etlId}/artifacts`);
      assert.equal(list.json.artifacts.length, 1);
      const byKey = await raw(server.url, "GET", "/api/artifacts/by-key/etl-report");
      assert.equal(byKey.json.flowRunId, etlId);
      assert.equal((await raw(server.url, "GET", "/api/artifacts/by-key/none")).status, 404);
    });

    test("variables: set, get, list, delete", async () => {
      assert.equal((await raw(server.url, "PUT", "/api/variables/region", { value: { name: "eu" } })).status, 200);
      assert.deepEqual((await raw(server.url, "GET", "/api/variables/region")).json.value, { name: "eu" });
      assert.equal((await raw(server.url, "GET", "/api/variables")).json.variables.length, 1);
      assert.equal((await raw(server.url, "DELETE", "/api/variables/region")).json.deleted, true);
      assert.equal((await raw(server.url, "GET", "/api/variables/region")).status, 404);
    });

    test("secrets: listing shows names only; the ciphertext has its own route", async () => {
      await raw(server.url, "PUT", "/api/secrets/db-password", { ciphertext: "v1:aaa:bbb:ccc" });
      const list = await raw(server.url, "GET", "/api/secrets");
      assert.deepEqual(list.json, { secrets: [{ name: "db-password" }] });
      assert.ok(!list.text.includes("v1:aaa"));
      assert.equal(
        (await raw(server.url, "GET", "/api/secrets/db-password/ciphertext")).json.ciphertext,
        "v1:aaa:bbb:ccc",
      );
      assert.equal((await raw(server.url, "GET", "/api/secrets/db-password")).status, 404, "no plain read route");
    });

    test("concurrency limits and leases", async () => {
      await raw(server.url, "PUT", "/api/concurrency-limits/tag:db", { limit: 1 });
      const lease = await raw(server.url, "POST", "/api/leases", {
        names: ["tag:db"],
        slots: 1,
        holderPid: process.pid,
        decaying: false,
      });
      assert.equal(lease.json.acquired, true);
      const full = await raw(server.url, "POST", "/api/leases", {
        names: ["tag:db"],
        slots: 1,
        holderPid: process.pid,
        decaying: false,
      });
      assert.deepEqual(full.json.full, ["tag:db"]);
      const limits = await raw(server.url, "GET", "/api/concurrency-limits");
      assert.equal(limits.json.limits[0].activeSlots, 1);
      await raw(server.url, "POST", "/api/leases/release", { leaseIds: lease.json.leaseIds });
      assert.equal((await raw(server.url, "GET", "/api/concurrency-limits")).json.limits[0].activeSlots, 0);
      assert.equal((await raw(server.url, "DELETE", "/api/concurrency-limits/tag:db")).json.deleted, true);
    });

    test("cancellation is recorded and reported to the run process", async () => {
      const open = runs[0][0].flowRunId;
      assert.equal((await raw(server.url, "POST", `/api/flow-runs/${open}/cancel`, {})).status, 200);
      const requests = await raw(server.url, "POST", "/api/flow-runs/cancellation-requests", {
        flowRunIds: [open, etlId],
      });
      assert.deepEqual(requests.json.flowRunIds, [open]);
      assert.equal((await raw(server.url, "POST", "/api/flow-runs/nope/cancel", {})).status, 404);
    });

    test("bad requests get a 400 naming the problem, and the server keeps serving", async () => {
      const cases: [string, string, unknown][] = [
        ["POST", "/api/events", "{not json"],
        ["POST", "/api/events", { events: [{ kind: "state", id: "x" }] }],
        ["POST", "/api/events", { events: [{ kind: "unknown-kind", id: "x" }] }],
        ["POST", "/api/events", { events: "nope" }],
        ["POST", "/api/events", [1, 2, 3]],
        ["PUT", "/api/variables/x", { notValue: 1 }],
        ["PUT", "/api/concurrency-limits/x", { limit: -1 }],
        ["POST", "/api/leases", { names: [], slots: 1, holderPid: 1, decaying: false }],
        ["PUT", "/api/secrets/x", { ciphertext: 42 }],
        ["GET", "/api/flow-runs?limit=100000", undefined],
        ["GET", "/api/flow-runs?state=BOGUS", undefined],
        ["GET", `/api/flow-runs/${etlId}/logs?level=loud`, undefined],
      ];
      for (const [method, path, body] of cases) {
        const answer = await raw(server.url, method, path, body);
        assert.equal(answer.status, 400, `${method} ${path} ${JSON.stringify(body)} → ${answer.status} ${answer.text}`);
        assert.equal(typeof answer.json?.error, "string");
      }
      const stateEvent = {
        kind: "state",
        id: "s1",
        timestamp: "2032-01-01T00:00:00.000Z",
        flowRunId: "f",
        runKind: "flow",
        runId: "f",
        state: { type: "RUNNING", name: "Nope", timestamp: "2032-01-01T00:00:00.000Z" },
      };
      const badState = await raw(server.url, "POST", "/api/events", { events: [stateEvent] });
      assert.equal(badState.status, 400);
      assert.match(badState.json.error, /name/);
      assert.equal((await raw(server.url, "GET", "/api/no-such-route")).status, 404);
      assert.equal((await raw(server.url, "GET", "/api/health")).status, 200);
    });
  });
}
