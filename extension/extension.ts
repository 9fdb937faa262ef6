// Skein's VS Code extension: wires the language server, the editor's connection to Skein's data, the run explorer,
// the run and debug commands and their views together. VS Code only activates it in trusted workspaces
// (package.json: untrustedWorkspaces.supported = false), because running a flow executes the workspace's code.
import * as vscode from "vscode";
import { spawn } from "node:child_process";
import type { LanguageClient } from "vscode-languageclient/node";
import {
  ListFlowsRequest,
  TaskRunStatesNotification,
  TaskSitesRequest,
  WorkPoolsChangedNotification,
} from "../protocol/lsp.ts";
import { createEditorConnection } from "./connection/editor-connection.ts";
import { type LocalServerDeps, startLocalServer, stopLocalServer } from "./connection/local-server.ts";
import { createServerStatus } from "./connection/server-status.ts";
import type { DebugRunOutcome } from "./debug/debug-runs.ts";
import { registerSkeinDebugProvider } from "./debug/skein-debug-provider.ts";
import { InlineRunStates } from "./decorations/inline-run-states.ts";
import { TaskActivityTracker } from "./decorations/task-activity.ts";
import { TaskActivityFeed } from "./decorations/task-activity-feed.ts";
import { registerDeploymentsView } from "./deployments/deployment-commands.ts";
import { registerRunExplorer } from "./explorer/run-explorer.ts";
import { createLanguageClient } from "./language-client.ts";
import { connectionRunSource } from "./panels/run-source.ts";
import { runViewActions } from "./panels/run-view-actions.ts";
import { registerRunViewCommands } from "./panels/run-view-commands.ts";
import { RunViewPanels } from "./panels/run-view-panels.ts";
import { registerFixCommands } from "./runs/fix-commands.ts";
import { flowFormResumer, registerFlowCommands } from "./runs/flow-commands.ts";
import { FlowRunner } from "./runs/flow-runner.ts";
import { resolveNodeRuntime, type NodeRuntime } from "./runs/node-runtime.ts";
import { ParameterFormSerializer } from "./runs/parameter-form-serializer.ts";
import { connectionRunCatalog } from "./runs/run-catalog.ts";
import type { RunCommandDeps } from "./runs/run-commands.ts";
import { logChannelRunLog } from "./runs/run-log.ts";
import { RunSessions } from "./runs/run-sessions.ts";
import type { RunViewSink } from "./runs/run-view-sink.ts";

let client: LanguageClient | undefined;

/** What activate() returns: the extension-host tests read the editor's runs through it. */
export interface SkeinExtensionApi {
  sessions: RunSessions;
  /** Flow run ids whose run view was opened, in order. */
  openedViews: string[];
  /** Each debug run's outcome, in start order. */
  debugRuns: Promise<DebugRunOutcome>[];
}

export async function activate(context: vscode.ExtensionContext): Promise<SkeinExtensionApi> {
  const channel = vscode.window.createOutputChannel("Skein", { log: true });
  const log = logChannelRunLog(channel);
  const cliPath = context.asAbsolutePath("dist/engine/cli.mjs");
  // Checking a configured Node spawns it; do that once per configured path, not at every run.
  const runtimes = new Map<string, Promise<NodeRuntime>>();
  const configuredRuntime = (): Promise<NodeRuntime> => {
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
  // Every process the editor starts (runs, debug runs, the CLI, the local server) records into the SKEIN_HOME the
  // explorer shows (the `skein.home` setting), so what runs here is what the views show.
  const nodeRuntime = async (): Promise<NodeRuntime> => {
    const runtime = await configuredRuntime();
    return { ...runtime, env: { ...runtime.env, SKEIN_HOME: editorConnection.home() } };
  };

  // The one connection to Skein's data (explorer, run views, inline states).
  const localServer: LocalServerDeps = { spawn, cliPath, runtime: nodeRuntime };
  const editorConnection = createEditorConnection({
    vscode,
    secrets: context.secrets,
    startLocalServer: (home) => startLocalServer(localServer, home),
  });
  const explorer = registerRunExplorer(vscode, editorConnection);

  // One run view (webview panel) per flow run, for runs started here or anywhere else.
  const runSource = connectionRunSource(editorConnection.connection);
  const catalog = connectionRunCatalog(editorConnection.connection);
  const runViews = new RunViewPanels({
    vscode,
    extensionUri: context.extensionUri,
    source: runSource,
    host: runViewActions(vscode, runSource),
    log: (message) => channel.warn(message),
  });
  const api: SkeinExtensionApi = { sessions: undefined!, openedViews: [], debugRuns: [] };
  // Each task's latest run, inline at its definition and calls, for runs started anywhere. The feed starts when a
  // run starts here or an editor shows a task (InlineRunStates, below), not at activation.
  const tracker = new TaskActivityTracker();
  let inline: InlineRunStates | undefined;
  const feed = new TaskActivityFeed({
    connection: editorConnection.connection,
    tracker,
    onChange: (changed) => inline?.activityChanged(changed),
    onError: (message) => channel.warn(message),
  });
  const views: RunViewSink = {
    open: (flowRunId) => {
      api.openedViews.push(flowRunId);
      feed.start();
      runViews.open(flowRunId);
    },
    addEvents: (events) => runViews.addEvents(events),
  };
  // The "Skein" output channel: every line of the runs started in this editor (the status bar item opens it). Not
  // `skein.showRunLogs`, which reads one run's logs from the store into a channel of its own.
  const showLogCommand = "skein.showOutput";
  const sessions = new RunSessions({ vscode, views, showLogCommand });
  api.sessions = sessions;
  const workspaceDirectory = () => vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? process.cwd();
  const deps: RunCommandDeps = {
    vscode,
    extensionUri: context.extensionUri,
    channel,
    log,
    sessions,
    nodeRuntime,
    runner: (runtime) => new FlowRunner({ spawn, runtime, cliPath, log }),
    debug: { cliPath, socketDirectory: (context.storageUri ?? context.globalStorageUri).fsPath },
    listFlows: async () => {
      if (!client) throw new Error("The Skein language server is not running");
      return client.sendRequest(ListFlowsRequest);
    },
    catalog,
    // The task lenses are a nicety: a language server that is down must not fail the run.
    reportTaskRunStates: (params) =>
      void client
        ?.sendNotification(TaskRunStatesNotification, params)
        .catch((error: Error) => channel.warn(`Could not update the task lenses: ${error.message}`)),
    workPoolsChanged: () =>
      void client
        ?.sendNotification(WorkPoolsChangedNotification)
        .catch((error: Error) =>
          channel.warn(`Could not tell the language server about the new pool: ${error.message}`),
        ),
    onDebugRun: (finished) => api.debugRuns.push(finished),
  };

  // Parameter forms come back after a window reload; the flow commands and the Deployments view say what their
  // Submit does (registered below, before the serializer).
  const parameterForms = new ParameterFormSerializer(vscode, context.extensionUri);
  parameterForms.resume(["run", "debug"], flowFormResumer(deps));

  context.subscriptions.push(
    channel,
    editorConnection,
    ...createServerStatus({
      vscode,
      editorConnection,
      startLocalServer: (home) => startLocalServer(localServer, home),
      stopLocalServer: (home) => stopLocalServer(localServer, home),
    }),
    ...explorer.disposables,
    ...registerDeploymentsView({
      vscode,
      extensionUri: context.extensionUri,
      source: editorConnection.connection,
      onDidReset: editorConnection.onDidReset,
      cli: { runtime: nodeRuntime, cliPath },
      workspaceFolder: workspaceDirectory,
      parameterForms,
    }),
    runViews,
    runViews.registerSerializer(),
    ...registerRunViewCommands(vscode, runViews, catalog),
    sessions,
    vscode.commands.registerCommand(showLogCommand, () => channel.show(true)),
    ...registerFlowCommands(deps),
    parameterForms.register(),
    ...registerFixCommands(deps),
    registerSkeinDebugProvider(deps),
  );

  client = createLanguageClient(context.asAbsolutePath("dist/language-server/server.js"));
  await client.start();

  inline = new InlineRunStates({
    vscode,
    tracker,
    taskSites: async (uri) => (await client?.sendRequest(TaskSitesRequest, { uri })) ?? [],
    enabled: () => vscode.workspace.getConfiguration("skein").get<boolean>("inlineRunStates", true),
    onShown: (tasks) => feed.show(tasks),
  });
  context.subscriptions.push(
    inline,
    feed,
    editorConnection.onDidReset(() => feed.restart()),
  );
  return api;
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
