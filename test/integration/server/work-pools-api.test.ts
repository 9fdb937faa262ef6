// Work pools, work queues and deployments over HTTP, on each backend: status codes and messages of what a
// client gets wrong (names, cron, time zones, rrules, parameters, duplicates, unknown pools), the refusals that
// protect pools and queues in use, and the editor's pool-name lookup against the real route.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { HttpWorkPoolDirectory } from "../../../language-server/work-pools.ts";
import { BACKENDS } from "../../fixtures/server/backends.ts";
import { raw, startTestServer, type TestServer } from "../../fixtures/server/test-server.ts";

const deployment = (fields: Record<string, unknown> = {}) => ({
  name: "nightly",
  flowName: "etl",
  entrypoint: "flows/etl.ts:etl",
  ...fields,
});

for (const backend of BACKENDS) {
  describe(`work pools, queues and deployments over ${backend.name}`, { skip: backend.skip }, () => {
    let server: TestServer;
    const call = (method: string, path: string, body?: unknown) => raw(server.url, method, path, body);
    before(async () => {
      server = await startTestServer(backend);
      assert.equal((await call("POST", "/api/work-pools", { name: "main", concurrencyLimit: 4 })).status, 201);
    });
    after(async () => server?.close());

    test("pools: 201 on create, 409 on a taken name, the list is what the editor's lookup reads", async () => {
      const created = await call("POST", "/api/work-pools", { name: "gpu", type: "process", description: "A100s" });
      assert.equal(created.status, 201, created.text);
      assert.deepEqual([created.json.name, created.json.paused, created.json.description], ["gpu", false, "A100s"]);
      const again = await call("POST", "/api/work-pools", { name: "gpu" });
      assert.deepEqual([again.status, again.json.error], [409, "a work pool named 'gpu' already exists"]);
      assert.deepEqual(await new HttpWorkPoolDirectory(() => server.url).names(), ["gpu", "main"]);
    });

    test("pools: pause, resume and the concurrency limit change through PUT; unknown pools are 404", async () => {
      const paused = await call("PUT", "/api/work-pools/main", { paused: true });
      assert.deepEqual([paused.status, paused.json.paused, paused.json.concurrencyLimit], [200, true, 4]);
      const unlimited = await call("PUT", "/api/work-pools/main", { paused: false, concurrencyLimit: null });
      assert.deepEqual([unlimited.json.paused, unlimited.json.concurrencyLimit], [false, null]);
      const missing = await call("PUT", "/api/work-pools/nope", { paused: true });
      assert.deepEqual([missing.status, missing.json.error], [404, "no work pool named 'nope'"]);
      assert.equal((await call("GET", "/api/work-pools/nope")).status, 404);
      assert.equal((await call("GET", "/api/work-pools/nope/queues")).status, 404);
    });

    test("bad pool and queue bodies are 400 naming the field", async () => {
      for (const [body, field] of [
        [{}, "name"],
        [{ name: "" }, "name"],
        [{ name: "a/b" }, "name"],
        [{ name: " padded" }, "name"],
        [{ name: "p", type: "Not A Type" }, "type"],
        [{ name: "p", concurrencyLimit: -1 }, "concurrencyLimit"],
        [{ name: "p", paused: "yes" }, "paused"],
        [{ name: "p", color: "red" }, "additional"],
      ] as const) {
        const answer = await call("POST", "/api/work-pools", body);
        assert.equal(answer.status, 400, `${JSON.stringify(body)}: ${answer.text}`);
        assert.match(answer.json.error, new RegExp(field), JSON.stringify(body));
      }
      const queue = await call("POST", "/api/work-pools/main/queues", { name: "q", priority: 0 });
      assert.equal(queue.status, 400);
      assert.match(queue.json.error, /priority/);
    });

    test("queues: create, 409 on a taken name, 404 in an unknown pool, the default queue cannot be deleted", async () => {
      const created = await call("POST", "/api/work-pools/main/queues", { name: "urgent", priority: 1 });
      assert.equal(created.status, 201, created.text);
      assert.equal((await call("POST", "/api/work-pools/main/queues", { name: "urgent" })).status, 409);
      const unknown = await call("POST", "/api/work-pools/nope/queues", { name: "urgent" });
      assert.deepEqual([unknown.status, unknown.json.error], [404, "no work pool named 'nope'"]);
      const listed = await call("GET", "/api/work-pools/main/queues");
      assert.deepEqual(
        listed.json.workQueues.map((q: any) => q.name),
        ["default", "urgent"],
      );
      const protectedDefault = await call("DELETE", "/api/work-pools/main/queues/default");
      assert.equal(protectedDefault.status, 409);
      assert.match(protectedDefault.json.error, /'default' queue/);
      assert.equal((await call("PUT", "/api/work-pools/main/queues/urgent", { paused: true })).json.paused, true);
    });

    test("deployments: 201, 409 for the same flow and name, unknown pools and queues named (404 / 422)", async () => {
      const created = await call(
        "POST",
        "/api/deployments",
        deployment({ workPoolName: "main", schedules: [{ interval: 3600 }] }),
      );
      assert.equal(created.status, 201, created.text);
      assert.deepEqual(
        created.json.schedules,
        [{ interval: 3600, active: true, parameters: {} }],
        "schedule defaults are filled in",
      );
      assert.equal(created.json.workQueueName, "default");
      const duplicate = await call("POST", "/api/deployments", deployment());
      assert.deepEqual(
        [duplicate.status, duplicate.json.error],
        [409, "flow 'etl' already has a deployment named 'nightly'"],
      );
      const unknownPool = await call(
        "POST",
        "/api/deployments",
        deployment({ name: "other", workPoolName: "gpu-cluster" }),
      );
      assert.deepEqual([unknownPool.status, unknownPool.json.error], [404, "no work pool named 'gpu-cluster'"]);
      const unknownQueue = await call(
        "POST",
        "/api/deployments",
        deployment({ name: "other", workPoolName: "main", workQueueName: "slow" }),
      );
      assert.deepEqual(
        [unknownQueue.status, unknownQueue.json.error],
        [422, "work pool 'main' has no work queue named 'slow'"],
      );
      const byName = await call("GET", "/api/deployments/by-name/etl/nightly");
      assert.equal(byName.json.id, created.json.id);
      const listed = await call("GET", "/api/deployments?workPool=main");
      assert.deepEqual(
        listed.json.deployments.map((d: any) => d.id),
        [created.json.id],
      );
      const paused = await call("PUT", `/api/deployments/${created.json.id}`, { paused: true });
      assert.deepEqual([paused.status, paused.json.deployment.paused], [200, true]);
    });

    test("a pool or queue in use by deployments is not deleted", async () => {
      const pool = await call("DELETE", "/api/work-pools/main");
      assert.deepEqual(
        [pool.status, pool.json.error],
        [409, "work pool 'main' is used by deployment etl/nightly; delete or move them first"],
      );
      assert.equal((await call("GET", "/api/work-pools/main")).status, 200);
      const unused = await call("DELETE", "/api/work-pools/main/queues/urgent");
      assert.deepEqual([unused.status, unused.json], [200, { deleted: true }]);
      assert.deepEqual((await call("DELETE", "/api/work-pools/gpu")).json, { deleted: true });
    });

    test("schedules that could never run are 422 naming the schedule and the field", async () => {
      for (const [schedule, message] of [
        [{ cron: "61 * * * *" }, /^schedules\[0\]\.cron: invalid cron expression '61 \* \* \* \*'/],
        [{ cron: "? 0 * * *" }, /^schedules\[0\]\.cron: invalid cron expression '\? 0 \* \* \*': '\?' is allowed only/],
        [
          { cron: "0 3 * * *", timezone: "Mars/Olympus" },
          /^schedules\[0\]\.timezone: unknown time zone 'Mars\/Olympus'/,
        ],
        [{ rrule: "FREQ=SOMETIMES" }, /^schedules\[0\]\.rrule: invalid rrule/],
      ] as const) {
        const answer = await call(
          "POST",
          "/api/deployments",
          deployment({ name: "scheduled", schedules: [{ interval: 60 }, schedule].reverse() }),
        );
        assert.equal(answer.status, 422, `${JSON.stringify(schedule)}: ${answer.text}`);
        assert.match(answer.json.error, message);
      }
      const both = await call(
        "POST",
        "/api/deployments",
        deployment({ name: "scheduled", schedules: [{ cron: "* * * * *", interval: 60 }] }),
      );
      assert.equal(both.status, 400, "exactly one of cron, interval and rrule");
      const ok = await call(
        "POST",
        "/api/deployments",
        deployment({
          name: "scheduled",
          schedules: [{ cron: "0 3 * * 1-5", timezone: "America/New_York" }, { rrule: "FREQ=WEEKLY;BYDAY=MO" }],
        }),
      );
      assert.equal(ok.status, 201, ok.text);
    });

    test("entrypoints and parameter schemas: bad ones are refused, enforced schemas check parameters", async () => {
      for (const entrypoint of ["flows/etl.ts", "flows/etl.ts:", ":etl", "flows/etl.ts:1abc", "a.ts:A.b.c"]) {
        const answer = await call("POST", "/api/deployments", deployment({ name: "e", entrypoint }));
        assert.equal(answer.status, 400, entrypoint);
        assert.match(answer.json.error, /entrypoint/);
      }
      const schema = { type: "object", properties: { rows: { type: "integer" } }, required: ["rows"] };
      const wrongType = await call(
        "POST",
        "/api/deployments",
        deployment({ name: "p", parameterSchema: schema, parameters: { rows: "ten" } }),
      );
      assert.deepEqual(
        [wrongType.status, wrongType.json.error],
        [422, "parameters/rows does not fit the parameter schema: must be integer"],
      );
      const inSchedule = await call(
        "POST",
        "/api/deployments",
        deployment({ name: "p", parameterSchema: schema, schedules: [{ interval: 60, parameters: { rows: 1.5 } }] }),
      );
      assert.equal(inSchedule.status, 422);
      assert.match(inSchedule.json.error, /^schedules\[0\]\.parameters\/rows/);
      const notEnforced = await call(
        "POST",
        "/api/deployments",
        deployment({ name: "p", parameterSchema: schema, parameters: { rows: "ten" }, enforceParameterSchema: false }),
      );
      assert.equal(
        notEnforced.status,
        201,
        "a required parameter may come with the run; an unenforced schema is not checked",
      );
      const badSchema = await call(
        "POST",
        "/api/deployments",
        deployment({ name: "q", parameterSchema: { type: "no-such-type" } }),
      );
      assert.equal(badSchema.status, 422);
      assert.match(badSchema.json.error, /^parameterSchema is not a valid JSON Schema/);
      const tighten = await call("PUT", `/api/deployments/${notEnforced.json.id}`, { enforceParameterSchema: true });
      assert.equal(tighten.status, 422, "an update is checked against the whole resulting deployment");
    });
    test("near-valid hostile deployments are answered 4xx, never 5xx", async () => {
      const hostile: Record<string, unknown>[] = [
        { parameterSchema: { $ref: "#/definitions/missing" } },
        { parameterSchema: { properties: { a: { pattern: "(" } } } },
        {
          parameterSchema: { type: "object", properties: { a: { type: "string", format: "no-such-format" } } },
          parameters: { a: "x" },
        },
        { schedules: [{ cron: "@yearly" }] },
        { schedules: [{ cron: "* * * * * * * *" }] },
        { schedules: [{ cron: "\u0000" }] },
        { schedules: [{ rrule: "DTSTART:bogus\nRRULE:FREQ=DAILY" }] },
        { schedules: [{ interval: 1e308 }] },
        { schedules: [{ timezone: "UTC" }] },
        { workPoolName: "main", workQueueName: "../../etc" },
        { workQueueName: "default" },
        { flowName: "x".repeat(501) },
      ];
      for (const fields of hostile) {
        const answer = await call("POST", "/api/deployments", deployment({ name: "hostile", ...fields }));
        assert.ok(answer.status < 500, `${JSON.stringify(fields)} → ${answer.status} ${answer.text}`);
        if (answer.status === 201) await call("DELETE", `/api/deployments/${answer.json.id}`);
      }
      const queueWithoutPool = await call(
        "POST",
        "/api/deployments",
        deployment({ name: "hostile", workQueueName: "default" }),
      );
      assert.deepEqual(
        [queueWithoutPool.status, queueWithoutPool.json.error],
        [422, "work queue 'default' is named without a work pool"],
      );
    });
  });
}
