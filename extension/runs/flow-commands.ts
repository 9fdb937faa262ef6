// The flow commands, from a lens (which hands over the flow) or the palette (which asks for it with a picker): Run,
// Run with parameters…, Debug, Debug with parameters…, Deploy; and what a parameter form restored after a window
// reload does on Submit (flowFormResumer).
import type * as vscodeApi from "vscode";
import fs from "node:fs";
import path from "node:path";
import { LensCommands, type FlowLensArgs } from "../../protocol/lsp.ts";
import type { ParameterFormOrigin } from "../../protocol/webview/parameter-form.ts";
import { deployFlow } from "../deployments/deploy-flow.ts";
import { DeploymentCommands } from "../explorer/deployment-tree.ts";
import { lastTaskRunStates } from "../task-run-states.ts";
import { cliArguments, type RunOutcome } from "./flow-runner.ts";
import type { ParameterFormResumer } from "./parameter-form-serializer.ts";
import { promptForParameters } from "./parameter-prompt.ts";
import { isFlowLensArgs } from "../command-arguments.ts";
import { pickFlow } from "./pickers.ts";
import { RUN_ENTRYPOINT_COMMAND } from "../panels/run-view-actions.ts";
import { runCliSession, runDirectory, startDebugRun, type RunCommandDeps } from "./run-commands.ts";

export function registerFlowCommands(deps: RunCommandDeps): vscodeApi.Disposable[] {
  const { vscode } = deps;
  /** The lens's flow, or the one the user picks when the palette gave none. */
  const flowFor = (argument: unknown, title: string) =>
    isFlowLensArgs(argument) ? Promise.resolve(argument) : pickFlow(vscode, deps.listFlows, title);
  const withParameters = async (args: FlowLensArgs | undefined, kind: "run" | "debug") =>
    args && { args, parameters: await promptForParameters(vscode, deps.extensionUri, formOrigin(args, kind)) };
  return [
    vscode.commands.registerCommand(LensCommands.run, async (argument?: unknown) => {
      const args = await flowFor(argument, "Skein: Run Flow");
      return args && runFlow(deps, args);
    }),
    vscode.commands.registerCommand(LensCommands.runWithParameters, async (argument?: unknown) => {
      const chosen = await withParameters(await flowFor(argument, "Skein: Run Flow with Parameters"), "run");
      return chosen?.parameters === undefined ? undefined : runFlow(deps, chosen.args, chosen.parameters);
    }),
    vscode.commands.registerCommand(LensCommands.debug, async (argument?: unknown) => {
      const args = await flowFor(argument, "Skein: Debug Flow");
      return args ? debugFlow(deps, args) : false;
    }),
    vscode.commands.registerCommand(LensCommands.debugWithParameters, async (argument?: unknown) => {
      const chosen = await withParameters(await flowFor(argument, "Skein: Debug Flow with Parameters"), "debug");
      return chosen?.parameters === undefined ? false : debugFlow(deps, chosen.args, chosen.parameters);
    }),
    // A run view's "Run again with these parameters": the recorded entrypoint (relative to the workspace folder).
    vscode.commands.registerCommand(RUN_ENTRYPOINT_COMMAND, (argument?: unknown) => {
      const request = argument as { entrypoint?: unknown; parameters?: unknown } | undefined;
      if (typeof request?.entrypoint !== "string" || !isParameterObject(request.parameters))
        throw new Error("skein.runEntrypoint needs { entrypoint: 'path/to/file.ts:exportName', parameters: {...} }");
      const cwd = runDirectory(vscode, undefined);
      const cliArgs = ["run", request.entrypoint, "--output", "jsonl"];
      if (Object.keys(request.parameters).length > 0) cliArgs.push("--params", JSON.stringify(request.parameters));
      return runCliSession(deps, request.entrypoint, cliArgs, cwd);
    }),
    vscode.commands.registerCommand(LensCommands.deploy, async (argument?: unknown) => {
      const args = await flowFor(argument, "Skein: Deploy Flow");
      if (!args) return undefined;
      const cli = { runtime: deps.nodeRuntime, cliPath: deps.debug.cliPath };
      const onDeployed = () => void vscode.commands.executeCommand(DeploymentCommands.refresh);
      return deployFlow({ vscode, cli, onDeployed, onPoolCreated: deps.workPoolsChanged }, args);
    }),
  ];
}

const isParameterObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** What runFlow and debugFlow need of a flow. */
type FlowTarget = Pick<FlowLensArgs, "file" | "exportPath" | "flowName">;

function formOrigin(args: FlowLensArgs, kind: "run" | "debug"): ParameterFormOrigin {
  return {
    action: { kind, file: args.file, exportPath: args.exportPath },
    title: args.flowName,
    parameterSchema: args.parameterSchema,
  };
}

/**
 * A Run or Debug with parameters… form restored after a reload. Its origin comes from a webview's state: only a
 * flow file that still exists inside a workspace folder is run.
 */
export function flowFormResumer(deps: RunCommandDeps): ParameterFormResumer {
  const targetOf = (origin: ParameterFormOrigin): FlowTarget | undefined =>
    origin.action.kind === "deployment"
      ? undefined
      : { file: origin.action.file, exportPath: origin.action.exportPath, flowName: origin.title };
  return {
    refuse(origin) {
      const file = targetOf(origin)?.file ?? "";
      const inWorkspace =
        path.isAbsolute(file) && deps.vscode.workspace.getWorkspaceFolder(deps.vscode.Uri.file(file)) !== undefined;
      return inWorkspace && fs.existsSync(file) ? undefined : `${file} is no longer a file of this workspace.`;
    },
    async submit(origin, parameters) {
      const target = targetOf(origin);
      if (!target) return undefined;
      return origin.action.kind === "debug" ? debugFlow(deps, target, parameters) : runFlow(deps, target, parameters);
    },
  };
}

function flowTitle(args: FlowTarget): string {
  return `${args.flowName} (${path.basename(args.file)}:${args.exportPath})`;
}

/** Runs the flow and resolves when its process exits; the outcome is returned so callers (and tests) can act on it. */
export async function runFlow(
  deps: RunCommandDeps,
  args: FlowTarget,
  parameters?: Record<string, unknown>,
): Promise<RunOutcome | undefined> {
  const cwd = runDirectory(deps.vscode, args.file);
  const outcome = await runCliSession(
    deps,
    flowTitle(args),
    cliArguments({ file: args.file, exportPath: args.exportPath, parameters, cwd }),
    cwd,
  );
  const states = outcome ? lastTaskRunStates(outcome.events) : [];
  if (states.length > 0) deps.reportTaskRunStates({ flowFile: args.file, flowExportPath: args.exportPath, states });
  return outcome;
}

/** Debugs the flow (text output goes to the Debug Console, events come over the back-channel). */
export function debugFlow(
  deps: RunCommandDeps,
  args: FlowTarget,
  parameters?: Record<string, unknown>,
  extra: { env?: Record<string, string>; args?: string[] } = {},
): Promise<boolean> {
  const cliArgs = ["run", `${args.file}:${args.exportPath}`, ...(extra.args ?? [])];
  if (parameters && Object.keys(parameters).length > 0) cliArgs.push("--params", JSON.stringify(parameters));
  return startDebugRun(deps, flowTitle(args), cliArgs, args.file, extra.env);
}
