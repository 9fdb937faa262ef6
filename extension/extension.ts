// Skein's VS Code extension: wires the language server, the flow commands and the run output together.
// VS Code only activates it in trusted workspaces (package.json: untrustedWorkspaces.supported = false),
// because running a flow executes the workspace's code.
import * as vscode from "vscode";
import { spawn } from "node:child_process";
import type { LanguageClient } from "vscode-languageclient/node";
import { TaskRunStatesNotification, TaskSitesRequest } from "../protocol/lsp.ts";
import { createLanguageClient } from "./language-client.ts";
import { FlowRunner } from "./flow-runner.ts";
import { registerFlowCommands } from "./flow-commands.ts";
import { resolveNodeRuntime, type NodeRuntime } from "./node-runtime.ts";
import { RunPanel } from "./run-panel.ts";
import { skeinHome } from "../client/home.ts";
import { SkeinConnection } from "./connection/skein-connection.ts";
import { startLocalServer } from "./connection/local-server.ts";
import { TaskActivityTracker } from "./decorations/task-activity.ts";
import { TaskActivityFeed } from "./decorations/task-activity-feed.ts";
import { InlineRunStates } from "./decorations/inline-run-states.ts";

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

  context.subscriptions.push(
    output,
    ...registerFlowCommands({
      vscode,
      output,
      runPanel: new RunPanel(vscode, context.extensionUri),
      cliPath,
      nodeRuntime,
      runner: (runtime) => new FlowRunner({ spawn, runtime, cliPath, output }),
      // The task lenses are a nicety: a language server that is down must not fail the run.
      reportTaskRunStates: (params) =>
        void client
          ?.sendNotification(TaskRunStatesNotification, params)
          .catch((error: Error) => output.appendLine(`Could not update the task lenses: ${error.message}`)),
    }),
  );

  client = createLanguageClient(context.asAbsolutePath("dist/language-server/server.js"));
  await client.start();

  const connection = new SkeinConnection({
    home: skeinHome,
    apiUrl: () => "",
    apiKey: async () => undefined,
    startLocalServer: (home) => startLocalServer({ spawn, runtime: nodeRuntime, cliPath }, home),
  });
  const tracker = new TaskActivityTracker();
  const inline = new InlineRunStates({
    vscode,
    tracker,
    taskSites: async (uri) => (await client?.sendRequest(TaskSitesRequest, { uri })) ?? [],
    enabled: () => vscode.workspace.getConfiguration("skein").get<boolean>("inlineRunStates", true),
  });
  const feed = new TaskActivityFeed({
    connection,
    tracker,
    onChange: (changed) => inline.activityChanged(changed),
    onError: (message) => output.appendLine(message),
  });
  context.subscriptions.push(connection, inline, feed);
  void feed.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
