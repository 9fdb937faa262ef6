// `skein work-pool …` as users run it: straight on the SQLite file of SKEIN_HOME (no server), and through a
// server (SKEIN_API_URL) over each backend. Tables for people, --json for scripts, one-line errors exiting 1.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import { BACKENDS, tempHome } from "../../fixtures/server/backends.ts";
import { runCli } from "../../fixtures/built-cli.ts";
import { startTestServer, type TestServer } from "../../fixtures/server/test-server.ts";

/** Asynchronous: the server under test runs in this process and must keep answering while the CLI waits. */
function skeinIn(home: string, apiUrl = "") {
  return (...args: string[]) =>
    runCli(["work-pool", ...args], home, { env: { SKEIN_API_URL: apiUrl, SKEIN_DATABASE_URL: "" } });
}

describe("skein work-pool on the SQLite file of SKEIN_HOME", () => {
  const home = tempHome("skein-work-pool-cli-");
  const skein = skeinIn(home);
  after(() => fs.rmSync(home, { recursive: true, force: true }));

  test("create, ls as a table, pause, resume, set-concurrency-limit, inspect", async () => {
    const created = await skein("create", "etl-pool", "--description", "nightly ETL", "--concurrency-limit", "2");
    assert.equal(created.code, 0, created.stderr);
    assert.match(created.stdout, /Created work pool 'etl-pool' \(type process\) with queue 'default'/);
    assert.equal((await skein("pause", "etl-pool")).code, 0);
    const ls = await skein("ls");
    assert.match(ls.stdout, /^NAME\s+TYPE\s+STATUS\s+CONCURRENCY LIMIT\s+DESCRIPTION\n/);
    assert.match(ls.stdout, /etl-pool\s+process\s+paused\s+2\s+nightly ETL/);
    assert.match((await skein("resume", "etl-pool")).stdout, /Work pool 'etl-pool' is ready/);
    assert.match((await skein("set-concurrency-limit", "etl-pool", "none")).stdout, /concurrency limit: none/);
    const inspect = await skein("inspect", "etl-pool");
    assert.equal(inspect.code, 0, inspect.stderr);
    assert.match(inspect.stdout, /status:\s+ready/);
    assert.match(inspect.stdout, /concurrency limit: none/);
    assert.match(inspect.stdout, /QUEUE\s+PRIORITY\s+STATUS\s+CONCURRENCY LIMIT\ndefault\s+1\s+ready\s+none/);
  });

  test("mistakes are one line on stderr and exit 1", async () => {
    for (const [args, message] of [
      [["create", "etl-pool"], /Cannot create work pool 'etl-pool': a work pool named 'etl-pool' already exists/],
      [["create", "a/b"], /Invalid work pool name 'a\/b'/],
      [["create", "typed", "--type", "Big Iron"], /Invalid work pool type 'Big Iron'/],
      [["set-concurrency-limit", "etl-pool", "-3"], /Invalid concurrency limit '-3'/],
      [["set-concurrency-limit", "etl-pool", "2.5"], /Invalid concurrency limit '2.5'/],
      [["pause", "nope"], /No work pool named 'nope'/],
      [["inspect", "nope"], /No work pool named 'nope'/],
    ] as const) {
      const answer = await skein(...args);
      assert.equal(answer.code, 1, `${args.join(" ")}: ${answer.stdout}`);
      assert.equal(answer.stderr.trim().split("\n").length, 1, answer.stderr);
      assert.match(answer.stderr, message);
    }
    assert.equal((await skein("inspect", "typed")).code, 1, "a refused create stores nothing");
  });
});

for (const backend of BACKENDS) {
  describe(`skein work-pool through a server over ${backend.name}`, { skip: backend.skip }, () => {
    const home = tempHome("skein-work-pool-cli-");
    let server: TestServer;
    let skein: ReturnType<typeof skeinIn>;
    before(async () => {
      server = await startTestServer(backend);
      skein = skeinIn(home, server.url);
    });
    after(async () => {
      await server?.close();
      fs.rmSync(home, { recursive: true, force: true });
    });

    test("what the CLI creates and changes is what the server serves, and --json is the record", async () => {
      const created = JSON.parse((await skein("create", "gpu", "--type", "docker", "--paused", "--json")).stdout);
      assert.deepEqual(
        [created.name, created.type, created.paused, created.concurrencyLimit],
        ["gpu", "docker", true, null],
      );
      assert.equal((await skein("set-concurrency-limit", "gpu", "5")).code, 0);
      assert.equal((await skein("resume", "gpu")).code, 0);
      const served = await server.store.getWorkPool("gpu");
      assert.deepEqual([served?.paused, served?.concurrencyLimit], [false, 5]);
      const listed = JSON.parse((await skein("ls", "--json")).stdout);
      assert.deepEqual(
        listed.map((pool: any) => pool.name),
        ["gpu"],
      );
      const inspected = JSON.parse((await skein("inspect", "gpu", "--json")).stdout);
      assert.deepEqual([inspected.workQueues.map((q: any) => q.name), inspected.deployments], [["default"], []]);
      const duplicate = await skein("create", "gpu");
      assert.equal(duplicate.code, 1);
      assert.match(duplicate.stderr, /a work pool named 'gpu' already exists/);
    });
  });
}
