// Nothing a client sends makes the server fail: every route gets malformed and hostile input (seeded, so a
// failure repeats) and must answer 2xx or 4xx, never 5xx, and keep serving.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { BACKENDS } from "../../fixtures/server/backends.ts";
import { raw, startTestServer, type TestServer } from "../../fixtures/server/test-server.ts";
import { seededRandom } from "../../seeded-random.ts";

const ROUTES: [string, string][] = [
  ["POST", "/api/events"],
  ["GET", "/api/flows"],
  ["GET", "/api/flow-runs"],
  ["GET", "/api/flow-runs/x"],
  ["GET", "/api/runs/x/states"],
  ["GET", "/api/flow-runs/x/alive"],
  ["POST", "/api/flow-runs/x/cancel"],
  ["POST", "/api/flow-runs/heartbeat"],
  ["POST", "/api/flow-runs/cancellation-requests"],
  ["GET", "/api/flow-runs/x/task-runs"],
  ["GET", "/api/flow-runs/x/task-runs/y"],
  ["GET", "/api/flow-runs/x/logs"],
  ["GET", "/api/flow-runs/x/artifacts"],
  ["GET", "/api/artifacts/by-key/k"],
  ["GET", "/api/cache/k"],
  ["PUT", "/api/cache/k"],
  ["GET", "/api/variables"],
  ["GET", "/api/variables/v"],
  ["PUT", "/api/variables/v"],
  ["DELETE", "/api/variables/v"],
  ["GET", "/api/secrets"],
  ["GET", "/api/secrets/s/ciphertext"],
  ["PUT", "/api/secrets/s"],
  ["DELETE", "/api/secrets/s"],
  ["GET", "/api/concurrency-limits"],
  ["PUT", "/api/concurrency-limits/c"],
  ["DELETE", "/api/concurrency-limits/c"],
  ["POST", "/api/leases"],
  ["POST", "/api/leases/release"],
  ["POST", "/api/crash-detection/sweep"],
  ["GET", "/api/health"],
  ["GET", "/api/work-pools"],
  ["POST", "/api/work-pools"],
  ["GET", "/api/work-pools/p"],
  ["PUT", "/api/work-pools/p"],
  ["DELETE", "/api/work-pools/p"],
  ["GET", "/api/work-pools/p/queues"],
  ["POST", "/api/work-pools/p/queues"],
  ["GET", "/api/work-pools/p/queues/q"],
  ["PUT", "/api/work-pools/p/queues/q"],
  ["DELETE", "/api/work-pools/p/queues/q"],
  ["GET", "/api/deployments"],
  ["POST", "/api/deployments"],
  ["GET", "/api/deployments/d"],
  ["PUT", "/api/deployments/d"],
  ["DELETE", "/api/deployments/d"],
  ["GET", "/api/deployments/by-name/f/d"],
];

/**
 * Each query parameter a route reads, with values a client might plausibly send: valid ones (`ok`, drawn most of
 * the time, so many requests get past validation into the handler) and near misses (`bad`).
 */
type Values = { ok: string[]; bad: string[] };
const PAGING: Record<string, Values> = {
  limit: { ok: ["1", "50", "10000"], bad: ["0", "10001", "-1", "2.5", "abc", "", "99999999999999999999"] },
  offset: { ok: ["0", "10", "1000000"], bad: ["-3", "1000001", "0x10", "NaN"] },
};
const QUERIES: Record<string, Record<string, Values>> = {
  "/api/flows": PAGING,
  "/api/flow-runs": {
    ...PAGING,
    flowName: { ok: ["etl", "x".repeat(300), "'; DROP TABLE flow_runs; --", "\u0000", "%", "_", "../etc"], bad: [""] },
    state: {
      ok: ["RUNNING", "RUNNING,PENDING", "COMPLETED,CRASHED,FAILED"],
      bad: ["running", "RUNNING,", ",RUNNING", "RUNNING,,PENDING", "BOGUS", ""],
    },
  },
  "/api/flow-runs/x/logs": {
    ...PAGING,
    limit: { ok: ["1", "1000", "100000"], bad: ["100001", "0", "-1", "x"] },
    level: { ok: ["debug", "info", "warning", "error", "critical"], bad: ["WARNING", "warn", ""] },
    taskRunId: { ok: ["y", "x".repeat(300), "%00", "\u0000"], bad: [""] },
    tail: { ok: ["1", "3", "10000"], bad: ["10001", "0", "-3", "1.5", "z"] },
  },
  "/api/deployments": {
    flowName: { ok: ["etl", "x".repeat(500), "'; DROP TABLE deployments; --", "\u0000"], bad: ["", "x".repeat(501)] },
    workPool: { ok: ["default", "p", "p\u0000"], bad: ["", "x".repeat(201)] },
  },
};

/** A query for the route: some of its own parameters (now and then an unknown one), values mostly valid. */
function hostileQuery(path: string, next: () => number): string {
  const pick = (values: string[]) => values[Math.floor(next() * values.length)];
  const pairs = Object.entries(QUERIES[path] ?? PAGING)
    .filter(() => next() < 0.6)
    .map(([key, values]) => [key, next() < 0.8 ? pick(values.ok) : pick(values.bad)]);
  if (next() < 0.05) pairs.push(["unexpected", "1"]);
  if (pairs.length === 0) return "";
  return `?${pairs.map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`).join("&")}`;
}

function hostileValue(next: () => number, depth = 0): unknown {
  const choices: (() => unknown)[] = [
    () => null,
    () => true,
    () => -1,
    () => 1e308,
    () => 3.5,
    () => "",
    () => "x".repeat(Math.floor(next() * 5000)),
    () => "'; DROP TABLE flow_runs; --",
    () => "\u0000\uffff😀",
    () => "../../etc/passwd",
    () => ({ __proto__: { polluted: true } }),
    () => (depth < 3 ? Array.from({ length: Math.floor(next() * 4) }, () => hostileValue(next, depth + 1)) : []),
    () =>
      depth < 3
        ? Object.fromEntries(
            ["kind", "id", "events", "value", "limit", "names", "state", "flowRunIds", "leaseIds", "ciphertext"]
              .filter(() => next() < 0.5)
              .map((key) => [key, hostileValue(next, depth + 1)]),
          )
        : {},
    () => ({
      events: [
        {
          kind: "state",
          id: "s",
          timestamp: "2030-01-01T00:00:00Z",
          flowRunId: "f",
          runKind: "flow",
          runId: "f",
          state: { type: "RUNNING", name: "Running", timestamp: hostileValue(next, depth + 1) },
        },
      ],
    }),
  ];
  return choices[Math.floor(next() * choices.length)]();
}

for (const backend of BACKENDS) {
  describe(`hostile input (${backend.name})`, { skip: backend.skip }, () => {
    let server: TestServer;
    before(async () => (server = await startTestServer(backend)));
    after(async () => server?.close());

    test("every route answers malformed bodies and queries with 2xx/4xx, never 5xx", async () => {
      const next = seededRandom(20261121);
      const failures: string[] = [];
      /** Per route that reads a query: how many requests with a query got past validation to its handler. */
      const reached = new Map(Object.keys(QUERIES).map((path) => [path, 0]));
      for (const [method, path] of ROUTES) {
        for (let i = 0; i < 12; i++) {
          const query = next() < 0.5 ? hostileQuery(path, next) : "";
          const body = method === "GET" || method === "DELETE" ? undefined : i === 0 ? "{broken" : hostileValue(next);
          const answer = await raw(
            server.url,
            method,
            path + query,
            body === undefined ? undefined : typeof body === "string" ? body : (JSON.stringify(body) ?? "null"),
          );
          if (answer.status >= 500)
            failures.push(
              `${method} ${path}${query} ${JSON.stringify(body)?.slice(0, 200)} → ${answer.status} ${answer.text.slice(0, 200)}`,
            );
          if (query && answer.status !== 400 && reached.has(path)) reached.set(path, reached.get(path)! + 1);
        }
      }
      assert.deepEqual(failures, []);
      for (const [path, count] of reached) assert.ok(count > 0, `no query to ${path} reached its handler`);
      assert.equal((await raw(server.url, "GET", "/api/health")).status, 200);
    });

    test("a body over the size limit is refused with 413", async () => {
      const answer = await raw(server.url, "POST", "/api/events", `{"events":["${"x".repeat(65 * 1024 * 1024)}"]}`);
      assert.equal(answer.status, 413);
    });
  });
}
