// Skein's VS Code extension: wires the language server, the flow commands and the run output together.
// VS Code only activates it in trusted workspaces (package.json: untrustedWorkspaces.supported = false),
// because running a flow executes the workspace's code.
import * as vscode from "vscode";
import { spawn } from "node:child_process";
import type { LanguageClient } from "vscode-languageclient/node";
import { TaskRunStatesNotification } from "../protocol/lsp.ts";
import { createLanguageClient } from "./language-client.ts";
import { FlowRunner } from "./flow-runner.ts";
import { registerFlowCommands } from "./flow-commands.ts";
import { resolveNodeRuntime, type NodeRuntime } from "./node-runtime.ts";
import { RunPanel } from "./run-panel.ts";
import { createEditorConnection } from "./connection/editor-connection.ts";
import { type LocalServerDeps, startLocalServer, stopLocalServer } from "./connection/local-server.ts";
import { createServerStatus } from "./connection/server-status.ts";
import { registerRunExplorer } from "./explorer/run-explorer.ts";

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel("Skein");
  const cliPath = context.asAbsolutePath("dist/engine/cli.mjs");
  // Checking a configured Node spawns it; do that once per configured path, not at every run.
  const runtimes = new Map<string, Promise<NodeRuntime>>();
  const nodeRuntime = (): Promise<NodeRuntime> => {
    const configured = vscode.workspace.getConfiguration("skein").get<string>("nodePath", "");
    let runtime = runtimes.get(configured);
    if (!runtime) {
      runtime = resolveNodeRuntime(configured);
      // A failed check is retried next time: the user may have installed that Node meanwhile.
      runtime.catch(() => runtimes.delete(configured));
      runtimes.set(configured, runtime);
    }
    return runtime;
  };

  // The one connection to Skein's data (explorer, run views, inline states); the local server runs on the same
  // Node.js as flows.
  const localServer: LocalServerDeps = { spawn, cliPath, runtime: nodeRuntime };
  const editorConnection = createEditorConnection({
    vscode,
    secrets: context.secrets,
    startLocalServer: (home) => startLocalServer(localServer, home),
  });
  const explorer = registerRunExplorer(vscode, editorConnection);

  context.subscriptions.push(
    output,
    editorConnection,
    ...createServerStatus({
      vscode,
      editorConnection,
      startLocalServer: (home) => startLocalServer(localServer, home),
      stopLocalServer: (home) => stopLocalServer(localServer, home),
    }),
    ...explorer.disposables,
    ...registerFlowCommands({
      vscode,
      output,
      runPanel: new RunPanel(vscode, context.extensionUri),
      cliPath,
      nodeRuntime,
      // Runs started from the editor are recorded in the SKEIN_HOME the explorer shows (the `skein.home` setting).
      runner: (runtime) =>
        new FlowRunner({
          spawn,
          runtime,
          cliPath,
          output,
          env: { ...process.env, SKEIN_HOME: editorConnection.home() },
        }),
      // The task lenses are a nicety: a language server that is down must not fail the run.
      reportTaskRunStates: (params) =>
        void client
          ?.sendNotification(TaskRunStatesNotification, params)
          .catch((error: Error) => output.appendLine(`Could not update the task lenses: ${error.message}`)),
    }),
  );

  client = createLanguageClient(context.asAbsolutePath("dist/language-server/server.js"));
  await client.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
