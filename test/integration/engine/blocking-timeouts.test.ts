// Timeouts hold even for code that blocks the event loop synchronously: the timeout watchdog (a worker thread)
// records the run as timed out and ends the run process, which could never stop on its own.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { openStore, runCli, tempHome, type CliResult } from "./helpers.ts";

const FIXTURE = "test/fixtures/engine/blocking-timeouts.ts";

async function storedStates(home: string, flowName: string) {
  const store = openStore(home);
  try {
    const [flowRun] = await store.listFlowRuns({ flowName, limit: 1 });
    assert.ok(flowRun, `no flow run of '${flowName}' was stored`);
    const taskRuns = await store.listTaskRuns(flowRun.id);
    return { flowRun: flowRun.state, taskRuns: taskRuns.map((run) => ({ name: run.name, state: run.state })) };
  } finally {
    await store.close();
  }
}

async function assertTaskBlockedEndedRun(result: Pick<CliResult, "signal" | "stderr">, home: string): Promise<void> {
  assert.equal(result.signal, "SIGKILL", `the run process should have been killed; stderr: ${result.stderr}`);
  assert.match(
    result.stderr,
    /Task run 'spin-forever-0' blocked the event loop past its timeout of 0\.3 s; Skein ended the run process/,
  );
  const { flowRun, taskRuns } = await storedStates(home, "blocked-task");
  assert.deepEqual(
    taskRuns.map((run) => [run.name, run.state.name, run.state.type]),
    [["spin-forever-0", "TimedOut", "FAILED"]],
  );
  assert.match(taskRuns[0].state.message ?? "", /timeout of 0\.3 s/);
  assert.equal(flowRun.name, "Crashed");
  assert.match(flowRun.message ?? "", /Task run 'spin-forever-0' blocked the event loop/);
}

describe("timeouts of code that blocks the event loop", () => {
  test("a task that never yields ends TimedOut, its flow run Crashed, and the run process is ended", async () => {
    const home = tempHome();
    const result = await runCli(["run", `${FIXTURE}:blockedTask`], home);
    await assertTaskBlockedEndedRun(result, home);
  });

  test("a flow whose body never yields ends TimedOut and the run process is ended", async () => {
    const home = tempHome();
    const result = await runCli(["run", `${FIXTURE}:blockedFlow`], home);
    assert.equal(result.signal, "SIGKILL", `the run process should have been killed; stderr: ${result.stderr}`);
    assert.match(
      result.stderr,
      /Flow run '[^']+' blocked the event loop past its timeout of 0\.3 s; Skein ended the run process/,
    );
    const { flowRun } = await storedStates(home, "blocked-flow");
    assert.equal(flowRun.name, "TimedOut");
    assert.equal(flowRun.type, "FAILED");
    assert.match(flowRun.message ?? "", /blocked the event loop past its timeout of 0\.3 s/);
  });

  test("a task that blocks for less than its timeout completes, and the process outlives its deadline", async () => {
    const home = tempHome();
    const result = await runCli(["run", `${FIXTURE}:brieflyBlocked`], home);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /Result: "done"/);
    assert.doesNotMatch(result.stderr, /blocked the event loop/);
    const { flowRun, taskRuns } = await storedStates(home, "briefly-blocked");
    assert.equal(flowRun.name, "Completed");
    assert.deepEqual(
      taskRuns.map((run) => run.state.name),
      ["Completed"],
    );
  });
});
