// The run view commands: `skein.openRun` (from the explorer with a flow run id, or from the palette with a run
// picker) and `skein.compareRuns` (opens the run's view on its Compare tab). Arguments come from menus, other
// extensions' executeCommand or the palette, so they are checked like any outside input.
import type * as vscodeApi from "vscode";
import type { RunViewTab } from "../../protocol/webview/run-view.ts";
import { flowRunIdOf } from "../command-arguments.ts";
import { pickFlowRun } from "../runs/pickers.ts";
import type { RunCatalog } from "../runs/run-catalog.ts";
import type { RunViewPanels } from "./run-view-panels.ts";

export const RunViewCommands = {
  openRun: "skein.openRun",
  compareRuns: "skein.compareRuns",
} as const;

export function registerRunViewCommands(
  vscode: typeof vscodeApi,
  views: RunViewPanels,
  catalog: RunCatalog,
): vscodeApi.Disposable[] {
  const openOn = async (argument: unknown, tab?: RunViewTab) => {
    const title = tab === "compare" ? "Skein: Compare Runs" : "Skein: Open Run";
    const flowRunId = flowRunIdOf(argument) ?? (await pickFlowRun(vscode, catalog, { title }))?.id;
    if (flowRunId) views.open(flowRunId, tab);
    return flowRunId;
  };
  return [
    vscode.commands.registerCommand(RunViewCommands.openRun, (argument: unknown) => openOn(argument)),
    vscode.commands.registerCommand(RunViewCommands.compareRuns, (argument: unknown) => openOn(argument, "compare")),
  ];
}
