// `skein run` against a store in trouble, with real faults: another process holding the SQLite write lock, a
// full disk (a small tmpfs), a wrong API key, a server that refuses one event. A run that exits 0 has every
// record stored; one that could not store them all exits 3 and says why, where, and how many are missing.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { sqliteBackend } from "../../fixtures/server/backends.ts";
import { startTestServer, type TestServer } from "../../fixtures/server/test-server.ts";
import { TMPFS_SKIP, withTmpfs } from "../../fixtures/tmpfs.ts";
import { openStore, runCli, startCli, tempHome } from "../engine/helpers.ts";

const FLOW = "test/fixtures/engine/steady-writes.ts:steadyWrites";
const STORE_WRITE_EXIT_CODE = 3;

/** Holds the write lock of `file` (BEGIN IMMEDIATE) from another process for `ms`; resolves once it holds it. */
function holdWriteLock(file: string, ms: number): Promise<Promise<void>> {
  const script = `const { DatabaseSync } = require("node:sqlite");
    const db = new DatabaseSync(process.argv[1], { timeout: 10000 });
    db.exec("BEGIN IMMEDIATE"); console.log("locked");
    setTimeout(() => { db.exec("COMMIT"); db.close(); }, Number(process.argv[2]));`;
  const child = spawn(process.execPath, ["-e", script, file, String(ms)], { stdio: ["ignore", "pipe", "inherit"] });
  const released = new Promise<void>((resolve) => child.on("exit", () => resolve()));
  return new Promise((resolve) => child.stdout.once("data", () => resolve(released)));
}

describe("skein run with a store in trouble", () => {
  test("another process holds the SQLite write lock for longer than the busy timeout: the run waits, stores all", async () => {
    const home = tempHome();
    const run = startCli(["run", FLOW, "--param", "count=40", "--param", "gapMs=100"], home);
    let out = "";
    run.stdout!.on("data", (chunk) => (out += chunk));
    while (!out.includes("step-3")) await new Promise((resolve) => setTimeout(resolve, 20));
    // Longer than the connection's 5 s busy timeout, so a single wait is not enough.
    const released = await holdWriteLock(path.join(home, "skein.db"), 6500);
    const result = await run.done;
    await released;
    assert.equal(result.code, 0, result.stderr);
    assert.doesNotMatch(result.stderr, /not stored|could not store/);
    const store = openStore(home);
    const [flowRun] = await store.listFlowRuns();
    assert.equal(flowRun.state.name, "Completed");
    const taskRuns = await store.listTaskRuns(flowRun.id);
    assert.equal(taskRuns.length, 40);
    assert.ok(taskRuns.every((t) => t.state.name === "Completed"));
    assert.equal((await store.listLogs(flowRun.id)).filter((l) => l.message.startsWith("step ")).length, 40);
    await store.close();
  });

  test("the disk fills up mid-run: exit 3, the file, 'disk full', and how many records are missing", {
    skip: TMPFS_SKIP,
  }, async () => {
    const result = await withTmpfs("600k", (disk) =>
      runCli(["run", FLOW, "--param", "count=300", "--param", "gapMs=2"], path.join(disk, "home")),
    );
    assert.equal(result.code, STORE_WRITE_EXIT_CODE, result.stderr);
    assert.match(result.stdout, /Result: 44850/, "the flow itself completed");
    const summary = result.stderr.match(/(\d+) run record\(s\) were not stored in (\S+): (.*)/);
    assert.ok(summary, result.stderr);
    assert.ok(Number(summary[1]) > 0);
    assert.match(summary[2], /skein-tmpfs-\w+\/home\/skein\.db$/);
    assert.match(summary[3], /disk full/);
    assert.match(summary[3], /SQLITE_FULL/);
    assert.doesNotMatch(result.stderr, /no transaction is active/);
  });
});

test("skein run --help documents the exit code kept for records that could not be stored", async () => {
  const help = await runCli(["run", "--help"], tempHome());
  assert.match(help.stdout, new RegExp(`\\n  ${STORE_WRITE_EXIT_CODE} +some of its records could not be stored`));
});

describe("skein run reporting to a server that refuses", () => {
  let server: TestServer;
  before(async () => (server = await startTestServer(sqliteBackend, { apiKey: "right-key" })));
  after(() => server?.close());

  for (const [key, status] of [
    ["wrong-key", 403],
    ["", 401],
  ] as const) {
    test(`${key ? "a wrong" : "no"} API key: exit 3 naming the URL and ${status}`, async () => {
      const result = await runCli(["run", FLOW, "--param", "count=3", "--param", "gapMs=1"], tempHome(), {
        env: { SKEIN_API_URL: server.url, SKEIN_API_KEY: key },
      });
      assert.equal(result.code, STORE_WRITE_EXIT_CODE, result.stderr);
      assert.match(result.stderr, /\d+ run record\(s\) were not stored/);
      assert.ok(
        result.stderr.includes(`the Skein server at ${server.url} refused the run's events (${status}`),
        result.stderr,
      );
      assert.match(result.stderr, /set SKEIN_API_KEY/);
    });
  }

  test("one event refused (a task run name past the server's limit): the others are stored, one is missing", async () => {
    const result = await runCli(
      ["run", FLOW, "--param", "count=20", "--param", "gapMs=1", "--param", "nameLength=600"],
      tempHome(),
      { env: { SKEIN_API_URL: server.url, SKEIN_API_KEY: "right-key" } },
    );
    assert.equal(result.code, STORE_WRITE_EXIT_CODE, result.stderr);
    assert.match(result.stderr, /1 run record\(s\) were not stored in /);
    assert.match(result.stderr, /task-run-created event/);
    assert.match(result.stderr, /name/);
    const [flowRun] = await server.store.listFlowRuns({ flowName: "steady-writes" });
    assert.equal(flowRun.state.name, "Completed");
    const taskRuns = await server.store.listTaskRuns(flowRun.id);
    assert.equal(taskRuns.length, 20, "every task run but the refused one is stored");
    assert.ok(taskRuns.every((t) => t.state.name === "Completed"));
  });
});
