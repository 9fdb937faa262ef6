// What every run command shares: the Node.js that runs flows, a CLI run tracked as a run session (run view, status
// bar, cancellable notification, log), a debug run with its back-channel, and the folder a run starts in.
import type * as vscodeApi from "vscode";
import path from "node:path";
import type { FlowLensArgs, TaskRunStatesParams } from "../../protocol/lsp.ts";
import { debugRun, type DebugRunOutcome, type DebugRunsDeps } from "../debug/debug-runs.ts";
import type { FlowRunner, RunOutcome } from "./flow-runner.ts";
import type { NodeRuntime } from "./node-runtime.ts";
import type { RunCatalog } from "./run-catalog.ts";
import type { RunLog } from "./run-log.ts";
import type { RunSessions } from "./run-sessions.ts";

export interface RunCommandDeps {
  vscode: typeof vscodeApi;
  /** Where the extension's webview bundles are (dist/webview): the parameter form's page. */
  extensionUri: vscodeApi.Uri;
  /** The run log's channel, shown when a run starts. */
  channel: { show(preserveFocus?: boolean): void };
  log: RunLog;
  sessions: RunSessions;
  /** The Node.js that runs flows; rejects with a message saying how to fix an unsupported one. */
  nodeRuntime: () => Promise<NodeRuntime>;
  runner: (runtime: NodeRuntime) => FlowRunner;
  debug: Omit<DebugRunsDeps, "vscode" | "sessions" | "log">;
  /** The language server's flows, for the palette's flow picker. */
  listFlows: () => Promise<FlowLensArgs[]>;
  catalog: RunCatalog;
  /** Hands a finished run's task states to the language server, for its task lenses. */
  reportTaskRunStates: (params: TaskRunStatesParams) => void;
  /** Tells the language server that work pools changed (it re-checks skein.yaml). */
  workPoolsChanged: () => void;
  /** Each debug run's outcome, for the extension's test API. */
  onDebugRun?: (finished: Promise<DebugRunOutcome>) => void;
}

/** Runs a CLI command that runs flows (`--output jsonl`) as a run session; undefined when Node.js is unusable. */
export async function runCliSession(
  deps: RunCommandDeps,
  title: string,
  args: string[],
  cwd: string,
): Promise<RunOutcome | undefined> {
  deps.channel.show(true);
  deps.log.write("info", `▶ ${title}`);
  const runtime = await nodeRuntimeOrShowError(deps);
  if (!runtime) return undefined;
  let cancel: () => void = () => undefined;
  const outcome = await deps.sessions.track(
    title,
    () => cancel(),
    (session) => {
      const handle = deps.runner(runtime).runCli(args, cwd, (events) => session.addEvents(events));
      cancel = handle.cancel;
      return handle.done;
    },
  );
  const ending = outcome.exitCode === 0 ? "finished" : `ended (exit ${outcome.exitCode ?? outcome.signal})`;
  deps.log.write(outcome.exitCode === 0 ? "info" : "warning", `■ ${title} ${ending}`);
  return outcome;
}

/** Starts a debug run; resolves to whether the debug session started. */
export async function startDebugRun(
  deps: RunCommandDeps,
  title: string,
  cliArgs: string[],
  file: string | undefined,
  env?: Record<string, string>,
): Promise<boolean> {
  const runtime = await nodeRuntimeOrShowError(deps);
  if (!runtime) return false;
  const { vscode } = deps;
  const folder = file
    ? vscode.workspace.getWorkspaceFolder(vscode.Uri.file(file))
    : vscode.workspace.workspaceFolders?.[0];
  const { started, finished } = await debugRun(
    { ...deps.debug, vscode, sessions: deps.sessions, log: deps.log },
    { title, runtime, cliArgs, cwd: runDirectory(vscode, file), folder, env },
  );
  deps.onDebugRun?.(finished);
  return started;
}

/** The runtime, or undefined after telling the user (log and a message) why there is none. */
async function nodeRuntimeOrShowError(deps: RunCommandDeps): Promise<NodeRuntime | undefined> {
  try {
    return await deps.nodeRuntime();
  } catch (error) {
    deps.log.write("error", (error as Error).message);
    void deps.vscode.window.showErrorMessage((error as Error).message);
    return undefined;
  }
}

/** The workspace folder of `file` (else its folder); without a file, the first workspace folder. */
export function runDirectory(vscode: typeof vscodeApi, file: string | undefined): string {
  if (file) return vscode.workspace.getWorkspaceFolder(vscode.Uri.file(file))?.uri.fsPath ?? path.dirname(file);
  return vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? process.cwd();
}
