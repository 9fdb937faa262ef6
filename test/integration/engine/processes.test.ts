// Run processes stopped from outside: cancelled by another process through the store, interrupted by signals,
// killed with SIGKILL; and a failed run retried from the store by a new process.
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, test } from "node:test";
import { openStore, runCli, startCli, tempHome, waitForLog, waitForRun } from "./helpers.ts";

const LONG = "test/fixtures/engine/long-running.ts:longRunning";

async function startLongRun(home: string) {
  const child = startCli(["run", LONG], home);
  const run = await waitForRun(home, "long-running", () => true);
  await waitForLog(home, run.id, "started");
  return { child, run };
}

async function finalRun(home: string, id: string) {
  const store = openStore(home);
  try {
    return {
      run: (await store.getFlowRun(id))!,
      logs: (await store.listLogs(id)).map((l) => l.message),
      tasks: await store.listTaskRuns(id),
    };
  } finally {
    await store.close();
  }
}

describe("run processes", () => {
  test("a second process cancels a run through the store: task signal fires, Cancelled, onCancellation runs", async () => {
    const home = tempHome();
    const { child, run } = await startLongRun(home);
    const cancel = await runCli(["flow-run", "cancel", run.id], home);
    assert.equal(cancel.code, 0, cancel.stderr);
    const result = await child.done;
    assert.equal(result.code, 1);
    const { run: after, logs, tasks } = await finalRun(home, run.id);
    assert.equal(after.state.name, "Cancelled");
    assert.equal(tasks[0].state.name, "Cancelled");
    assert.ok(logs.includes("task saw abort") && logs.includes("hook cancelled"), logs.join(" | "));
  });

  test("SIGINT ends the run Cancelled and SIGTERM ends it Crashed, hooks run, never left Running", async () => {
    for (const [signal, expected, hook, code] of [
      ["SIGINT", "Cancelled", "hook cancelled", 130],
      ["SIGTERM", "Crashed", "hook crashed", 143],
    ] as const) {
      const home = tempHome();
      const { child, run } = await startLongRun(home);
      child.kill(signal);
      const result = await child.done;
      assert.equal(result.code, code, `${signal}: ${result.stderr}`);
      const { run: after, logs } = await finalRun(home, run.id);
      assert.equal(after.state.name, expected, signal);
      assert.ok(logs.includes(hook), `${signal}: ${logs.join(" | ")}`);
    }
  });

  test("a run whose process was SIGKILLed is known not alive and is marked Crashed", async () => {
    const home = tempHome();
    const { child, run } = await startLongRun(home);
    const store = openStore(home);
    try {
      assert.equal(await store.isFlowRunAlive(run.id), true);
      child.kill("SIGKILL");
      await child.done;
      assert.equal((await store.getFlowRun(run.id))!.state.name, "Running", "nothing could record the end");
      assert.equal(await store.isFlowRunAlive(run.id), false);
      assert.deepEqual(await store.markDeadRunsCrashed(), [run.id]);
      const crashed = (await store.getFlowRun(run.id))!;
      assert.equal(crashed.state.name, "Crashed");
      assert.match(crashed.state.message ?? "", /Run process \d+ is gone/);
    } finally {
      await store.close();
    }
  });

  test("process.exit() in a task leaves the run and the task run Crashed, not Running; skein run exits non-zero", async () => {
    for (const [entry, flowName, passed, exitCode] of [
      ["exitsEarly", "exits-early", 3, 3],
      ["exitsZero", "exits-zero", 0, 1],
    ] as const) {
      const home = tempHome();
      const result = await runCli(["run", `test/fixtures/engine/exits-early.ts:${entry}`], home);
      assert.equal(result.code, exitCode, `${entry}: the code passed to exit, or 1 for 0`);
      const run = await waitForRun(home, flowName, () => true);
      assert.equal(run.state.name, "Crashed");
      assert.match(run.state.message ?? "", new RegExp(`exited \\(code ${passed}\\)`));
      const { tasks } = await finalRun(home, run.id);
      assert.deepEqual(
        tasks.map((t) => [t.state.name, t.state.message]),
        [["Crashed", "Its flow run's process is gone"]],
        `${entry}: its task run ends Crashed`,
      );
    }
  });

  test("process.exit() in an onCompletion hook leaves the run Completed: no rule moves a run out of a final state", async () => {
    const home = tempHome();
    const result = await runCli(["run", "test/fixtures/engine/exits-early.ts:exitsInCompletionHook"], home);
    assert.equal(result.code, 0, result.stderr);
    const run = await waitForRun(home, "exits-in-hook", () => true);
    assert.equal(run.state.name, "Completed");
  });

  test("flow-run retry re-runs a failed run in a new process, reusing completed task results", async () => {
    const home = tempHome();
    const marker = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "skein-marker-")), "ready");
    const first = await runCli(
      ["run", "test/fixtures/engine/retry-from-store.ts:etl", "--param", `marker=${marker}`],
      home,
    );
    assert.equal(first.code, 1);
    const failed = await waitForRun(home, "retry-etl", (run) => run.state.type === "FAILED");
    fs.writeFileSync(marker, "");
    const retry = await runCli(["flow-run", "retry", failed.id], home);
    assert.equal(retry.code, 0, retry.stderr);
    const { run, tasks } = await finalRun(home, failed.id);
    assert.equal(run.state.name, "Completed");
    const byName = tasks.map((t) => `${t.name}:${t.state.name}`);
    assert.deepEqual(byName, ["extract-0:Completed", "load-0:Failed", "extract-0:Cached", "load-0:Completed"]);
    const firstExtractPid = JSON.parse(tasks[0].result!).extractedBy;
    assert.match(
      retry.stdout,
      new RegExp(`"extractedBy":${firstExtractPid}`),
      "the retried run got the first process's extract result",
    );
  });
});
