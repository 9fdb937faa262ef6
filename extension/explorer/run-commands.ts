// The run explorer's commands, also usable from the command palette (with a run picker when no run is given):
// Show logs (the run's logs through the API into a LogOutputChannel named after the run, then live until the run
// ends), Cancel (unfinished runs only), Delete (finished runs only, as `skein flow-run delete` refuses others,
// after a modal confirmation), Copy id; and the view's own: refresh, filter by state or flow, load more.
import type * as vscodeApi from "vscode";
import { BRIEF_RETRY } from "../../client/api-client.ts";
import { flowRunsApi } from "../../protocol/api/flow-runs.ts";
import { logsApi, MAX_LOG_PAGE } from "../../protocol/api/logs.ts";
import type { LogLevel } from "../../protocol/run-events.ts";
import { isTerminal, STATE_TYPES, type StateType, TERMINAL_STATE_TYPES } from "../../protocol/states.ts";
import type { FlowRunRecord } from "./run-data.ts";
import { LOAD_MORE_COMMAND, type MoreNode } from "./run-nodes.ts";
import { resolveRun, type RunArgument } from "./run-picker.ts";
import type { RunSource, RunTreeModel } from "./run-tree.ts";

export const RunCommands = {
  showLogs: "skein.showRunLogs",
  cancel: "skein.cancelRun",
  delete: "skein.deleteRun",
  copyId: "skein.copyRunId",
  refresh: "skein.explorer.refresh",
  filterByState: "skein.explorer.filterByState",
  filterByFlow: "skein.explorer.filterByFlow",
  clearFilter: "skein.explorer.clearFilter",
} as const;

export interface RunCommandDeps {
  vscode: typeof vscodeApi;
  source: RunSource;
  tree: RunTreeModel;
}

export function registerRunCommands(deps: RunCommandDeps): vscodeApi.Disposable[] {
  const { vscode } = deps;
  const logChannels = new Map<string, vscodeApi.LogOutputChannel>();
  const guarded =
    (action: (argument: RunArgument) => Promise<unknown>) =>
    async (argument: RunArgument): Promise<unknown> => {
      try {
        return await action(argument);
      } catch (error) {
        void vscode.window.showErrorMessage(`Skein: ${(error as Error).message}`);
        return undefined;
      }
    };
  return [
    { dispose: () => logChannels.forEach((channel) => channel.dispose()) },
    vscode.commands.registerCommand(
      RunCommands.showLogs,
      guarded(async (argument) => {
        const run = await resolveRun(vscode, deps.source, argument, { title: "Skein: Show Run Logs" });
        if (run) await showLogs(deps, logChannels, run);
      }),
    ),
    vscode.commands.registerCommand(
      RunCommands.cancel,
      guarded(async (argument) => {
        const run = await resolveRun(vscode, deps.source, argument, {
          title: "Skein: Cancel Run",
          stateTypes: STATE_TYPES.filter((type) => !isTerminal(type)),
        });
        if (!run) return undefined;
        if (isTerminal(run.state.type)) {
          void vscode.window.showInformationMessage(`Skein: ${run.name} already ended ${run.state.name}.`);
          return run.state;
        }
        const answer = await deps.source.withClient((client) =>
          client.call(flowRunsApi.cancel, { params: { id: run.id } }, { retry: BRIEF_RETRY }),
        );
        deps.tree.apply({
          kind: "state",
          id: `cancel-${run.id}`,
          timestamp: answer.state.timestamp,
          flowRunId: run.id,
          runKind: "flow",
          runId: run.id,
          state: answer.state,
        });
        return answer.state;
      }),
    ),
    vscode.commands.registerCommand(
      RunCommands.delete,
      guarded(async (argument) => {
        const run = await resolveRun(vscode, deps.source, argument, {
          title: "Skein: Delete Run",
          stateTypes: TERMINAL_STATE_TYPES,
        });
        if (!run) return false;
        if (!isTerminal(run.state.type)) {
          void vscode.window.showWarningMessage(
            `Skein: ${run.name} is ${run.state.name}; only finished runs can be deleted. Cancel it first.`,
          );
          return false;
        }
        const choice = await vscode.window.showWarningMessage(
          `Delete the run ${run.flowName} / ${run.name}?`,
          { modal: true, detail: "Its task runs, logs, artifacts and results are deleted with it." },
          "Delete",
        );
        if (choice !== "Delete") return false;
        const { deleted } = await deps.source.withClient((client) =>
          client.call(flowRunsApi.delete, { params: { id: run.id } }, { retry: BRIEF_RETRY }),
        );
        // At once, as Cancel applies its state; the server's run-deleted notice finds the rows already gone.
        if (deleted) deps.tree.forgetRun(run.id);
        return deleted;
      }),
    ),
    vscode.commands.registerCommand(
      RunCommands.copyId,
      guarded(async (argument) => {
        const given = argument as { taskRunId?: unknown } | undefined;
        const id =
          typeof given === "object" && typeof given?.taskRunId === "string"
            ? given.taskRunId
            : (await resolveRun(vscode, deps.source, argument, { title: "Skein: Copy Run Id" }))?.id;
        if (id) await vscode.env.clipboard.writeText(id);
        return id;
      }),
    ),
    vscode.commands.registerCommand(RunCommands.refresh, () => deps.tree.reload()),
    vscode.commands.registerCommand(
      LOAD_MORE_COMMAND,
      guarded((node) => deps.tree.loadMore(node as unknown as MoreNode)),
    ),
    vscode.commands.registerCommand(RunCommands.filterByState, async () => {
      const chosen = new Set(deps.tree.filter.states);
      const picked = await vscode.window.showQuickPick(
        STATE_TYPES.map((type) => ({ label: stateLabel(type), type, picked: chosen.has(type) })),
        { title: "Skein: show runs in these states (none: all)", canPickMany: true },
      );
      if (picked) deps.tree.setFilter({ ...deps.tree.filter, states: picked.map((item) => item.type) });
    }),
    vscode.commands.registerCommand(RunCommands.filterByFlow, async () => {
      const flows = deps.source.withClient(
        async (client) =>
          (await client.call(flowRunsApi.flows, { query: { limit: 1000, offset: 0 } }, { retry: BRIEF_RETRY })).flows,
      );
      type FlowItem = vscodeApi.QuickPickItem & { flowName: string | undefined };
      const all: FlowItem = { label: "$(list-flat) All flows", flowName: undefined };
      const items = flows.then((list): FlowItem[] => [
        all,
        ...list.map((flow) => ({ label: flow.name, description: `${flow.runCount} runs`, flowName: flow.name })),
      ]);
      const picked = await vscode.window.showQuickPick(items, { title: "Skein: show the runs of one flow" });
      if (picked) deps.tree.setFilter({ ...deps.tree.filter, flowName: picked.flowName });
    }),
    vscode.commands.registerCommand(RunCommands.clearFilter, () => deps.tree.setFilter({ states: [] })),
  ];
}

export function stateLabel(type: StateType): string {
  return type.charAt(0) + type.slice(1).toLowerCase();
}

async function showLogs(
  deps: RunCommandDeps,
  channels: Map<string, vscodeApi.LogOutputChannel>,
  run: FlowRunRecord,
): Promise<void> {
  let channel = channels.get(run.id);
  if (channel) channel.clear();
  else {
    channel = deps.vscode.window.createOutputChannel(`Skein: ${run.flowName} / ${run.name}`, { log: true });
    channels.set(run.id, channel);
  }
  const target = channel;
  target.show(true);
  const { logs } = await deps.source.withClient((client) =>
    client.call(
      logsApi.list,
      { params: { id: run.id }, query: { limit: MAX_LOG_PAGE, offset: 0 } },
      { retry: BRIEF_RETRY },
    ),
  );
  const written = new Set<string>();
  const write = (id: string, level: LogLevel, timestamp: string, logger: string, message: string) => {
    if (written.has(id)) return;
    written.add(id);
    // The channel stamps the time it was written; the log's own time is what the user needs.
    const line = `[${timestamp}] ${logger}: ${message}`;
    if (level === "critical") target.error(line);
    else if (level === "warning") target.warn(line);
    else target[level](line);
  };
  for (const log of logs) write(log.id, log.level, log.timestamp, log.logger, log.message);
  if (logs.length === 0) target.info(`${run.name}: no logs (${run.state.name}).`);
  if (isTerminal(run.state.type)) return;
  // Still running: keep writing its logs until it ends.
  const follower = deps.source.follow({
    flowRunId: run.id,
    onEvent: (event) => {
      if (event.kind === "log") write(event.id, event.level, event.timestamp, event.logger, event.message);
      if (
        event.kind === "state" &&
        event.runKind === "flow" &&
        event.runId === run.id &&
        isTerminal(event.state.type)
      ) {
        target.info(`${run.name} ended ${event.state.name}${event.state.message ? `: ${event.state.message}` : ""}`);
        follower.close();
      }
    },
    onDeleted: () => {
      target.info(`${run.name} was deleted.`);
      follower.close();
    },
  });
}
