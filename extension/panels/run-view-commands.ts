// The run view commands: `skein.openRun` (from the explorer with a flow run id, or from the palette with a run
// picker) and `skein.compareRuns` (opens the run's view on its Compare tab). Arguments come from menus, other
// extensions' executeCommand or the palette, so they are checked like any outside input.
import type * as vscodeApi from "vscode";
import type { RunViewTab } from "../../protocol/webview/run-view.ts";
import { flowRunIdOf } from "../command-arguments.ts";
import type { RunSource } from "./run-source.ts";
import type { RunViewPanels } from "./run-view-panels.ts";

export const RunViewCommands = {
  openRun: "skein.openRun",
  compareRuns: "skein.compareRuns",
} as const;

export function registerRunViewCommands(
  vscode: typeof vscodeApi,
  views: RunViewPanels,
  source: RunSource,
): vscodeApi.Disposable[] {
  const openOn = async (argument: unknown, tab?: RunViewTab) => {
    const flowRunId = flowRunIdOf(argument) ?? (await pickRun(vscode, source));
    if (flowRunId) views.open(flowRunId, tab);
    return flowRunId;
  };
  return [
    vscode.commands.registerCommand(RunViewCommands.openRun, (argument: unknown) => openOn(argument)),
    vscode.commands.registerCommand(RunViewCommands.compareRuns, (argument: unknown) => openOn(argument, "compare")),
  ];
}

async function pickRun(vscode: typeof vscodeApi, source: RunSource): Promise<string | undefined> {
  let runs: Awaited<ReturnType<RunSource["listRuns"]>>;
  try {
    runs = await source.listRuns(undefined, 200);
  } catch (error) {
    void vscode.window.showErrorMessage((error as Error).message);
    return undefined;
  }
  if (runs.length === 0) {
    void vscode.window.showInformationMessage("No flow runs yet: run a flow first (the Run lens above a flow).");
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    runs.map((run) => ({
      label: `${run.flowName} › ${run.name}`,
      description: run.stateName,
      detail: `${new Date(run.createdAt).toLocaleString()} · ${run.flowRunId}`,
      flowRunId: run.flowRunId,
    })),
    { placeHolder: "Open the run view of a flow run", matchOnDescription: true, matchOnDetail: true },
  );
  return picked?.flowRunId;
}
