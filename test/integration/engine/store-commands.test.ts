// Variables, secrets and global concurrency limits through the CLI, and limits that hold across processes.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { openStore, runCli, startCli, tempHome, waitForLog, waitForRun } from "./helpers.ts";

const HOLD = "test/fixtures/engine/shared-slot.ts:holdSlot";

describe("store commands", () => {
  test("variable and secret set / get / ls / unset", async () => {
    const home = tempHome();
    assert.equal((await runCli(["variable", "set", "region", '{"name":"eu"}'], home)).code, 0);
    assert.equal((await runCli(["variable", "get", "region"], home)).stdout, '{"name":"eu"}\n');
    const again = await runCli(["variable", "set", "region", "x"], home);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /already exists/);
    assert.equal((await runCli(["secret", "set", "token", "abc123"], home)).code, 0);
    assert.equal((await runCli(["secret", "ls"], home)).stdout, "token\n");
    assert.equal((await runCli(["variable", "unset", "region"], home)).code, 0);
    assert.match((await runCli(["variable", "get", "region"], home)).stderr, /No variable named 'region'/);
  });

  test("flow-run ls, inspect and logs read the store", async () => {
    const home = tempHome();
    assert.equal((await runCli(["run", "examples/etl.ts:etl", "--param", "date=2024-02-03"], home)).code, 0);
    const ls = await runCli(["flow-run", "ls"], home);
    const [id] = ls.stdout.split(/\s+/);
    assert.match(ls.stdout, /etl\/etl-2024-02-03  Completed\(\)/);
    const inspected = JSON.parse((await runCli(["flow-run", "inspect", id], home)).stdout);
    assert.equal(inspected.alive, false);
    assert.deepEqual(inspected.taskRuns.map((t: { name: string }) => t.name), ["extract-0", "transform-0", "load-0"]);
    assert.match((await runCli(["flow-run", "logs", id], home)).stdout, /INFO {5}\| loaded 5 rows/);
    const missing = await runCli(["flow-run", "inspect", "nope"], home);
    assert.match(missing.stderr, /No flow run with id nope/);
  });

  test("a global limit holds across processes, and a SIGKILLed holder's lease is freed", async () => {
    const home = tempHome();
    assert.equal((await runCli(["gcl", "create", "shared-slot", "1"], home)).code, 0);
    const [a, b] = [startCli(["run", HOLD, "--param", "holdMs=300"], home), startCli(["run", HOLD, "--param", "holdMs=300"], home)];
    const results = await Promise.all([a.done, b.done]);
    assert.deepEqual(results.map((r) => r.code), [0, 0], results.map((r) => r.stderr).join("\n"));
    const store = openStore(home);
    const runs = await store.listFlowRuns({ flowName: "hold-slot" });
    const spans = await Promise.all(runs.map(async (run) => (await store.listLogs(run.id)).map((log) => log.timestamp)));
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
    assert.match((await runCli(["gcl", "ls"], home)).stdout, /shared-slot\t0\/1/);
  });
});
