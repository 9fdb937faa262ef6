// Fixing a run where it broke, inside the real extension host: Rerun from Task with an edited input (upstream result
// reused, the edited value used) and Debug Task Again stopping at a breakpoint inside the task with its recorded
// inputs visible in the debugger's variables.
import * as assert from "node:assert/strict";
import * as vscode from "vscode";
import type { RunOutcome } from "../../../extension/runs/flow-runner.ts";
import type { RunEvent, TaskRunCreatedEvent } from "../../../protocol/run-events.ts";
import { extension, inspect, pauseWhile, runFromPalette, waitFor, withStub } from "./host.ts";

/** The task run named `name` (e.g. "scale-0") among a run's events. */
function taskRun(events: RunEvent[], name: string): TaskRunCreatedEvent {
  const created = events.find((e): e is TaskRunCreatedEvent => e.kind === "task-run-created" && e.name === name);
  assert.ok(created, `a task run ${name}`);
  return created;
}

/** The last state a run reached in the events. */
function finalState(events: RunEvent[], runId: string) {
  const state = events.findLast((e) => e.kind === "state" && e.runId === runId);
  return state?.kind === "state" ? state.state : undefined;
}

/** The quick pick of the inputs editor: first the input `name`, then the item that goes ahead. */
function editThenGo(name: string, offered: string[][]) {
  let calls = 0;
  return (async (items: readonly vscode.QuickPickItem[] | Thenable<readonly vscode.QuickPickItem[]>) => {
    const list = await items;
    offered.push(list.map((item) => `${item.label}=${item.description ?? ""}`));
    return calls++ === 0 ? list.find((item) => item.label === name) : list[0];
  }) as unknown as typeof vscode.window.showQuickPick;
}

/** One level of a paused frame's variables, by name, through the debug adapter. */
async function frameVariables(session: vscode.DebugSession, threadId: number): Promise<Map<string, string>> {
  const { stackFrames } = await session.customRequest("stackTrace", { threadId, startFrame: 0, levels: 1 });
  const { scopes } = await session.customRequest("scopes", { frameId: stackFrames[0].id });
  const local = scopes.find((scope: { name: string }) => scope.name === "Local") ?? scopes[0];
  const { variables } = await session.customRequest("variables", { variablesReference: local.variablesReference });
  return new Map(variables.map((v: { name: string; value: string }) => [v.name, v.value]));
}

describe("Fix a run where it broke", () => {
  let first: RunOutcome;

  before(async () => {
    await waitFor("the extension to activate", () => (extension().isActive ? true : undefined));
    first = await runFromPalette("skein.runFlow", "fix-chain");
    assert.equal(first.exitCode, 0, first.output);
  });

  it("Rerun from Task with an edited input reuses the upstream result and runs the task with the new value", async () => {
    const source = taskRun(first.events, "source-0");
    const scale = taskRun(first.events, "scale-0");
    const offered: string[][] = [];
    const rerun = await withStub("showQuickPick", editThenGo("factor", offered), () =>
      withStub("showInputBox", (async () => "10") as typeof vscode.window.showInputBox, () =>
        vscode.commands.executeCommand<RunOutcome | undefined>("skein.rerunFromTask", {
          flowRunId: first.rootFlowRunId,
          taskRunId: scale.taskRunId,
        }),
      ),
    );
    assert.ok(rerun, "the rerun ran");
    assert.equal(rerun.exitCode, 0, rerun.output);
    assert.ok(offered[0].includes("factor=2"), `the recorded factor was offered: ${offered[0]}`);
    assert.ok(offered[1].includes("factor=10"), `the edited factor was shown: ${offered[1]}`);
    const root = rerun.rootFlowRunId!;
    assert.notEqual(root, first.rootFlowRunId, "a new flow run");
    const reused = finalState(rerun.events, taskRun(rerun.events, "source-0").taskRunId);
    assert.equal(reused?.name, "Cached");
    assert.equal(reused?.details?.cachedFromTaskRunId, source.taskRunId);
    const rescaled = taskRun(rerun.events, "scale-0").taskRunId;
    assert.equal(finalState(rerun.events, rescaled)?.name, "Completed");
    assert.ok(
      rerun.events.some((e) => e.kind === "log" && e.taskRunId === rescaled && e.message === "scaled by 10"),
      "scale ran with the edited factor",
    );
    const run = await inspect(root);
    assert.equal(run.state.type, "COMPLETED");
  });

  it("Debug Task Again stops at a breakpoint inside the task with its recorded inputs", async () => {
    const scale = taskRun(first.events, "scale-0");
    const pause = await pauseWhile("fixtures/fix-chain.ts", "const scaled = rows.map", () =>
      vscode.commands.executeCommand<boolean>("skein.debugTaskAgain", { taskRunId: scale.taskRunId }),
    );
    try {
      const variables = await frameVariables(pause.session, pause.threadId);
      assert.equal(variables.get("factor"), "2", `factor in ${[...variables.keys()]}`);
      assert.match(variables.get("rows") ?? "", /^\(?3\)? ?\[1, 2, 3\]$/);
      // Resumed, the task finishes with those inputs as a flow run of its own. (Stopping the session instead would
      // not reliably end it Cancelled: js-debug resumes the process on detach, before the back-channel's cancel
      // arrives, and this task's body is synchronous.)
      await pause.session.customRequest("continue", { threadId: pause.threadId });
      const outcome = await pause.finished;
      assert.notEqual(outcome.rootFlowRunId, first.rootFlowRunId);
      assert.ok(outcome.events.some((e) => e.kind === "log" && e.message === "scaled by 2"));
      assert.equal((await inspect(outcome.rootFlowRunId!)).state.type, "COMPLETED");
    } finally {
      pause.dispose();
      await vscode.debug.stopDebugging();
    }
  });
});
