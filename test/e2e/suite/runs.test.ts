// Run and Debug sessions inside the real extension host: the palette's pickers, live runs with their own ids and
// views, 5,000 log lines, Cancel from the progress notification, and Debug's back-channel with Stop → Cancelled.
import * as assert from "node:assert/strict";
import * as vscode from "vscode";
import type { RunOutcome } from "../../../extension/runs/flow-runner.ts";
import {
  api,
  extension,
  inspect,
  pauseAt,
  pickLabel,
  runFromPalette,
  runningSession,
  sleep,
  waitFor,
  withStub,
} from "./host.ts";

describe("Run and Debug sessions", () => {
  before(async () => {
    await waitFor("the extension to activate", () => (extension().isActive ? true : undefined));
  });

  it("Skein: Run Flow from the palette picks a flow and runs it to Completed with its events", async () => {
    const outcome = await runFromPalette("skein.runFlow", "hello");
    assert.equal(outcome.exitCode, 0, outcome.output);
    const root = outcome.rootFlowRunId!;
    const final = outcome.events.findLast((e) => e.kind === "state" && e.runId === root);
    assert.equal(final?.kind === "state" && final.state.type, "COMPLETED");
    assert.ok(api().openedViews.includes(root), "the run's view was opened");
    assert.equal((await inspect(root)).state.type, "COMPLETED");
  });

  it("a flow that logs 5,000 lines ends Completed with every line", async () => {
    const outcome = await runFromPalette("skein.runFlow", "chatty");
    assert.equal(outcome.exitCode, 0, outcome.output.slice(-2000));
    const lines = outcome.output.split("\n").filter((line) => / - line \d+$/.test(line));
    assert.equal(lines.length, 5000);
    assert.match(lines[4999], / - line 4999$/);
  });

  it("two runs at once get two run ids and two views, and their events do not mix", async () => {
    const [a, b] = await Promise.all([
      runFromPalette("skein.runFlow", "hello"),
      runFromPalette("skein.runFlow", "hello"),
    ]);
    assert.equal(a.exitCode, 0, a.output);
    assert.equal(b.exitCode, 0, b.output);
    assert.notEqual(a.rootFlowRunId, b.rootFlowRunId);
    for (const outcome of [a, b]) {
      assert.ok(
        outcome.events.every((e) => e.flowRunId === outcome.rootFlowRunId),
        "only its own run's events",
      );
    }
    assert.ok(api().openedViews.includes(a.rootFlowRunId!) && api().openedViews.includes(b.rootFlowRunId!));
  });

  it("Cancel in the progress notification ends a long run Cancelled in the store", async () => {
    const cancel = new vscode.CancellationTokenSource();
    // The notification's Cancel button fires its token: hand the run a token this test controls.
    const withProgress = ((_options: vscode.ProgressOptions, task: (...a: unknown[]) => unknown) =>
      task({ report: () => undefined }, cancel.token)) as typeof vscode.window.withProgress;
    const outcome = await withStub("withProgress", withProgress, async () => {
      const running = runFromPalette("skein.runFlow", "long-running");
      await waitFor("the long run's task to start", runningSession("long-running"));
      cancel.cancel();
      return running;
    });
    assert.equal(outcome.exitCode, 130, outcome.output);
    assert.match(outcome.output, /hook cancelled/);
    const run = await inspect(outcome.rootFlowRunId!);
    assert.equal(run.state.type, "CANCELLED");
  });

  it("Debug shows the run's events through the back-channel, and stopping the session ends it Cancelled", async () => {
    const before = api().debugRuns.length;
    const started = await withStub("showQuickPick", pickLabel("long-running"), () =>
      vscode.commands.executeCommand<boolean>("skein.debugFlow"),
    );
    assert.equal(started, true, "the debug session started");
    const session = await waitFor("the debugged run's task to start", runningSession("long-running"));
    assert.ok(session.rootFlowRunId, "the back-channel brought the flow run");
    assert.ok(api().openedViews.includes(session.rootFlowRunId!), "Debug opened the run's view");
    await vscode.debug.stopDebugging();
    const outcome = await api().debugRuns[before];
    assert.ok(outcome.events.some((e) => e.kind === "log" && e.message === "started"));
    assert.ok(outcome.events.some((e) => e.kind === "log" && e.message === "hook cancelled"));
    assert.equal((await inspect(outcome.rootFlowRunId!)).state.type, "CANCELLED");
  });

  it("a run paused at a breakpoint past its task's timeout completes once resumed", async () => {
    const pause = await pauseAt("fixtures/timed.ts", 'const value = "resumed"', "timed");
    try {
      // Past the task's 1 s timeout (and the watchdog's grace) while paused: neither may end the run.
      await sleep(2500);
      await pause.session.customRequest("continue", { threadId: pause.threadId });
      const outcome = await pause.finished;
      const final = outcome.events.findLast((e) => e.kind === "state" && e.runId === outcome.rootFlowRunId);
      assert.equal(final?.kind === "state" && final.state.name, "Completed");
      assert.equal((await inspect(outcome.rootFlowRunId!)).state.type, "COMPLETED");
    } finally {
      pause.dispose();
    }
  });

  it("stopping the debug session while paused at a breakpoint ends the run Cancelled with its hooks", async () => {
    const pause = await pauseAt("fixtures/long-running.ts", 'getRunLogger().info("started")', "long-running");
    try {
      await vscode.debug.stopDebugging();
      const outcome = await pause.finished;
      assert.ok(outcome.events.some((e) => e.kind === "log" && e.message === "hook cancelled"));
      assert.equal((await inspect(outcome.rootFlowRunId!)).state.type, "CANCELLED");
    } finally {
      pause.dispose();
    }
  });

  it("stopping the debug session while paused inside a synchronous task ends the run Cancelled, and nothing after it runs", async () => {
    const pause = await pauseAt("fixtures/sync-steps.ts", "const total = n * 2", "sync-steps");
    try {
      // The toolbar's Stop, on the session that stopped at the breakpoint.
      await vscode.commands.executeCommand("workbench.action.debug.stop");
      const outcome = await pause.finished;
      const root = outcome.rootFlowRunId!;
      const final = outcome.events.findLast((e) => e.kind === "state" && e.runId === root);
      assert.equal(final?.kind === "state" && final.state.name, "Cancelled", JSON.stringify(final));
      assert.match(final?.kind === "state" ? (final.state.message ?? "") : "", /stopped the debug session/);
      assert.ok(outcome.events.some((e) => e.kind === "log" && e.message === "hook cancelled"));
      assert.ok(!outcome.events.some((e) => e.kind === "log" && e.message.startsWith("report ran")), "report ran");
      assert.equal((await inspect(root)).state.type, "CANCELLED");
    } finally {
      pause.dispose();
    }
  });

  it("Retry from the palette offers the failed runs and retries the picked one", async () => {
    const failed = await runFromPalette("skein.runFlow", "failing");
    assert.notEqual(failed.exitCode, 0);
    const pickedFrom: string[][] = [];
    const retried = await withStub(
      "showQuickPick",
      (async (items: readonly vscode.QuickPickItem[] | Thenable<readonly vscode.QuickPickItem[]>) => {
        const list = await items;
        pickedFrom.push(list.map((item) => item.detail ?? ""));
        return list.find((item) => item.detail?.startsWith(failed.rootFlowRunId!));
      }) as unknown as typeof vscode.window.showQuickPick,
      () => vscode.commands.executeCommand<RunOutcome | undefined>("skein.retryRun"),
    );
    assert.ok(
      pickedFrom[0]?.some((detail) => detail.startsWith(failed.rootFlowRunId!)),
      "the picker offered the run",
    );
    assert.ok(retried, "the retry ran");
    assert.match(retried.output, /no rows for 1999-01-01/);
  });
});
