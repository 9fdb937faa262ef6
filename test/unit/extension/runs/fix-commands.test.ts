// Retry, Rerun from task and Debug task again with `vscode` and the CLI faked: which CLI command each runs, from
// an argument or from the pickers, and how edited inputs become --input flags.
import { test } from "node:test";
import assert from "node:assert/strict";
import os from "node:os";
import type { QuickPickItem } from "vscode";
import { debugTaskAgain, rerunFromTask, retryRun } from "../../../../extension/runs/fix-commands.ts";
import type { FlowRunner, RunOutcome } from "../../../../extension/runs/flow-runner.ts";
import type { RunCatalog } from "../../../../extension/runs/run-catalog.ts";
import type { RunCommandDeps } from "../../../../extension/runs/run-commands.ts";
import { RunSessions } from "../../../../extension/runs/run-sessions.ts";
import { type FakeVscode, fakeVscode } from "../../../fixtures/extension/fake-vscode.ts";

const done: RunOutcome = { exitCode: 0, signal: null, output: "", events: [], rootFlowRunId: "f1" };
const summary = (id: string, name: string) => ({
  id,
  name,
  flowName: "etl",
  state: { type: "FAILED" as const, name: "Failed" as const, timestamp: "2026-11-21T09:00:04.000Z" },
  createdAt: "2026-11-21T09:00:00.000Z",
});

function setup(inputs: Record<string, unknown> | undefined) {
  const fake = fakeVscode();
  const ran: { args: string[]; cwd: string }[] = [];
  const asked: { flowRuns: (string[] | undefined)[] } = { flowRuns: [] };
  const catalog: RunCatalog = {
    flowRuns: async (states) => {
      asked.flowRuns.push(states);
      return [summary("f1", "brave-fox"), summary("f2", "calm-owl")];
    },
    taskRuns: async () => [{ ...summary("t1", "load-0"), flowName: undefined } as never],
    taskRunInputs: async () => inputs,
  };
  const deps: RunCommandDeps = {
    vscode: fake.api,
    extensionUri: {} as RunCommandDeps["extensionUri"],
    channel: { show: () => undefined },
    log: { write: () => undefined },
    sessions: new RunSessions({
      vscode: fake.api,
      views: { open: () => {}, addEvents: () => {} },
      showLogCommand: "x",
    }),
    nodeRuntime: async () => ({ command: "node", env: {}, version: "24.0.0" }),
    runner: () =>
      ({
        runCli: (args: string[], cwd: string) => {
          ran.push({ args, cwd });
          return { done: Promise.resolve(done), cancel: () => undefined };
        },
      }) as unknown as FlowRunner,
    debug: { cliPath: "/ext/cli.mjs", socketDirectory: os.tmpdir() },
    listFlows: async () => [],
    catalog,
    reportTaskRunStates: () => undefined,
    workPoolsChanged: () => undefined,
  };
  return { fake, deps, ran, asked };
}

/** Quick picks answered in turn by the item whose label (or detail) contains each string. */
function answer(fake: FakeVscode, ...choices: string[]) {
  fake.quickPick = (items: QuickPickItem[]) => {
    const choice = choices.shift();
    return items.find((item) => item.label.includes(choice!) || item.detail?.includes(choice!));
  };
}

test("Retry takes the run id from a string or an object, else offers the failed runs", async () => {
  const { fake, deps, ran, asked } = setup({});
  await retryRun(deps, "f9");
  await retryRun(deps, { flowRunId: "f8" });
  answer(fake, "calm-owl");
  await retryRun(deps, undefined);
  assert.deepEqual(
    ran.map((r) => r.args),
    [
      ["flow-run", "retry", "f9", "--output", "jsonl"],
      ["flow-run", "retry", "f8", "--output", "jsonl"],
      ["flow-run", "retry", "f2", "--output", "jsonl"],
    ],
  );
  assert.deepEqual(asked.flowRuns, [["FAILED", "CRASHED", "CANCELLED"]]);
  assert.equal(ran[0].cwd, "/ws");
});

test("Rerun from task edits the recorded inputs and passes only the changed ones", async () => {
  const { fake, deps, ran } = setup({ date: "2026-01-01", limit: 10 });
  answer(fake, "limit", "Rerun from this task");
  fake.inputBox = (options) => {
    assert.equal(options.value, "10", "prefilled with the recorded value");
    return "25";
  };
  await rerunFromTask(deps, { flowRunId: "f1", taskRunId: "t1" });
  assert.deepEqual(ran[0].args, [
    "flow-run",
    "rerun",
    "f1",
    "--from-task",
    "t1",
    "--input",
    "limit=25",
    "--output",
    "jsonl",
  ]);
});

test("Rerun from task from the palette picks the run, then the task", async () => {
  const { fake, deps, ran } = setup({});
  answer(fake, "brave-fox", "load-0", "Rerun from this task");
  await rerunFromTask(deps, undefined);
  assert.deepEqual(ran[0].args.slice(0, 5), ["flow-run", "rerun", "f1", "--from-task", "t1"]);
});

test("Debug task again launches `task-run debug` under the debugger with the back-channel and suspended timeouts", async () => {
  const { fake, deps } = setup({ date: "x" });
  assert.equal(await debugTaskAgain(deps, { taskRunId: "t7" }), true);
  const [launch] = fake.debugLaunches;
  assert.deepEqual(launch.args, ["task-run", "debug", "t7"]);
  assert.equal(launch.env.SKEIN_UNDER_DEBUGGER, "1");
  assert.ok(launch.env.SKEIN_EVENTS_SOCKET);
  // The session ends without the process ever connecting: the run session ends too.
  fake.terminateDebugSession.fire({ configuration: launch });
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(deps.sessions.active().length, 0);
});

test("Debug task again asks for the inputs when none were recorded, and a dismissed prompt launches nothing", async () => {
  const { fake, deps } = setup(undefined);
  fake.inputBox = () => '{"date":"2026-01-01"}';
  assert.equal(await debugTaskAgain(deps, { taskRunId: "t7" }), true);
  assert.deepEqual(fake.debugLaunches[0].args, ["task-run", "debug", "t7", "--input", 'date="2026-01-01"']);
  fake.inputBox = () => undefined;
  assert.equal(await debugTaskAgain(deps, { taskRunId: "t8" }), false);
  assert.equal(fake.debugLaunches.length, 1);
  fake.terminateDebugSession.fire({ configuration: fake.debugLaunches[0] });
});
