// A task's identity comes from where it is defined, not from its display name, and is the same however the flow
// runs. Two unnamed cached tasks of an imported module (timesTen and plusOne) are called with the same input under
// `skein run`, under the `skein/testing` harness and from a plain script: each returns its own result, and the
// three agree on the task runs' names and task keys.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import path from "node:path";
import { describe, test } from "node:test";
import type { TaskRunRecord } from "../../../store/types.ts";
import { openStore, ROOT, runCli, tempHome } from "./helpers.ts";

const FIXTURES = "test/fixtures/engine/cached-math";
const EXPECTED = { first: [10000, 1001], again: [10000, 1001] };

interface Recorded {
  result: unknown;
  taskRuns: Pick<TaskRunRecord, "name" | "taskName" | "taskKey" | "state" | "source">[];
}

function runNode(args: string[], home: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, SKEIN_HOME: home } });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk) => (stdout += chunk));
  child.stderr.on("data", (chunk) => (stderr += chunk));
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, stdout, stderr })));
}

async function storedTaskRuns(home: string): Promise<Recorded["taskRuns"]> {
  const store = openStore(home);
  try {
    const [run] = await store.listFlowRuns({ flowName: "cached-math", limit: 1 });
    return await store.listTaskRuns(run.id);
  } finally {
    await store.close();
  }
}

async function underSkeinRun(): Promise<Recorded> {
  const home = tempHome();
  const run = await runCli(["run", `${FIXTURES}/flow.ts:cachedMath`, "--output", "jsonl"], home);
  assert.equal(run.code, 0, run.stderr);
  const final = JSON.parse(run.stdout.trim().split("\n").at(-1)!) as { result: string };
  return { result: JSON.parse(final.result), taskRuns: await storedTaskRuns(home) };
}

async function underTestHarness(): Promise<Recorded> {
  const run = await runNode(["--import", "tsx", path.join(ROOT, FIXTURES, "in-harness.ts")], tempHome());
  assert.equal(run.code, 0, run.stderr);
  return JSON.parse(run.stdout) as Recorded;
}

async function fromPlainScript(): Promise<Recorded> {
  const home = tempHome();
  const run = await runNode([path.join(ROOT, FIXTURES, "script.ts")], home);
  assert.equal(run.code, 0, run.stderr);
  // A plain script prints the run's lines as `skein run` does; the script's own JSON is the last line.
  const lastLine = run.stdout.trim().split("\n").at(-1) ?? "";
  return { result: JSON.parse(lastLine), taskRuns: await storedTaskRuns(home) };
}

const summary = (recorded: Recorded) => recorded.taskRuns.map((t) => `${t.name} ${t.taskKey} ${t.state.name}`);

describe("task identity", () => {
  test("two unnamed cached tasks of an imported module keep their own results and names in every way of running", async () => {
    const [skeinRun, harness, script] = await Promise.all([underSkeinRun(), underTestHarness(), fromPlainScript()]);
    for (const [mode, recorded] of Object.entries({ skeinRun, harness, script })) {
      assert.deepEqual(recorded.result, EXPECTED, `${mode}: each task returns its own result`);
    }
    const expected = summary(skeinRun);
    assert.deepEqual(
      expected.map((line) => line.replace(/:\d+ /, " ")),
      [
        `timesTen-0 timesTen@${FIXTURES}/math.ts:4 Completed`,
        `plusOne-0 plusOne@${FIXTURES}/math.ts:6 Completed`,
        `timesTen-1 timesTen@${FIXTURES}/math.ts:4 Cached`,
        `plusOne-1 plusOne@${FIXTURES}/math.ts:6 Cached`,
      ],
      "named after their variables, keyed by file and line",
    );
    assert.deepEqual(
      skeinRun.taskRuns.map((taskRun) => taskRun.taskName),
      ["timesTen", "plusOne", "timesTen", "plusOne"],
      "each task run carries its task's name",
    );
    for (const taskRun of skeinRun.taskRuns) {
      const { file, line, column } = taskRun.source ?? assert.fail(`${taskRun.name} has no source site`);
      assert.equal(`${taskRun.taskName}@${file}:${line}:${column}`, taskRun.taskKey, "the key's name and place");
      assert.equal(taskRun.source?.absoluteFile, path.join(ROOT, file), "the absolute path on this machine");
    }
    assert.deepEqual(summary(harness), expected, "the testing harness agrees with skein run");
    assert.deepEqual(summary(script), expected, "a plain script agrees with skein run");
  });
});
