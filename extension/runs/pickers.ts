// The palette's pickers, for commands run without a lens or a tree item to give them their context: a flow (from
// the language server's index), a flow run and a task run (from the run catalog). Every command that needs a run
// and was given none asks through these, so the pickers look and behave the same everywhere.
import type * as vscodeApi from "vscode";
import type { FlowLensArgs } from "../../protocol/lsp.ts";
import { runTiming } from "../explorer/run-nodes.ts";
import type { FlowRunSummary, RunCatalog, TaskRunSummary } from "./run-catalog.ts";

export async function pickFlow(
  vscode: typeof vscodeApi,
  listFlows: () => Promise<FlowLensArgs[]>,
  title: string,
): Promise<FlowLensArgs | undefined> {
  const flows = await listFlows();
  if (flows.length === 0) {
    void vscode.window.showInformationMessage("Skein found no exported flow in this workspace.");
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    flows.map((flow) => ({ label: flow.flowName, description: flow.entrypoint, flow })),
    { title, placeHolder: "Pick a flow", matchOnDescription: true },
  );
  return picked?.flow;
}

export interface FlowRunPickOptions {
  title: string;
  /** Only runs in these state types (Cancel offers unfinished runs, Delete finished ones, Retry failed ones). */
  stateTypes?: readonly string[];
}

/** One of the most recent flow runs, newest first; a listing error is shown and picks nothing. */
export async function pickFlowRun(
  vscode: typeof vscodeApi,
  catalog: RunCatalog,
  options: FlowRunPickOptions,
): Promise<FlowRunSummary | undefined> {
  const { title, stateTypes } = options;
  let runs: FlowRunSummary[];
  try {
    runs = await catalog.flowRuns(stateTypes?.length ? [...stateTypes] : undefined);
  } catch (error) {
    void vscode.window.showErrorMessage(`${title}: could not list the runs: ${(error as Error).message}`);
    return undefined;
  }
  if (runs.length === 0) {
    void vscode.window.showInformationMessage(
      stateTypes?.length
        ? `${title}: no flow run is ${stateTypes.map((type) => type.toLowerCase()).join(" or ")}.`
        : `${title}: no flow run yet. Run a flow first (the Run lens above a flow).`,
    );
    return undefined;
  }
  const now = Date.now();
  const picked = await vscode.window.showQuickPick(
    runs.map((run) => ({
      label: `${run.flowName} / ${run.name}`,
      description: `${run.state.name} · ${runTiming(run.createdAt, run.state, now)}`,
      detail: run.state.message ? `${run.id} · ${run.state.message}` : run.id,
      run,
    })),
    { title, placeHolder: "Pick a flow run", matchOnDescription: true, matchOnDetail: true },
  );
  return picked?.run;
}

export async function pickTaskRun(
  vscode: typeof vscodeApi,
  catalog: RunCatalog,
  flowRunId: string,
  title: string,
): Promise<TaskRunSummary | undefined> {
  const tasks = await catalog.taskRuns(flowRunId);
  if (tasks.length === 0) {
    void vscode.window.showInformationMessage("That flow run has no task runs.");
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    tasks.map((task) => ({ label: task.name, description: task.state.name, detail: task.id, task })),
    { title, placeHolder: "Pick a task run", matchOnDescription: true },
  );
  return picked?.task;
}
