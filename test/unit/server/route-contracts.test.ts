// Every route the server registers has a contract in protocol/api/ and was registered from it, and every
// contract has its route: the server app is built in process and fastify's onRoute hook lists what it serves.
import { test } from "node:test";
import assert from "node:assert/strict";
import type { RouteOptions } from "fastify";
import { API_ROUTES } from "../../../protocol/api/index.ts";
import type { RouteContract } from "../../../protocol/api/contract.ts";
import { buildServer } from "../../../server/app.ts";
import type { Store } from "../../../store/types.ts";

const key = (method: string, path: string) => `${method} ${path}`;

/** The routes of a server app, as fastify registers them (HEAD routes are fastify's own copies of GETs). */
async function registeredRoutes(): Promise<RouteOptions[]> {
  // No route touches the store while being registered, and crash detection stays off.
  const server = buildServer({
    store: { location: "memory" } as Store,
    backend: "none",
    crashDetection: { enabled: false },
  });
  const routes: RouteOptions[] = [];
  server.app.addHook("onRoute", (route) => {
    if (route.method !== "HEAD") routes.push(route);
  });
  await server.app.ready();
  await server.close();
  return routes;
}

test("the server serves exactly the routes of the contracts, each registered from its contract", async () => {
  const routes = await registeredRoutes();
  const served = new Map(routes.map((route) => [key(String(route.method), route.url), route]));
  const contracted = new Map(API_ROUTES.map((contract) => [key(contract.method, contract.path), contract]));

  assert.deepEqual(
    [...served.keys()].filter((route) => !contracted.has(route)),
    [],
    "routes without a contract",
  );
  assert.deepEqual(
    [...contracted.keys()].filter((route) => !served.has(route)),
    [],
    "contracts without a route",
  );
  assert.equal(served.size, routes.length, "a route registered twice");
  assert.equal(contracted.size, API_ROUTES.length, "two contracts with one method and path");
  for (const [route, options] of served) {
    const registeredWith = (options.config as { contract?: RouteContract } | undefined)?.contract;
    assert.equal(registeredWith, contracted.get(route), `${route} is not registered from its contract`);
  }
});

test("each contract's path parameters are the ones its params schema describes", () => {
  for (const contract of API_ROUTES) {
    const inPath = [...contract.path.matchAll(/:(\w+)/g)].map((match) => match[1]).sort();
    const described = Object.keys((contract.params as { properties?: object } | undefined)?.properties ?? {}).sort();
    assert.deepEqual(described, inPath, `${contract.method} ${contract.path}`);
  }
});

test("with checkResponses, an answer with a field its contract does not list fails loudly", async () => {
  let variables: object[] = [{ name: "region", value: "eu" }];
  const store = { location: "memory", listVariables: async () => variables } as unknown as Store;
  const server = buildServer({ store, backend: "none", crashDetection: { enabled: false }, checkResponses: true });
  const stderr = process.stderr.write;
  process.stderr.write = () => true; // the server logs the 500; this test expects it
  try {
    assert.equal((await server.app.inject({ method: "GET", url: "/api/variables" })).statusCode, 200);
    variables = [{ name: "region", value: "eu", ciphertext: "leaked" }];
    const answer = await server.app.inject({ method: "GET", url: "/api/variables" });
    assert.equal(answer.statusCode, 500);
    assert.match(
      answer.json().error,
      /breaks its contract: \/variables\/0 must NOT have additional properties 'ciphertext'/,
    );
  } finally {
    process.stderr.write = stderr;
    await server.close();
  }
});
