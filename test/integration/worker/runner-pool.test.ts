// The worker's pool of runner processes (worker/runner-pool.ts) with real `skein worker runner` children: runners
// that finished a run stay for the next ones (never more than the worker's limit), so a busy worker does not pay
// a process start per run; and runners retire after their share of runs.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { builtCli } from "../../fixtures/built-cli.ts";
import { tempHome } from "../../fixtures/temp-home.ts";
import { type Runner, RunnerPool } from "../../../worker/runner-pool.ts";

const home = tempHome("skein-runner-pool-");
const pools: RunnerPool[] = [];

function pool(limit: number, runsPerProcess: number): RunnerPool {
  const created = new RunnerPool({
    cli: { node: process.execPath, args: [builtCli()] },
    cwd: home,
    env: { ...process.env, SKEIN_HOME: home, SKEIN_API_URL: "" },
    warm: 1,
    limit,
    runsPerProcess,
  });
  created.start();
  pools.push(created);
  return created;
}

after(async () => {
  for (const created of pools) await created.stop();
});

const pids = (runners: Runner[]) => runners.map((runner) => runner.child.pid).sort();

test("runners that end their runs together all stay for the next runs, up to the limit", async () => {
  const runners = pool(4, 100);
  const first = [runners.take(), runners.take(), runners.take(), runners.take()];
  for (const runner of first) runners.giveBack(runner, true);
  const second = [runners.take(), runners.take(), runners.take(), runners.take()];
  assert.deepEqual(pids(second), pids(first), "the same four processes run the next four runs");
  for (const runner of second) runners.giveBack(runner, true);
});

test("a runner that ran its share of runs, or whose run failed, ends", async () => {
  const runners = pool(2, 2);
  const runner = runners.take();
  runners.giveBack(runner, true);
  assert.equal(runners.take(), runner, "one run done, one left: it runs again");
  runners.giveBack(runner, true);
  const ended = await runner.exited;
  assert.equal(ended.code, 0, "it ended after its second run");
  const other = runners.take();
  assert.notEqual(other, runner);
  runners.giveBack(other, false);
  await other.exited;
});
