// logPrints is decided per run: a task's option overrides its flow's for that task's console.log. Each case runs in
// a process of its own, since the console capture, once installed by any run, stays for the process.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { openStore, runCli, tempHome } from "./helpers.ts";

const FIXTURE = "test/fixtures/engine/task-log-prints.ts";

/** Runs a flow of the fixture: its stdout, and its logs as `<task run name or "flow">: <message>`. */
async function run(entry: string, flowName: string): Promise<{ stdout: string; logs: string[] }> {
  const home = tempHome();
  const result = await runCli(["run", `${FIXTURE}:${entry}`], home);
  assert.equal(result.code, 0, result.stderr);
  const store = openStore(home);
  try {
    const [flowRun] = await store.listFlowRuns({ flowName, limit: 1 });
    const names = new Map((await store.listTaskRuns(flowRun.id)).map((t) => [t.id, t.name]));
    const logs = await store.listLogs(flowRun.id);
    return {
      stdout: result.stdout,
      logs: logs.map((log) => `${log.taskRunId ? names.get(log.taskRunId) : "flow"}: ${log.message}`),
    };
  } finally {
    await store.close();
  }
}

describe("logPrints", () => {
  test("a task with logPrints: true records its prints as its logs in a flow without logPrints", async () => {
    const { stdout, logs } = await run("plainFlow", "plain-flow");
    assert.deepEqual(logs, ["loud-0: captured from loud"]);
    assert.match(stdout, /^printed by plain-flow$/m);
    assert.match(stdout, /^printed by quiet$/m);
    assert.doesNotMatch(stdout, /^captured from loud$/m, "a captured print is not also printed raw");
  });

  test("a task with logPrints: false prints raw in a flow with logPrints", async () => {
    const { stdout, logs } = await run("printingFlow", "printing-flow");
    assert.deepEqual(logs, ["flow: captured from printing-flow", "loud-0: captured from loud"]);
    assert.match(stdout, /^printed by quiet$/m);
  });
});
