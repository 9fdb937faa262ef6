// Runs inside the real extension host against the E2E workspace (examples/hello.ts and fixtures).
import * as assert from "node:assert/strict";
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import * as vscode from "vscode";
import { LensCommands, type FlowLensArgs } from "../../../protocol/lsp.ts";
import type { DeployOutcome } from "../../../extension/deployments/deploy-flow.ts";
import type { RunOutcome } from "../../../extension/runs/flow-runner.ts";

const workspaceRoot = () => vscode.workspace.workspaceFolders![0].uri.fsPath;

async function flowLenses(file: string): Promise<vscode.CodeLens[]> {
  const uri = vscode.Uri.file(path.join(workspaceRoot(), file));
  await vscode.window.showTextDocument(uri);
  // The language server answers once it has analysed the file; poll instead of guessing a delay.
  for (let attempt = 0; attempt < 120; attempt++) {
    const lenses =
      (await vscode.commands.executeCommand<vscode.CodeLens[]>("vscode.executeCodeLensProvider", uri)) ?? [];
    const flowLenses = lenses.filter((lens) => lens.command?.command === LensCommands.run);
    if (flowLenses.length > 0) return flowLenses;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return [];
}

function lensArgs(lens: vscode.CodeLens): FlowLensArgs {
  return lens.command!.arguments![0] as FlowLensArgs;
}

describe("Skein in a real VS Code", () => {
  it("activates by itself in a trusted workspace with flow files", async () => {
    const extension = vscode.extensions.all.find((e) => e.packageJSON.name === "skein");
    assert.ok(extension, "the Skein extension is installed");
    // No activate() call: VS Code must activate it from the manifest's activation events (workspaceContains).
    for (let attempt = 0; attempt < 120 && !extension.isActive; attempt++)
      await new Promise((resolve) => setTimeout(resolve, 250));
    assert.equal(extension.isActive, true, "activated within 30 s of opening the workspace");
  });

  it("registers every command it contributes, each under one name", async () => {
    const skein = vscode.extensions.all.find((e) => e.packageJSON.name === "skein")!;
    const contributed = (skein.packageJSON.contributes.commands as { command: string }[]).map((c) => c.command);
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.deepEqual(
      contributed.filter((command) => !registered.has(command)),
      [],
      "contributed but not registered",
    );
    assert.equal(new Set(contributed).size, contributed.length, "a command contributed twice");
    // The Skein channel of the editor's runs, and one run's logs from the store: two commands, two names.
    assert.ok(contributed.includes("skein.showOutput") && contributed.includes("skein.showRunLogs"));
    assert.ok(!registered.has("skein.showRunLog"));
  });

  it("puts a Run lens over the hello flow, carrying its entrypoint", async () => {
    const lenses = await flowLenses("examples/hello.ts");
    assert.equal(lenses.length, 1, "one flow in hello.ts");
    const args = lensArgs(lenses[0]);
    assert.equal(args.exportPath, "hello");
    assert.equal(args.flowName, "hello");
    assert.equal(path.basename(args.file), "hello.ts");
    const document = await vscode.workspace.openTextDocument(args.file);
    assert.match(document.lineAt(lenses[0].range.start.line).text, /export const hello = flow/);
  });

  it("runs the flow from the lens in a child process and reports its tasks and result", async () => {
    const [lens] = await flowLenses("examples/hello.ts");
    const outcome = await vscode.commands.executeCommand<RunOutcome>(
      lens.command!.command,
      ...lens.command!.arguments!,
    );
    assert.equal(outcome.exitCode, 0, outcome.output);
    assert.match(outcome.output, /greet/);
    assert.match(outcome.output, /shout/);
    assert.match(outcome.output, /HELLO, WORLD!/);
    const finalTaskStates = outcome.events.flatMap((event) =>
      event.kind === "state" && event.runKind === "task" && event.state.type === "COMPLETED" ? [event.runId] : [],
    );
    const taskNames = outcome.events.flatMap((event) => (event.kind === "task-run-created" ? [event.name] : []));
    assert.deepEqual(
      taskNames.map((name) => name.replace(/-\d+$/, "")),
      ["greet", "shout"],
    );
    assert.equal(finalTaskStates.length, 2, "both task runs completed");
  });

  it("shows the run's final state over each task the flow called", async () => {
    const uri = vscode.Uri.file(path.join(workspaceRoot(), "examples/hello.ts"));
    const document = await vscode.workspace.openTextDocument(uri);
    const lensOver = (lenses: vscode.CodeLens[], declaration: string) =>
      lenses.find((lens) => document.lineAt(lens.range.start.line).text.startsWith(declaration))?.command?.title;
    // The language server hears of the run once it ended: poll until both task lenses show it.
    let titles: (string | undefined)[] = [];
    for (let attempt = 0; attempt < 120; attempt++) {
      const lenses =
        (await vscode.commands.executeCommand<vscode.CodeLens[]>("vscode.executeCodeLensProvider", uri)) ?? [];
      titles = [lensOver(lenses, "export const greet"), lensOver(lenses, "export const shout")];
      if (titles.every((title) => title !== undefined)) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    assert.match(titles[0] ?? "no lens over greet", /Completed/);
    assert.match(titles[1] ?? "no lens over shout", /Completed/);
  });

  it("shows each task's latest run inline: a hover on the task's definition with its state and logs", async () => {
    const uri = vscode.Uri.file(path.join(workspaceRoot(), "examples/hello.ts"));
    const document = await vscode.workspace.openTextDocument(uri);
    const line = [...Array(document.lineCount).keys()].find((n) =>
      document.lineAt(n).text.startsWith("export const greet"),
    )!;
    let text = "";
    for (let attempt = 0; attempt < 120 && !/greet.*Completed/s.test(text); attempt++) {
      const hovers =
        (await vscode.commands.executeCommand<vscode.Hover[]>(
          "vscode.executeHoverProvider",
          uri,
          new vscode.Position(line, 14),
        )) ?? [];
      text = hovers
        .flatMap((hover) => hover.contents.map((content) => (typeof content === "string" ? content : content.value)))
        .join("\n");
      if (!/greet.*Completed/s.test(text)) await new Promise((resolve) => setTimeout(resolve, 250));
    }
    assert.match(text, /greet\*\*, latest run: Completed/);
    assert.match(text, /command:skein\.openRun\?/);
  });

  it("reports a failing flow with a non-zero exit and the error's place in the .ts source", async () => {
    const [lens] = await flowLenses("fixtures/failing.ts");
    const outcome = await vscode.commands.executeCommand<RunOutcome>(
      lens.command!.command,
      ...lens.command!.arguments!,
    );
    assert.notEqual(outcome.exitCode, 0);
    assert.match(outcome.output, /no rows for 1999-01-01/);
    assert.match(outcome.output, /failing\.ts:\d+/);
    // The error also shows where it was raised, as a problem at the throw in the task's body.
    const uri = vscode.Uri.file(path.join(workspaceRoot(), "fixtures/failing.ts"));
    const document = await vscode.workspace.openTextDocument(uri);
    const throwLine = [...Array(document.lineCount).keys()].find((n) =>
      document.lineAt(n).text.includes("throw new Error"),
    );
    let diagnostic: vscode.Diagnostic | undefined;
    for (let attempt = 0; attempt < 120 && !diagnostic; attempt++) {
      diagnostic = vscode.languages.getDiagnostics(uri).find((d) => d.source === "skein run");
      if (!diagnostic) await new Promise((resolve) => setTimeout(resolve, 250));
    }
    assert.ok(diagnostic, `diagnostics: ${JSON.stringify(vscode.languages.getDiagnostics(uri).map((d) => d.message))}`);
    assert.match(diagnostic.message, /extract .*failed: Error: no rows for 1999-01-01/);
    assert.equal(diagnostic.range.start.line, throwLine);
  });

  it("Debug stops at a breakpoint in the original .ts source", async () => {
    const [lens] = await flowLenses("examples/hello.ts");
    const args = lensArgs(lens);
    const document = await vscode.workspace.openTextDocument(args.file);
    const line = [...Array(document.lineCount).keys()].find((n) =>
      document.lineAt(n).text.includes("await greet(name)"),
    )!;
    const breakpoint = new vscode.SourceBreakpoint(new vscode.Location(document.uri, new vscode.Position(line, 0)));
    vscode.debug.addBreakpoints([breakpoint]);
    // js-debug runs a parent session and a child per process: ask the session whose adapter reported the stop.
    let onStopped: ((stop: { session: vscode.DebugSession; threadId: number }) => void) | undefined;
    const stopped = new Promise<{ session: vscode.DebugSession; threadId: number }>((resolve) => (onStopped = resolve));
    const tracker = vscode.debug.registerDebugAdapterTrackerFactory("*", {
      createDebugAdapterTracker: (session) => ({
        onDidSendMessage: (message: { type: string; event?: string; body?: { threadId: number; reason: string } }) => {
          if (message.type === "event" && message.event === "stopped" && message.body?.reason === "breakpoint") {
            onStopped?.({ session, threadId: message.body.threadId });
          }
        },
      }),
    });
    try {
      assert.equal(await vscode.commands.executeCommand(LensCommands.debug, args), true, "the debug session started");
      const { session, threadId } = await stopped;
      const trace = await session.customRequest("stackTrace", { threadId, startFrame: 0, levels: 1 });
      const [top] = trace.stackFrames as { source?: { path?: string }; line: number }[];
      // In a remote window (the E2E's VS Code server) the path comes as a vscode-remote:// URI.
      const framePath = vscode.Uri.parse(top.source?.path ?? "", false).path || top.source?.path;
      assert.equal(framePath, args.file, "the debugger shows the original .ts file");
      assert.equal(top.line, line + 1);
      await vscode.debug.stopDebugging();
    } finally {
      tracker.dispose();
      vscode.debug.removeBreakpoints([breakpoint]);
    }
  });

  it("flags a skein.yaml entrypoint that names no flow, on the entrypoint, with the closest name", async () => {
    const uri = vscode.Uri.file(path.join(workspaceRoot(), "skein.yaml"));
    const text =
      "name: e2e\ndeployments:\n  - name: nightly\n    entrypoint: examples/hello.ts:helo\n    work_pool:\n      name: default\n";
    await vscode.workspace.fs.writeFile(uri, Buffer.from(text, "utf8"));
    try {
      await vscode.window.showTextDocument(uri);
      let diagnostic: vscode.Diagnostic | undefined;
      for (let attempt = 0; attempt < 120 && !diagnostic; attempt++) {
        diagnostic = vscode.languages.getDiagnostics(uri).find((d) => /no exported flow 'helo'/.test(d.message));
        if (!diagnostic) await new Promise((resolve) => setTimeout(resolve, 250));
      }
      assert.ok(
        diagnostic,
        `diagnostics: ${JSON.stringify(vscode.languages.getDiagnostics(uri).map((d) => d.message))}`,
      );
      assert.match(diagnostic.message, /hello/);
      assert.equal(diagnostic.severity, vscode.DiagnosticSeverity.Error);
      assert.equal(diagnostic.range.start.line, 3, "on the entrypoint line");
    } finally {
      await vscode.commands.executeCommand("workbench.action.closeActiveEditor");
      await vscode.workspace.fs.delete(uri);
    }
  });

  it("Deploy keeps the flow's skein.yaml entry and registers it with skein deploy", async () => {
    // The pool exists here, so no modal offer (which a test inside the host cannot answer) comes up; the UI smoke
    // test answers that offer for a missing pool.
    const extensionPath = vscode.extensions.all.find((e) => e.packageJSON.name === "skein")!.extensionPath;
    await promisify(execFile)(
      process.execPath,
      [path.join(extensionPath, "dist/engine/cli.mjs"), "work-pool", "create", "ext-tests"],
      { cwd: workspaceRoot(), env: { ...process.env, ELECTRON_RUN_AS_NODE: "1" } },
    );
    const uri = vscode.Uri.file(path.join(workspaceRoot(), "skein.yaml"));
    const text =
      "name: e2e\ndeployments:\n  - name: greeting\n    entrypoint: examples/hello.ts:hello\n    work_pool:\n      name: ext-tests\n";
    await vscode.workspace.fs.writeFile(uri, Buffer.from(text, "utf8"));
    try {
      const [lens] = await flowLenses("examples/hello.ts");
      const outcome = await vscode.commands.executeCommand<DeployOutcome>(LensCommands.deploy, lensArgs(lens));
      assert.equal(outcome.deployed, true, outcome.message);
      assert.equal(outcome.name, "greeting", "the existing entry of the flow, not a new one");
      assert.match(outcome.message, /deployment 'hello\/greeting' .*→ work pool 'ext-tests'/);
      assert.equal(Buffer.from(await vscode.workspace.fs.readFile(uri)).toString("utf8"), text, "skein.yaml unchanged");
    } finally {
      await vscode.workspace.fs.delete(uri);
    }
  });
});
