// Deployment runs from request to end, as users run them: `skein deployment run` creates a Scheduled run,
// `skein worker start` (a real process) claims it and starts `skein run --flow-run-id`, and the run's process
// adopts it. Also: parameters refused one line each, cancelling a running deployment run, a SIGKILLed run process
// ended Crashed by its worker with `onCrashed` run, and a SIGKILLed worker's run ended Crashed.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { runCli, startCli, ROOT } from "../../fixtures/built-cli.ts";
import { tempHome } from "../../fixtures/temp-home.ts";
import { SqliteStore } from "../../../store/sqlite/sqlite-store.ts";
import type { FlowRunRecord } from "../../../store/types.ts";

const FLOWS = path.join(ROOT, "test/fixtures/worker");
const env = { SKEIN_API_URL: "", SKEIN_DATABASE_URL: "", SKEIN_WORKER_CWD: FLOWS, SKEIN_WORKER_POLL_MS: "100" };

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe("deployment runs through a worker (SQLite file of SKEIN_HOME)", () => {
  const home = tempHome("skein-worker-");
  const skein = (...args: string[]) => runCli(args, home, { env });
  let store: SqliteStore;

  before(async () => {
    assert.equal((await skein("work-pool", "create", "local")).code, 0);
    store = new SqliteStore(path.join(home, "skein.db"));
    const schema = {
      type: "object",
      properties: { name: { type: "string" }, times: { type: "integer" } },
      required: ["name", "times"],
      additionalProperties: false,
    };
    for (const input of [
      {
        name: "hello",
        flowName: "greet",
        entrypoint: "flows.ts:greet",
        parameters: { name: "ann" },
        parameterSchema: schema,
        enforceParameterSchema: true,
      },
      {
        // As `skein deploy` stores it: the schema generated from the signature says nothing of other names.
        name: "open",
        flowName: "greet",
        entrypoint: "flows.ts:greet",
        parameterSchema: { type: "object", properties: schema.properties, required: ["name", "times"] },
        enforceParameterSchema: true,
      },
      { name: "long", flowName: "waits", entrypoint: "flows.ts:waits" },
      {
        name: "redeployed",
        flowName: "where-am-i",
        entrypoint: "flows.ts:whereAmI",
        jobVariables: { env: { SKEIN_TEST_GREETING: "before" } },
      },
      { name: "fragile", flowName: "crashes-once", entrypoint: "flows.ts:crashesOnce" },
      { name: "pids", flowName: "records-pid", entrypoint: "flows.ts:recordsPid" },
      { name: "gone", flowName: "gone", entrypoint: "no-such-file.ts:gone" },
      {
        name: "placed",
        flowName: "where-am-i",
        entrypoint: "flows.ts:whereAmI",
        jobVariables: { working_dir: FLOWS, env: { SKEIN_TEST_GREETING: "hello" }, image: "python:3.12" },
      },
    ]) {
      const outcome = await store.createDeployment({ ...input, workPoolName: "local" });
      assert.ok("created" in outcome, JSON.stringify(outcome));
    }
  });
  after(() => store.close());

  const runOf = async (id: string) => (await store.getFlowRun(id))!;
  const createdId = (stdout: string) => /\(([0-9a-f-]{36})\)/.exec(stdout)![1];

  test("a worker runs a deployment run with the deployment's parameters and the run's", async () => {
    const created = await skein("deployment", "run", "greet/hello", "--param", "times=3");
    assert.equal(created.code, 0, created.stderr);
    const id = createdId(created.stdout);
    assert.match(created.stdout, /No worker has ever polled work pool 'local'/);
    assert.equal((await runOf(id)).state.name, "Scheduled");
    const worker = await skein("worker", "start", "--pool", "local", "--run-once", "--name", "w-once");
    assert.equal(worker.code, 0, worker.stderr);
    const run = await runOf(id);
    assert.equal(run.state.name, "Completed");
    assert.deepEqual(run.parameters, { name: "ann", times: 3 });
    assert.equal(run.workerName, "w-once");
    assert.match(worker.stdout, /Result: "ann:3"/);
    const states = (await store.listStates(id)).map((state) => state.name);
    assert.deepEqual(states, ["Scheduled", "Pending", "Running", "Completed"]);
  });

  test("parameters that do not fit the stored schema are refused, one line per parameter", async () => {
    const refused = await skein("deployment", "run", "greet/hello", "--params", '{"times":"many","color":"red"}');
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /Invalid parameters for deployment 'greet\/hello':/);
    assert.match(refused.stderr, /\n {2}- parameter 'times' must be integer/);
    assert.match(refused.stderr, /\n {2}- parameter 'color' is unknown/);
    assert.equal((await store.listFlowRuns({ stateTypes: ["SCHEDULED"] })).length, 0, "nothing was created");
  });

  test("a name the flow does not take is refused though the schema does not forbid other names", async () => {
    const refused = await skein(
      "deployment",
      "run",
      "greet/open",
      "--param",
      "name=bo",
      "--param",
      "times=1",
      "--param",
      "nope=1",
      "--param",
      "nix=2",
    );
    assert.equal(refused.code, 1, refused.stdout);
    assert.match(
      refused.stderr,
      /Invalid parameters for deployment 'greet\/open':\n {2}- parameter 'nope' is unknown\n {2}- parameter 'nix' is unknown\n/,
    );
    assert.equal((await store.listFlowRuns({ stateTypes: ["SCHEDULED"] })).length, 0, "nothing was created");
  });

  test("cancelling a running deployment run ends it Cancelled", async () => {
    const worker = startCli(["worker", "start", "--pool", "local", "--name", "w-cancel"], home, { env });
    try {
      const marker = path.join(home, "cancel-marker");
      const id = createdId((await skein("deployment", "run", "waits/long", "--param", `marker=${marker}`)).stdout);
      await until("the run to start", async () => ((await runOf(id)).state.name === "Running" ? true : undefined));
      const cancel = await skein("flow-run", "cancel", id);
      assert.equal(cancel.code, 0, cancel.stderr);
      const run = await until("the run to end", async () => {
        const current = await runOf(id);
        return current.state.type === "RUNNING" ? undefined : current;
      });
      assert.equal(run.state.name, "Cancelled");
      assert.equal(fs.existsSync(marker), false, "onCrashed did not run for a cancellation");
    } finally {
      worker.kill("SIGINT");
      await worker.done;
    }
  });

  test("a SIGKILLed run process is Crashed by its worker at once, and its onCrashed hooks run", async () => {
    const worker = startCli(["worker", "start", "--pool", "local", "--name", "w-kill"], home, { env });
    try {
      const marker = path.join(home, "crash-marker");
      const id = createdId((await skein("deployment", "run", "waits/long", "--param", `marker=${marker}`)).stdout);
      const running = await until("the run to start", async () => {
        const current = await runOf(id);
        return current.state.name === "Running" && current.pid > 0 ? current : undefined;
      });
      process.kill(running.pid, "SIGKILL");
      const run = await until("the run to end", async () => {
        const current = await runOf(id);
        return current.state.type === "RUNNING" ? undefined : current;
      });
      assert.equal(run.state.name, "Crashed");
      assert.match(run.state.message ?? "", /was killed by SIGKILL before the run finished/);
      const hook = await until("the onCrashed hook", async () =>
        fs.existsSync(marker) ? fs.readFileSync(marker, "utf8") : undefined,
      );
      assert.equal(hook, `${id} Crashed`);
    } finally {
      worker.kill("SIGINT");
      await worker.done;
    }
  });

  test("a crashed run whose flow has retries is started again by its worker", async () => {
    const worker = startCli(["worker", "start", "--pool", "local", "--name", "w-retry"], home, { env });
    try {
      const marker = path.join(home, "retry-marker");
      const id = createdId(
        (await skein("deployment", "run", "crashes-once/fragile", "--param", `marker=${marker}`)).stdout,
      );
      const run = await until("the run to end", async () => {
        const current = await runOf(id);
        return current.state.type === "COMPLETED" || current.state.type === "FAILED" ? current : undefined;
      });
      assert.equal(run.state.name, "Completed");
      const states = (await store.listStates(id)).map((state) => state.name);
      // Running may be lost with the killed process (the write-behind window, docs/engine.md).
      assert.deepEqual(
        states.filter((name) => name !== "Running"),
        ["Scheduled", "Pending", "Crashed", "AwaitingRetry", "Retrying", "Completed"],
      );
    } finally {
      worker.kill("SIGINT");
      await worker.done;
    }
  });

  test("deployment run --watch and flow-run logs --tail follow a crashed run through its worker's retry", async () => {
    const worker = startCli(["worker", "start", "--pool", "local", "--name", "w-followed"], home, { env });
    try {
      const watched = await skein(
        "deployment",
        "run",
        "crashes-once/fragile",
        "--watch",
        "--param",
        `marker=${path.join(home, "watched-marker")}`,
      );
      assert.equal(watched.code, 0, watched.stderr);
      assert.match(
        watched.stdout,
        / - Crashed\([\s\S]* - Retrying\(\)\n[\s\S]*Flow run '[^']+' finished in state Completed\(\)\n$/,
      );
      const marker = path.join(home, "tailed-marker");
      const id = createdId(
        (await skein("deployment", "run", "crashes-once/fragile", "--param", `marker=${marker}`)).stdout,
      );
      const tailed = await skein("flow-run", "logs", id, "--tail");
      assert.equal(tailed.code, 0, tailed.stderr);
      assert.match(tailed.stdout, /finished in state Completed\(\)\n$/);
    } finally {
      worker.kill("SIGINT");
      await worker.done;
    }
  });

  test("a process pool's job variables: the run works in working_dir with env added; others are named as ignored", async () => {
    const id = createdId((await skein("deployment", "run", "where-am-i/placed")).stdout);
    // Started elsewhere, with no SKEIN_WORKER_CWD: only working_dir can lead it to flows.ts.
    const worker = await runCli(["worker", "start", "--pool", "local", "--run-once", "--name", "w-placed"], home, {
      env: { ...env, SKEIN_WORKER_CWD: home },
    });
    assert.equal(worker.code, 0, worker.stderr);
    assert.equal((await runOf(id)).state.name, "Completed");
    assert.match(worker.stdout, new RegExp(`Result: "hello@${FLOWS.replace(/[\\^$.*+?()[\]{}|]/g, "\\$&")}"`));
    const logs = (await store.listLogs(id)).map((log) => `${log.level} ${log.message}`);
    assert.ok(
      logs.some((line) => /^warning job variable\(s\) 'image' mean nothing to a process work pool/.test(line)),
      logs.join("\n"),
    );
  });

  test("a run created right after its deployment's job variables changed runs with the new ones", async () => {
    const worker = startCli(["worker", "start", "--pool", "local", "--name", "w-redeploy"], home, { env });
    const completed = (id: string) =>
      until("the run to complete", async () => ((await runOf(id)).state.type === "COMPLETED" ? true : undefined));
    try {
      await completed(createdId((await skein("deployment", "run", "where-am-i/redeployed")).stdout));
      const deployment = (await store.getDeploymentByName("where-am-i", "redeployed"))!;
      await store.updateDeployment(deployment.id, { jobVariables: { env: { SKEIN_TEST_GREETING: "after" } } });
      await completed(createdId((await skein("deployment", "run", "where-am-i/redeployed")).stdout));
    } finally {
      worker.kill("SIGINT");
    }
    const { stdout } = await worker.done;
    assert.deepEqual(
      [...stdout.matchAll(/Result: "(\w+)@/g)].map((match) => match[1]),
      ["before", "after"],
    );
  });

  test("a run whose entrypoint file is missing ends Crashed, saying which file and where it looked", async () => {
    const id = createdId((await skein("deployment", "run", "gone/gone")).stdout);
    const worker = await skein("worker", "start", "--pool", "local", "--run-once", "--name", "w-gone");
    assert.equal(worker.code, 0, worker.stderr);
    const run = await runOf(id);
    assert.equal(run.state.name, "Crashed");
    assert.match(run.state.message ?? "", /Flow file not found: no-such-file\.ts \(working in .*worker\)/);
  });

  test("runner processes are reused for run after run, never more of them than the worker's limit", async () => {
    const file = path.join(home, "pids.txt");
    const ids: string[] = [];
    for (let index = 0; index < 12; index++)
      ids.push(createdId((await skein("deployment", "run", "records-pid/pids", "--param", `file=${file}`)).stdout));
    const args = ["--limit", "4", "--warm", "1", "--runs-per-process", "100"];
    const worker = startCli(["worker", "start", "--pool", "local", "--name", "w-reuse", ...args], home, { env });
    try {
      await until("the twelve runs to end", async () => {
        const states = await Promise.all(ids.map(async (id) => (await runOf(id)).state.name));
        return states.every((name) => name === "Completed") ? true : undefined;
      });
    } finally {
      worker.kill("SIGTERM");
      await worker.done;
    }
    const pids = new Set(fs.readFileSync(file, "utf8").trim().split("\n"));
    assert.ok(pids.size <= 4, `12 runs of a worker limited to 4 at once ran in ${pids.size} processes`);
  });

  test("a SIGKILLed worker's running run ends Crashed", async () => {
    const worker = startCli(["worker", "start", "--pool", "local", "--name", "w-dies"], home, { env });
    const marker = path.join(home, "worker-dies-marker");
    const id = createdId((await skein("deployment", "run", "waits/long", "--param", `marker=${marker}`)).stdout);
    await until("the run to start", async () => ((await runOf(id)).state.name === "Running" ? true : undefined));
    worker.kill("SIGKILL");
    await worker.done;
    const run: FlowRunRecord = await until(
      "the run to end",
      async () => {
        const current = await runOf(id);
        return current.state.type === "RUNNING" ? undefined : current;
      },
      30_000,
    );
    assert.equal(run.state.name, "Crashed");
    assert.match(run.state.message ?? "", /SIGTERM/);
  });

  test("doctor names the pool no worker serves and why its due run waits; flow-run inspect says why", async () => {
    const id = createdId((await skein("deployment", "run", "greet/hello", "--param", "times=1")).stdout);
    const doctor = await runCli(["doctor"], home, { env: { ...env, SKEIN_WORKER_STALE_MS: "1" } });
    assert.match(doctor.stdout, /\[warn\] workers: no worker serves work pool\(s\) 'local' \(last poll /);
    assert.match(
      doctor.stdout,
      /\[warn\] waiting runs: 1 deployment run\(s\) are due but not running: .*No worker has polled work pool 'local' since/,
    );
    const inspect = await runCli(["flow-run", "inspect", id], home, { env: { ...env, SKEIN_WORKER_STALE_MS: "1" } });
    assert.match(
      inspect.stdout,
      /waiting: {5}No worker has polled work pool 'local' since .*; start one: skein worker start --pool local/,
    );
    assert.equal((await skein("flow-run", "cancel", id)).code, 0);
    assert.equal((await runOf(id)).state.name, "Cancelled", "a run no process holds is cancelled at once");
  });
});
