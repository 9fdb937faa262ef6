// Variables, secrets and global concurrency limits through the CLI, and limits that hold across processes.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { openStore, runCli, startCli, tempHome, waitForLog, waitForRun } from "../engine/helpers.ts";

const HOLD = "test/fixtures/engine/shared-slot.ts:holdSlot";

describe("store commands", () => {
  test("variable and secret set / get / ls / unset", async () => {
    const home = tempHome();
    assert.equal((await runCli(["variable", "set", "region", '{"name":"eu"}'], home)).code, 0);
    assert.equal((await runCli(["variable", "get", "region"], home)).stdout, '{"name":"eu"}\n');
    const again = await runCli(["variable", "set", "region", "x"], home);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /already exists/);
    assert.equal((await runCli(["secret", "set", "token"], home, { input: "abc123\n" })).code, 0);
    assert.match(
      (await runCli(["secret", "set", "token", "abc123"], home)).stderr,
      /standard input, not the command line/,
    );
    assert.equal((await runCli(["secret", "ls"], home)).stdout, "NAME\ntoken\n");
    assert.deepEqual(JSON.parse((await runCli(["secret", "ls", "--json"], home)).stdout), ["token"]);
    assert.equal((await runCli(["variable", "unset", "region"], home)).code, 0);
    assert.match((await runCli(["variable", "get", "region"], home)).stderr, /No variable named 'region'/);
  });

  test("flow-run ls, inspect and logs read the store", async () => {
    const home = tempHome();
    assert.equal((await runCli(["run", "examples/etl.ts:etl", "--param", "date=2024-02-03"], home)).code, 0);
    const ls = await runCli(["flow-run", "ls"], home);
    assert.match(ls.stdout, /^ID +FLOW +NAME +STATE +CREATED$/m);
    assert.match(ls.stdout, / etl +etl-2024-02-03 +Completed\(\) /);
    const [listed] = JSON.parse((await runCli(["flow-run", "ls", "--json"], home)).stdout);
    const id = listed.id;
    assert.deepEqual(JSON.parse((await runCli(["flow-run", "ls", "--state", "FAILED", "--json"], home)).stdout), []);
    const inspected = JSON.parse((await runCli(["flow-run", "inspect", id, "--json"], home)).stdout);
    assert.equal(inspected.alive, false);
    assert.deepEqual(
      inspected.taskRuns.map((t: { name: string }) => t.name),
      ["extract-0", "transform-0", "load-0"],
    );
    assert.deepEqual(
      inspected.states.map((s: { name: string }) => s.name),
      ["Pending", "Running", "Completed"],
    );
    const readable = (await runCli(["flow-run", "inspect", id], home)).stdout;
    assert.match(readable, /Flow run 'etl-2024-02-03' .* of flow 'etl'/);
    assert.match(readable, /load-0 +Completed\(\)/);
    assert.match((await runCli(["flow-run", "logs", id], home)).stdout, /INFO {5}\| loaded 5 rows/);
    const logs = (await runCli(["flow-run", "logs", id, "--json"], home)).stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    assert.ok(logs.some((log: { message: string }) => log.message === "loaded 5 rows"));
    assert.equal((await runCli(["flow-run", "logs", id, "--level", "error"], home)).stdout, "");
    assert.match(
      (await runCli(["flow-run", "logs", id, "--level", "loud"], home)).stderr,
      /--level must be one of debug, info/,
    );
    const missing = await runCli(["flow-run", "inspect", "nope"], home);
    assert.match(missing.stderr, /No flow run with id nope/);
  });

  test("flow-run logs --tail follows a running flow run until it ends", async () => {
    const home = tempHome();
    const run = startCli(["run", HOLD, "--param", "holdMs=1500"], home);
    const running = await waitForRun(home, "hold-slot", (r) => r.state.name === "Running" && r.pid === run.pid);
    const tail = await runCli(["flow-run", "logs", running.id, "--tail"], home);
    assert.equal((await run.done).code, 0);
    assert.equal(tail.code, 0, tail.stderr);
    assert.match(
      tail.stdout,
      new RegExp(`INFO {5}\\| holding ${run.pid}\\n(.*\\n)*.*INFO {5}\\| releasing ${run.pid}`),
    );
    assert.match(tail.stdout, /Flow run '.*' finished in state Completed\(\)\n$/);
  });

  test("a global limit holds across processes, and a SIGKILLed holder's lease is freed", async () => {
    const home = tempHome();
    assert.equal((await runCli(["gcl", "create", "shared-slot", "1"], home)).code, 0);
    const [a, b] = [
      startCli(["run", HOLD, "--param", "holdMs=300"], home),
      startCli(["run", HOLD, "--param", "holdMs=300"], home),
    ];
    const results = await Promise.all([a.done, b.done]);
    assert.deepEqual(
      results.map((r) => r.code),
      [0, 0],
      results.map((r) => r.stderr).join("\n"),
    );
    const store = openStore(home);
    const runs = await store.listFlowRuns({ flowName: "hold-slot" });
    const spans = await Promise.all(
      runs.map(async (run) => (await store.listLogs(run.id)).map((log) => log.timestamp)),
    );
    await store.close();
    const [first, second] = spans.sort((x, y) => x[0].localeCompare(y[0]));
    assert.ok(first[1] <= second[0], `the second holder started after the first released: ${first} / ${second}`);

    const holder = startCli(["run", HOLD, "--param", "holdMs=-1"], home);
    const held = await waitForRun(home, "hold-slot", (run) => run.state.name === "Running" && run.pid === holder.pid);
    await waitForLog(home, held.id, `holding ${holder.pid}`);
    holder.kill("SIGKILL");
    await holder.done;
    const next = await runCli(["run", HOLD, "--param", "holdMs=0"], home);
    assert.equal(next.code, 0, next.stderr);
    assert.match((await runCli(["gcl", "ls"], home)).stdout, /^shared-slot +0 +1 *$/m);
  });
});
