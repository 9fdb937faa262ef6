// The timeout watchdog's worker shares the main thread's environment: a test harness that deletes SKEIN_API_URL
// and moves SKEIN_HOME after the worker started still gets the blocked run recorded in its own store.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { openStore, ROOT, tempHome } from "./helpers.ts";

const FIXTURE = path.join(ROOT, "test/fixtures/engine/watchdog-env.ts");

function runFixture(
  env: NodeJS.ProcessEnv,
): Promise<{ signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ["--import", "tsx", FIXTURE], {
    cwd: ROOT,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk) => (stdout += chunk));
  child.stderr.on("data", (chunk) => (stderr += chunk));
  return new Promise((resolve) => child.on("close", (_code, signal) => resolve({ signal, stdout, stderr })));
}

test("the watchdog records a blocked run in the store the environment names when it records, not when it started", async () => {
  // Port 9 (discard) on loopback: nothing answers, so a worker still using this URL could not record the run.
  const result = await runFixture({ ...process.env, SKEIN_HOME: tempHome(), SKEIN_API_URL: "http://127.0.0.1:9" });
  const harnessHome = result.stdout.trim().split("\n")[0];
  try {
    assert.equal(result.signal, "SIGKILL", `the run process should have been killed; stderr: ${result.stderr}`);
    assert.match(
      result.stderr,
      /Task run 'spin-after-harness-0' blocked the event loop past its timeout of 0\.3 s; Skein ended the run process/,
    );
    assert.doesNotMatch(result.stderr, /could not record it/);
    const store = openStore(harnessHome);
    try {
      const [flowRun] = await store.listFlowRuns({ flowName: "watchdog-env", limit: 1 });
      assert.ok(flowRun, "the flow run should be in the harness's store");
      assert.equal(flowRun.state.name, "Crashed");
      const taskRuns = await store.listTaskRuns(flowRun.id);
      assert.deepEqual(
        taskRuns.map((run) => [run.name, run.state.name]),
        [["spin-after-harness-0", "TimedOut"]],
      );
    } finally {
      await store.close();
    }
  } finally {
    if (harnessHome) fs.rmSync(harnessHome, { recursive: true, force: true });
  }
});
