// The "Deployments" view beside the runs: each deployment (flow/name, paused or not, its work pool, when it runs
// next) with its schedules (slug, cron, interval or rrule, time zone, next time; paused or not, which the menus of
// a schedule row read from its contextValue) and, when no worker has polled its pool lately, a "No worker is polling
// pool P" row that offers to start one. Next times come from protocol/schedules.ts, the one reading of schedules;
// worker liveness from the API's workers list (each worker's last poll). The view's commands and when it reloads
// are in deployments/deployment-commands.ts.
import type * as vscodeApi from "vscode";
import { BRIEF_RETRY } from "../../client/api-client.ts";
import type { ResponseOf } from "../../protocol/api/contract.ts";
import { deploymentsApi } from "../../protocol/api/deployments.ts";
import { workersApi } from "../../protocol/api/workers.ts";
import { nextScheduleTime, scheduleRef } from "../../protocol/schedules.ts";
import type { RunSource } from "./run-tree.ts";

export type DeploymentRecord = ResponseOf<typeof deploymentsApi.get>;
export type ScheduleChange = ResponseOf<typeof deploymentsApi.setScheduleActive>;
type Schedule = DeploymentRecord["schedules"][number];
export type WorkerRecord = ResponseOf<typeof workersApi.list>["workers"][number];

/**
 * A worker that has not polled for this long no longer serves its pool: the server's default
 * (SKEIN_WORKER_STALE_MS in server/services/waiting-reasons.ts), so the view and "why is it waiting" agree.
 */
export const WORKER_STALE_MS = 30_000;

export type DeploymentNode =
  | { kind: "deployment"; deployment: DeploymentRecord; deploymentId: string }
  | { kind: "schedule"; deployment: DeploymentRecord; schedule: Schedule; index: number }
  | { kind: "no-worker"; deployment: DeploymentRecord; workPoolName: string; lastPoll?: WorkerRecord }
  | { kind: "message"; text: string; error: boolean };

export const DeploymentCommands = {
  refresh: "skein.deployments.refresh",
  pause: "skein.pauseDeployment",
  resume: "skein.resumeDeployment",
  pauseSchedule: "skein.pauseDeploymentSchedule",
  resumeSchedule: "skein.resumeDeploymentSchedule",
  run: "skein.runDeployment",
  runWithParameters: "skein.runDeploymentWithParameters",
  startWorker: "skein.startWorker",
} as const;

/** Each pool's most recent poll, from the workers list. */
export function latestPolls(workers: WorkerRecord[]): Map<string, WorkerRecord> {
  const latest = new Map<string, WorkerRecord>();
  for (const worker of workers) {
    const known = latest.get(worker.workPoolName);
    if (!known || Date.parse(worker.lastPollAt) > Date.parse(known.lastPollAt)) latest.set(worker.workPoolName, worker);
  }
  return latest;
}

/** Whether a worker polled the pool within WORKER_STALE_MS of `now`. */
export function isServed(lastPoll: WorkerRecord | undefined, now: Date): boolean {
  return lastPoll !== undefined && now.getTime() - Date.parse(lastPoll.lastPollAt) <= WORKER_STALE_MS;
}

export function describeSchedule(schedule: Schedule): string {
  const what =
    schedule.cron !== undefined
      ? `cron ${schedule.cron}`
      : schedule.interval !== undefined
        ? `every ${formatInterval(schedule.interval)}`
        : `rrule ${schedule.rrule}`;
  const zoned = schedule.timezone ? `${what} (${schedule.timezone})` : what;
  return schedule.slug ? `${schedule.slug} · ${zoned}` : zoned;
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

/**
 * The soonest next time of the deployment's active schedules; undefined when paused or unscheduled. Intervals count
 * from each schedule's anchorDate, else from the deployment's creation, as the scheduler counts them.
 */
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
  /** Each pool's latest poll, read with the deployments. */
  private polls = new Map<string, WorkerRecord>();

  constructor(private readonly deps: { vscode: typeof vscodeApi; source: RunSource; now?: () => Date }) {
    this.changeEmitter = new deps.vscode.EventEmitter();
    this.onDidChangeTreeData = this.changeEmitter.event;
  }

  reload(): void {
    this.changeEmitter.fire(undefined);
  }

  async getChildren(node?: DeploymentNode): Promise<DeploymentNode[]> {
    if (node?.kind === "deployment") {
      const { deployment } = node;
      const schedules: DeploymentNode[] = deployment.schedules.map((schedule, index) => ({
        kind: "schedule",
        deployment,
        schedule,
        index,
      }));
      const pool = deployment.workPoolName;
      if (!pool || isServed(this.polls.get(pool), this.now())) return schedules;
      return [{ kind: "no-worker", deployment, workPoolName: pool, lastPoll: this.polls.get(pool) }, ...schedules];
    }
    if (node) return [];
    try {
      const [{ deployments }, { workers }] = await this.deps.source.withClient((client) =>
        Promise.all([
          client.call(deploymentsApi.list, {}, { retry: BRIEF_RETRY }),
          client.call(workersApi.list, {}, { retry: BRIEF_RETRY }),
        ]),
      );
      this.polls = latestPolls(workers);
      if (deployments.length === 0) return [{ kind: "message", text: "No deployments yet.", error: false }];
      return deployments.map((deployment) => ({ kind: "deployment", deployment, deploymentId: deployment.id }));
    } catch (error) {
      return [{ kind: "message", text: (error as Error).message, error: true }];
    }
  }

  getTreeItem(node: DeploymentNode): vscodeApi.TreeItem {
    const { vscode } = this.deps;
    const now = this.now();
    if (node.kind === "message") {
      const item = new vscode.TreeItem(node.text, vscode.TreeItemCollapsibleState.None);
      item.iconPath = new vscode.ThemeIcon(node.error ? "warning" : "info");
      return item;
    }
    if (node.kind === "no-worker") return noWorkerItem(vscode, node);
    if (node.kind === "schedule") {
      const item = new vscode.TreeItem(describeSchedule(node.schedule), vscode.TreeItemCollapsibleState.None);
      item.id = `schedule:${node.deployment.id}:${node.index}`;
      item.iconPath = new vscode.ThemeIcon(node.schedule.active ? "calendar" : "circle-slash");
      const next = node.schedule.active
        ? nextScheduleTime(node.schedule, now, new Date(node.deployment.createdAt))
        : undefined;
      item.description = node.schedule.active ? (next ? `next ${next.toLocaleString()}` : "never again") : "paused";
      // The menus offer Pause Schedule or Resume Schedule by this (package.json view/item/context).
      item.contextValue = node.schedule.active ? "schedule.active" : "schedule.paused";
      const name = scheduleRef(node.schedule, node.index);
      item.tooltip = `Schedule ${node.schedule.slug ? `'${name}'` : name} of ${node.deployment.flowName}/${node.deployment.name}${node.schedule.anchorDate ? `\nIntervals count from ${node.schedule.anchorDate}` : ""}\n${node.schedule.active ? "Pausing it deletes the runs it made that no worker has claimed." : "Paused: it makes no runs."}`;
      item.accessibilityInformation = {
        label: `${describeSchedule(node.schedule)} schedule, ${node.schedule.active ? "active" : "paused"}`,
      };
      return item;
    }
    const { deployment } = node;
    const pool = deployment.workPoolName;
    const served = pool ? isServed(this.polls.get(pool), now) : true;
    // A pool nobody serves is the first thing to see: its row shows open.
    const state =
      pool && !served
        ? vscode.TreeItemCollapsibleState.Expanded
        : deployment.schedules.length > 0
          ? vscode.TreeItemCollapsibleState.Collapsed
          : vscode.TreeItemCollapsibleState.None;
    const item = new vscode.TreeItem(`${deployment.flowName}/${deployment.name}`, state);
    item.id = `deployment:${deployment.id}`;
    item.iconPath = new vscode.ThemeIcon(deployment.paused ? "debug-pause" : "rocket");
    const next = nextRunOf(deployment, now);
    const when = deployment.paused ? "paused" : next ? `next ${next.toLocaleString()}` : "not scheduled";
    const where = pool ? `pool ${pool}${served ? "" : " (no worker)"}` : "no pool";
    item.description = `${when} · ${where}`;
    const poll = pool ? this.polls.get(pool) : undefined;
    const workerLine = !pool
      ? "No work pool: runs start only with `skein deployment run`."
      : served
        ? `Worker '${poll?.name}' polls pool '${pool}' (last at ${poll?.lastPollAt}).`
        : `No worker is polling pool '${pool}'${poll ? ` (last poll ${poll.lastPollAt})` : ""}.`;
    item.tooltip = `${deployment.flowName}/${deployment.name}\n${deployment.entrypoint}\n${workerLine}${deployment.description ? `\n\n${deployment.description}` : ""}`;
    item.contextValue = deployment.paused ? "deployment.paused" : "deployment.active";
    item.accessibilityInformation = {
      label: `${deployment.flowName}/${deployment.name} deployment, ${deployment.paused ? "paused" : "active"}${served ? "" : ", no worker"}`,
    };
    return item;
  }

  /** Pauses or resumes a deployment (its schedules stop or start creating runs). */
  async setPaused(deploymentId: string, paused: boolean): Promise<DeploymentRecord> {
    const updated = await this.deps.source.withClient((client) =>
      client.call(deploymentsApi.update, { params: { id: deploymentId }, body: { paused } }, { retry: BRIEF_RETRY }),
    );
    this.reload();
    return updated.deployment;
  }

  /** Pauses or resumes one schedule (named as `scheduleRef` names it); a pause deletes the runs it made not claimed. */
  async setScheduleActive(deploymentId: string, schedule: string, active: boolean): Promise<ScheduleChange> {
    const changed = await this.deps.source.withClient((client) =>
      client.call(
        deploymentsApi.setScheduleActive,
        { params: { id: deploymentId, schedule }, body: { active } },
        { retry: BRIEF_RETRY },
      ),
    );
    this.reload();
    return changed;
  }

  dispose(): void {
    this.changeEmitter.dispose();
  }

  private now(): Date {
    return this.deps.now?.() ?? new Date();
  }
}

function noWorkerItem(
  vscode: typeof vscodeApi,
  node: Extract<DeploymentNode, { kind: "no-worker" }>,
): vscodeApi.TreeItem {
  const label = `No worker is polling pool ${node.workPoolName}`;
  const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.None);
  item.id = `no-worker:${node.deployment.id}`;
  item.iconPath = new vscode.ThemeIcon("warning", new vscode.ThemeColor("list.warningForeground"));
  item.description = node.lastPoll
    ? `last poll ${new Date(node.lastPoll.lastPollAt).toLocaleString()}`
    : "no worker has ever polled it";
  item.tooltip = `Runs of ${node.deployment.flowName}/${node.deployment.name} wait until a worker polls work pool '${node.workPoolName}'. Start one here, or run \`skein worker start --pool ${node.workPoolName}\` in a terminal.`;
  item.contextValue = "pool.noWorker";
  item.accessibilityInformation = { label: `${label}, ${item.description}` };
  return item;
}
