// What the extension-host tests share: the extension's test API, stubs for the editor's prompts, palette runs, the
// store through the CLI, and debug runs paused at a breakpoint.
import * as assert from "node:assert/strict";
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import * as vscode from "vscode";
import type { SkeinExtensionApi } from "../../../extension/extension.ts";
import type { RunOutcome } from "../../../extension/runs/flow-runner.ts";
import type { RunSession } from "../../../extension/runs/run-sessions.ts";

export const extension = () => vscode.extensions.all.find((e) => e.packageJSON.name === "skein")!;
export const api = () => extension().exports as SkeinExtensionApi;
export const workspaceRoot = () => vscode.workspace.workspaceFolders![0].uri.fsPath;
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Replaces a `vscode.window` function for the duration of `body` (the extension shares this API object). */
export async function withStub<K extends keyof typeof vscode.window, T>(
  name: K,
  stub: (typeof vscode.window)[K],
  body: () => Thenable<T>,
): Promise<T> {
  const window = vscode.window as Record<string, unknown>;
  const original = window[name];
  window[name] = stub;
  try {
    return await body();
  } finally {
    window[name] = original;
  }
}

/** The quick pick answers with the item whose label is `label` (the palette's flow picker). */
export function pickLabel(label: string, seen: string[][] = []) {
  return (async (items: readonly vscode.QuickPickItem[] | Thenable<readonly vscode.QuickPickItem[]>) => {
    const list = await items;
    seen.push(list.map((item) => item.label));
    return list.find((item) => item.label === label);
  }) as unknown as typeof vscode.window.showQuickPick;
}

/** Runs a palette command with no arguments, answering its flow picker with `flowName`. */
export async function runFromPalette(command: string, flowName: string): Promise<RunOutcome> {
  // The language server indexes the workspace after activation: wait until the picker offers the flow.
  for (let attempt = 0; attempt < 120; attempt++) {
    const seen: string[][] = [];
    const outcome = await withStub("showQuickPick", pickLabel(flowName, seen), () =>
      vscode.commands.executeCommand<RunOutcome | undefined>(command),
    );
    if (outcome) return outcome;
    await sleep(250);
  }
  throw new Error(`the flow picker never offered ${flowName}`);
}

/** The store's record of a flow run, through the CLI (the same SKEIN_HOME as the extension's runs). */
export async function inspect(flowRunId: string): Promise<{ state: { type: string; name: string } }> {
  const cli = path.join(extension().extensionPath, "dist/engine/cli.mjs");
  const { stdout } = await promisify(execFile)(process.execPath, [cli, "flow-run", "inspect", flowRunId, "--json"], {
    cwd: workspaceRoot(),
    env: { ...process.env, ELECTRON_RUN_AS_NODE: "1" },
  });
  return JSON.parse(stdout);
}

export async function waitFor<T>(what: string, probe: () => T | undefined): Promise<T> {
  for (let attempt = 0; attempt < 240; attempt++) {
    const value = probe();
    if (value !== undefined) return value;
    await sleep(250);
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** The active session of `flowName` once its task has started. */
export const runningSession = (flowName: string) => () =>
  api()
    .sessions.active()
    .find((session: RunSession) => session.title.startsWith(flowName) && session.tasks.size > 0);

/** Debugs `flowName` from the palette with a breakpoint on the line of `file` holding `text`, until it stops there. */
export function pauseAt(file: string, text: string, flowName: string) {
  return pauseWhile(file, text, () =>
    withStub("showQuickPick", pickLabel(flowName), () => vscode.commands.executeCommand<boolean>("skein.debugFlow")),
  );
}

/** Starts a debug run with `start` and a breakpoint on the line of `file` holding `text`, until it stops there. */
export async function pauseWhile(file: string, text: string, start: () => Thenable<boolean>) {
  const document = await vscode.workspace.openTextDocument(path.join(workspaceRoot(), file));
  const line = [...Array(document.lineCount).keys()].find((n) => document.lineAt(n).text.includes(text))!;
  const breakpoint = new vscode.SourceBreakpoint(new vscode.Location(document.uri, new vscode.Position(line, 0)));
  vscode.debug.addBreakpoints([breakpoint]);
  // js-debug runs a parent session and a child per process: the stop comes from the child's adapter.
  let onStopped!: (stop: { session: vscode.DebugSession; threadId: number }) => void;
  const stopped = new Promise<{ session: vscode.DebugSession; threadId: number }>((resolve) => (onStopped = resolve));
  const tracker = vscode.debug.registerDebugAdapterTrackerFactory("*", {
    createDebugAdapterTracker: (session) => ({
      onDidSendMessage: (message: { type: string; event?: string; body?: { threadId: number; reason: string } }) => {
        if (message.type === "event" && message.event === "stopped" && message.body?.reason === "breakpoint")
          onStopped({ session, threadId: message.body.threadId });
      },
    }),
  });
  const dispose = () => {
    tracker.dispose();
    vscode.debug.removeBreakpoints([breakpoint]);
  };
  try {
    const index = api().debugRuns.length;
    const started = await start();
    assert.equal(started, true, "the debug session started");
    const stop = await stopped;
    return { ...stop, finished: api().debugRuns[index], dispose };
  } catch (error) {
    dispose();
    throw error;
  }
}
