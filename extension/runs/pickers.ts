// The palette's pickers, for commands run without a lens or a tree item to give them their context: a flow (from
// the language server's index), a flow run and a task run (from the run catalog).
import type * as vscodeApi from "vscode";
import type { FlowLensArgs } from "../../protocol/lsp.ts";
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

export async function pickFlowRun(
  vscode: typeof vscodeApi,
  catalog: RunCatalog,
  title: string,
  stateTypes?: string[],
): Promise<FlowRunSummary | undefined> {
  const runs = await catalog.flowRuns(stateTypes);
  if (runs.length === 0) {
    void vscode.window.showInformationMessage(
      stateTypes ? `No flow run in state ${stateTypes.join(" or ")}.` : "No flow run recorded yet.",
    );
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    runs.map((run) => ({
      label: `${run.flowName} / ${run.name}`,
      description: run.state.name,
      detail: `${run.createdAt} · ${run.id}`,
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
