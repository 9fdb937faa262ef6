// The commands behind the language server's flow lenses: Run, Debug, Run with parameters…, Deploy.
import type * as vscodeApi from "vscode";
import path from "node:path";
import { LensCommands, type FlowLensArgs, type TaskRunStatesParams } from "../protocol/lsp.ts";
import type { FlowRunner, RunOutcome } from "./flow-runner.ts";
import type { NodeRuntime } from "./node-runtime.ts";
import type { RunViews } from "./panels/run-views.ts";
import { promptForParameters } from "./parameter-prompt.ts";
import { addDeploymentToSkeinYaml } from "./deploy-scaffold.ts";
import { lastTaskRunStates } from "./task-run-states.ts";

export interface FlowCommandDeps {
  vscode: typeof vscodeApi;
  output: vscodeApi.OutputChannel;
  /** One view per flow run: a new run opens its own as its first event arrives. */
  runViews: RunViews;
  /** The Node.js that runs flows; rejects with a message saying how to fix an unsupported one. */
  nodeRuntime: () => Promise<NodeRuntime>;
  runner: (runtime: NodeRuntime) => FlowRunner;
  /** Absolute path of the engine's CLI bundle, for the debugger's launch configuration. */
  cliPath: string;
  /** Hands a finished run's task states to the language server, for its task lenses. */
  reportTaskRunStates: (params: TaskRunStatesParams) => void;
}

export function registerFlowCommands(deps: FlowCommandDeps): vscodeApi.Disposable[] {
  const { vscode } = deps;
  return [
    // A run view's "Run again" passes the earlier run's parameters along (extension/panels/run-view-actions.ts).
    vscode.commands.registerCommand(LensCommands.run, (args: FlowLensArgs & { parameters?: unknown }) =>
      runFlow(deps, args, isParameterObject(args.parameters) ? args.parameters : undefined),
    ),
    vscode.commands.registerCommand(LensCommands.runWithParameters, async (args: FlowLensArgs) => {
      const parameters = await promptForParameters(vscode, args);
      return parameters === undefined ? undefined : runFlow(deps, args, parameters);
    }),
    vscode.commands.registerCommand(LensCommands.debug, (args: FlowLensArgs) => debugFlow(deps, args)),
    vscode.commands.registerCommand(LensCommands.deploy, (args: FlowLensArgs) =>
      addDeploymentToSkeinYaml(vscode, args),
    ),
  ];
}

/** Runs the flow and resolves when its process exits; the outcome is returned so callers (and tests) can act on it. */
export async function runFlow(
  deps: FlowCommandDeps,
  args: FlowLensArgs,
  parameters?: Record<string, unknown>,
): Promise<RunOutcome | undefined> {
  const { vscode, output } = deps;
  output.show(true);
  output.appendLine(`▶ ${args.flowName} (${path.basename(args.file)}:${args.exportPath})`);
  const runtime = await nodeRuntimeOrShowError(deps);
  if (!runtime) return undefined;
  const runner = deps.runner(runtime);
  const handle = runner.run(
    { file: args.file, exportPath: args.exportPath, parameters, cwd: workspaceFolderOf(vscode, args.file) },
    (events) => deps.runViews.addEvents(events),
  );
  const outcome = await handle.done;
  const states = lastTaskRunStates(outcome.events);
  if (states.length > 0) deps.reportTaskRunStates({ flowFile: args.file, flowExportPath: args.exportPath, states });
  const ending = outcome.exitCode === 0 ? "finished" : `failed (exit ${outcome.exitCode ?? outcome.signal})`;
  output.appendLine(`■ ${args.flowName} ${ending}`);
  return outcome;
}

async function debugFlow(deps: FlowCommandDeps, args: FlowLensArgs): Promise<boolean> {
  const { vscode } = deps;
  const node = await nodeRuntimeOrShowError(deps);
  if (!node) return false;
  const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(args.file));
  // The CLI bundles the flow file with inline source maps, so breakpoints set in the original .ts bind.
  return vscode.debug.startDebugging(folder, {
    type: "node",
    request: "launch",
    name: `Debug flow ${args.flowName}`,
    runtimeExecutable: node.command,
    env: node.env,
    program: deps.cliPath,
    args: ["run", `${args.file}:${args.exportPath}`],
    cwd: workspaceFolderOf(vscode, args.file),
    sourceMaps: true,
    resolveSourceMapLocations: null,
    // The bundle lives in SKEIN_HOME, outside the workspace globs js-debug pre-scans: wait for each script's source
    // map so breakpoints in the .ts bind before the flow's code runs.
    pauseForSourceMap: true,
    skipFiles: ["<node_internals>/**", `${path.dirname(deps.cliPath)}/**`],
    console: "internalConsole",
  });
}

/** The runtime, or undefined after telling the user (output channel and a message) why there is none. */
async function nodeRuntimeOrShowError(deps: FlowCommandDeps): Promise<NodeRuntime | undefined> {
  try {
    return await deps.nodeRuntime();
  } catch (error) {
    deps.output.appendLine((error as Error).message);
    void deps.vscode.window.showErrorMessage((error as Error).message);
    return undefined;
  }
}

function isParameterObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function workspaceFolderOf(vscode: typeof vscodeApi, file: string): string {
  return vscode.workspace.getWorkspaceFolder(vscode.Uri.file(file))?.uri.fsPath ?? path.dirname(file);
}
