// Runs inside the real extension host against the E2E workspace (examples/hello.ts and fixtures).
import * as assert from "node:assert/strict";
import path from "node:path";
import * as vscode from "vscode";
import { LensCommands, type FlowLensArgs } from "../../../protocol/lsp";
import type { RunOutcome } from "../../../extension/flow-runner";

const workspaceRoot = () => vscode.workspace.workspaceFolders![0].uri.fsPath;

async function flowLenses(file: string): Promise<vscode.CodeLens[]> {
  const uri = vscode.Uri.file(path.join(workspaceRoot(), file));
  await vscode.window.showTextDocument(uri);
  // The language server answers once it has analysed the file; poll instead of guessing a delay.
  for (let attempt = 0; attempt < 120; attempt++) {
    const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>("vscode.executeCodeLensProvider", uri)) ?? [];
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
  it("activates in the trusted workspace", async () => {
    const extension = vscode.extensions.all.find((e) => e.packageJSON.name === "skein");
    assert.ok(extension, "the Skein extension is installed");
    await extension.activate();
    assert.equal(extension.isActive, true);
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
    const outcome = await vscode.commands.executeCommand<RunOutcome>(lens.command!.command, ...lens.command!.arguments!);
    assert.equal(outcome.exitCode, 0, outcome.output);
    assert.match(outcome.output, /greet/);
    assert.match(outcome.output, /shout/);
    assert.match(outcome.output, /HELLO, WORLD!/);
    const finalTaskStates = outcome.events.flatMap((event) =>
      event.kind === "state" && event.runKind === "task" && event.state.type === "COMPLETED" ? [event.runId] : [],
    );
    const taskNames = outcome.events.flatMap((event) => (event.kind === "task-run-created" ? [event.name] : []));
    assert.deepEqual(taskNames.map((name) => name.replace(/-\d+$/, "")), ["greet", "shout"]);
    assert.equal(finalTaskStates.length, 2, "both task runs completed");
  });

  it("reports a failing flow with a non-zero exit and the error's place in the .ts source", async () => {
    const [lens] = await flowLenses("fixtures/failing.ts");
    const outcome = await vscode.commands.executeCommand<RunOutcome>(lens.command!.command, ...lens.command!.arguments!);
    assert.notEqual(outcome.exitCode, 0);
    assert.match(outcome.output, /no rows for 1999-01-01/);
    assert.match(outcome.output, /failing\.ts:\d+/);
  });

  it("Deploy adds the flow to skein.yaml with its entrypoint", async () => {
    const [lens] = await flowLenses("examples/hello.ts");
    const uri = await vscode.commands.executeCommand<vscode.Uri>(LensCommands.deploy, lensArgs(lens));
    const text = Buffer.from(await vscode.workspace.fs.readFile(uri)).toString("utf8");
    assert.match(text, /entrypoint: examples\/hello\.ts:hello/);
  });
});
