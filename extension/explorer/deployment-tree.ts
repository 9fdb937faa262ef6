// The "Deployments" view beside the runs: each deployment (flow, paused or not, when it runs next) with its
// schedules (cron, interval or rrule, time zone, next time), and Pause / Resume through the API. Next times come
// from protocol/schedules.ts, the one reading of schedules. Deployments change rarely and have no event stream:
// the view reads them when shown, on Refresh, on a connection reset and after its own changes.
import type * as vscodeApi from "vscode";
import { BRIEF_RETRY } from "../../client/api-client.ts";
import type { ResponseOf } from "../../protocol/api/contract.ts";
import { deploymentsApi } from "../../protocol/api/deployments.ts";
import { nextScheduleTime } from "../../protocol/schedules.ts";
import type { RunSource } from "./run-tree.ts";

export type DeploymentRecord = ResponseOf<typeof deploymentsApi.get>;
type Schedule = DeploymentRecord["schedules"][number];

export type DeploymentNode =
  | { kind: "deployment"; deployment: DeploymentRecord; deploymentId: string }
  | { kind: "schedule"; deployment: DeploymentRecord; schedule: Schedule; index: number }
  | { kind: "message"; text: string; error: boolean };

export const DeploymentCommands = {
  refresh: "skein.deployments.refresh",
  pause: "skein.pauseDeployment",
  resume: "skein.resumeDeployment",
} as const;

export function describeSchedule(schedule: Schedule): string {
  const what =
    schedule.cron !== undefined
      ? `cron ${schedule.cron}`
      : schedule.interval !== undefined
        ? `every ${formatInterval(schedule.interval)}`
        : `rrule ${schedule.rrule}`;
  return schedule.timezone ? `${what} (${schedule.timezone})` : what;
}

function formatInterval(seconds: number): string {
  for (const [unit, size] of [
    ["d", 86_400],
    ["h", 3600],
    ["m", 60],
  ] as const) {
    if (seconds >= size && seconds % size === 0) return `${seconds / size}${unit}`;
  }
  return `${seconds}s`;
}

/** The soonest next time of the deployment's active schedules; undefined when paused or unscheduled. */
export function nextRunOf(deployment: DeploymentRecord, now: Date): Date | undefined {
  if (deployment.paused) return undefined;
  const anchor = new Date(deployment.createdAt);
  const times = deployment.schedules
    .filter((schedule) => schedule.active)
    .map((schedule) => nextScheduleTime(schedule, now, anchor))
    .filter((time): time is Date => time !== undefined);
  return times.sort((a, b) => a.getTime() - b.getTime())[0];
}

export class DeploymentTreeModel implements vscodeApi.TreeDataProvider<DeploymentNode>, vscodeApi.Disposable {
  private readonly changeEmitter: vscodeApi.EventEmitter<DeploymentNode | undefined>;
  readonly onDidChangeTreeData: vscodeApi.Event<DeploymentNode | undefined>;

  constructor(private readonly deps: { vscode: typeof vscodeApi; source: RunSource; now?: () => Date }) {
    this.changeEmitter = new deps.vscode.EventEmitter();
    this.onDidChangeTreeData = this.changeEmitter.event;
  }

  reload(): void {
    this.changeEmitter.fire(undefined);
  }

  async getChildren(node?: DeploymentNode): Promise<DeploymentNode[]> {
    if (node?.kind === "deployment") {
      return node.deployment.schedules.map((schedule, index) => ({
        kind: "schedule",
        deployment: node.deployment,
        schedule,
        index,
      }));
    }
    if (node) return [];
    try {
      const { deployments } = await this.deps.source.withClient((client) =>
        client.call(deploymentsApi.list, {}, { retry: BRIEF_RETRY }),
      );
      if (deployments.length === 0) return [{ kind: "message", text: "No deployments yet.", error: false }];
      return deployments.map((deployment) => ({ kind: "deployment", deployment, deploymentId: deployment.id }));
    } catch (error) {
      return [{ kind: "message", text: (error as Error).message, error: true }];
    }
  }

  getTreeItem(node: DeploymentNode): vscodeApi.TreeItem {
    const { vscode } = this.deps;
    const now = this.deps.now?.() ?? new Date();
    if (node.kind === "message") {
      const item = new vscode.TreeItem(node.text, vscode.TreeItemCollapsibleState.None);
      item.iconPath = new vscode.ThemeIcon(node.error ? "warning" : "info");
      return item;
    }
    if (node.kind === "schedule") {
      const item = new vscode.TreeItem(describeSchedule(node.schedule), vscode.TreeItemCollapsibleState.None);
      item.id = `schedule:${node.deployment.id}:${node.index}`;
      item.iconPath = new vscode.ThemeIcon(node.schedule.active ? "calendar" : "circle-slash");
      const next = node.schedule.active
        ? nextScheduleTime(node.schedule, now, new Date(node.deployment.createdAt))
        : undefined;
      item.description = node.schedule.active ? (next ? `next ${next.toLocaleString()}` : "never again") : "inactive";
      return item;
    }
    const { deployment } = node;
    const item = new vscode.TreeItem(
      deployment.name,
      deployment.schedules.length > 0
        ? vscode.TreeItemCollapsibleState.Collapsed
        : vscode.TreeItemCollapsibleState.None,
    );
    item.id = `deployment:${deployment.id}`;
    item.iconPath = new vscode.ThemeIcon(deployment.paused ? "debug-pause" : "rocket");
    const next = nextRunOf(deployment, now);
    item.description = `${deployment.flowName} · ${deployment.paused ? "paused" : next ? `next ${next.toLocaleString()}` : "not scheduled"}`;
    item.tooltip = `${deployment.flowName}/${deployment.name}\n${deployment.entrypoint}${deployment.description ? `\n\n${deployment.description}` : ""}`;
    item.contextValue = deployment.paused ? "deployment.paused" : "deployment.active";
    item.accessibilityInformation = {
      label: `${deployment.name} deployment, ${deployment.paused ? "paused" : "active"}`,
    };
    return item;
  }

  /** Pauses or resumes a deployment (its schedules stop or start creating runs). */
  async setPaused(deploymentId: string, paused: boolean): Promise<DeploymentRecord> {
    const updated = await this.deps.source.withClient((client) =>
      client.call(deploymentsApi.update, { params: { id: deploymentId }, body: { paused } }, { retry: BRIEF_RETRY }),
    );
    this.reload();
    return updated;
  }

  dispose(): void {
    this.changeEmitter.dispose();
  }
}

export function registerDeploymentsView(
  vscode: typeof vscodeApi,
  source: RunSource,
  onDidReset: vscodeApi.Event<void>,
): vscodeApi.Disposable[] {
  const tree = new DeploymentTreeModel({ vscode, source });
  const pick = async (argument: unknown, paused: boolean): Promise<string | undefined> => {
    const given = (argument as { deploymentId?: unknown } | undefined)?.deploymentId;
    if (typeof given === "string") return given;
    const { deployments } = await source.withClient((client) =>
      client.call(deploymentsApi.list, {}, { retry: BRIEF_RETRY }),
    );
    const picked = await vscode.window.showQuickPick(
      deployments
        .filter((deployment) => deployment.paused !== paused)
        .map((deployment) => ({ label: `${deployment.flowName}/${deployment.name}`, id: deployment.id })),
      { title: paused ? "Skein: Pause Deployment" : "Skein: Resume Deployment" },
    );
    return picked?.id;
  };
  const setPaused = (paused: boolean) => async (argument: unknown) => {
    try {
      const id = await pick(argument, paused);
      return id ? await tree.setPaused(id, paused) : undefined;
    } catch (error) {
      void vscode.window.showErrorMessage(`Skein: ${(error as Error).message}`);
      return undefined;
    }
  };
  return [
    tree,
    vscode.window.createTreeView("skein.deployments", { treeDataProvider: tree }),
    onDidReset(() => tree.reload()),
    vscode.commands.registerCommand(DeploymentCommands.refresh, () => tree.reload()),
    vscode.commands.registerCommand(DeploymentCommands.pause, setPaused(true)),
    vscode.commands.registerCommand(DeploymentCommands.resume, setPaused(false)),
  ];
}
