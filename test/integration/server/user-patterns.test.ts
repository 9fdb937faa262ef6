// A parameter schema is user input: its `pattern` must not freeze the server. The server runs as its own process
// so that, were the pattern to backtrack, the test could still see other requests go unanswered.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import type { ChildProcess } from "node:child_process";
import { tempHome } from "../../fixtures/server/backends.ts";
import { startServerProcess } from "../../fixtures/server/processes.ts";
import { raw } from "../../fixtures/server/test-server.ts";

describe("a catastrophic pattern in a deployment's parameter schema", () => {
  const home = tempHome();
  let child: ChildProcess;
  let url: string;
  before(async () => {
    const server = await startServerProcess(home, { SKEIN_API_URL: "", SKEIN_DATABASE_URL: "" });
    child = server.child;
    url = server.info.url;
  });
  after(() => {
    child?.kill("SIGKILL");
    fs.rmSync(home, { recursive: true, force: true });
  });

  test("is checked on the request path while other requests are served", { timeout: 60_000 }, async () => {
    // A backtracking engine needs about 2^40 steps for this input: minutes of a blocked event loop.
    const deployment = raw(url, "POST", "/api/deployments", {
      name: "nightly",
      flowName: "etl",
      entrypoint: "flows/etl.ts:etl",
      parameterSchema: { type: "object", properties: { code: { type: "string", pattern: "^(a+)+$" } } },
      enforceParameterSchema: true,
      parameters: { code: `${"a".repeat(40)}!` },
    });
    const health = await raw(url, "GET", "/api/health");
    assert.equal(health.status, 200, "another request is served while the deployment is checked");
    const refused = await deployment;
    assert.equal(refused.status, 422, refused.text);
    assert.match(refused.json.error, /^parameters\/code does not fit the parameter schema: must match pattern/);
  });
});
