// ApiClient builds each URL from its route contract: path parameters filled in and URL-encoded, the query from
// the fields given; a parameter the path needs and the call lacks is a clear error, not a request to "undefined".
import { test } from "node:test";
import assert from "node:assert/strict";
import { ApiClient } from "../../../client/api-client.ts";
import { deploymentsApi } from "../../../protocol/api/deployments.ts";
import { eventsApi } from "../../../protocol/api/events.ts";
import { workPoolsApi } from "../../../protocol/api/work-pools.ts";

const client = new ApiClient("http://127.0.0.1:4200/");

test("path parameters are filled in from the contract's path and URL-encoded", () => {
  assert.equal(
    client.urlOf(workPoolsApi.getQueue, { params: { pool: "gpu pool", queue: "a/b%" } }),
    "http://127.0.0.1:4200/api/work-pools/gpu%20pool/queues/a%2Fb%25",
  );
});

test("the query holds the fields given; left-out ones are not sent", () => {
  assert.equal(client.urlOf(eventsApi.stream, {}), "http://127.0.0.1:4200/api/events/stream");
  assert.equal(
    client.urlOf(deploymentsApi.list, { query: { flowName: "etl & co", workPool: undefined } }),
    "http://127.0.0.1:4200/api/deployments?flowName=etl+%26+co",
  );
});

test("a missing path parameter is refused before any request", async () => {
  const untyped = client as unknown as { call(contract: unknown, request: unknown): Promise<unknown> };
  await assert.rejects(
    untyped.call(deploymentsApi.byName, { params: { flowName: "etl" } }),
    /GET \/api\/deployments\/by-name\/:flowName\/:name: no value for :name/,
  );
});
