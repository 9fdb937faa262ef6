// The run explorer's tree: flows → their runs (paged, newest first) → task runs and subflow runs, read through the
// editor's SkeinConnection and kept live from the server's all-runs event stream. An event updates only the nodes
// it touches, and those changes reach VS Code in one debounced batch, so a flow logging thousands of lines or a
// map of thousands of tasks does not redraw the tree per event. A run deleted anywhere (the Delete Run command, a
// terminal, a deployment pause sweeping its scheduled runs) is announced on the stream and leaves the tree. The
// stream's `reset` (the server could not resume) reloads everything.
import type * as vscodeApi from "vscode";
import type { ApiClient } from "../../client/api-client.ts";
import type { EventFollower, FollowOptions } from "../../client/event-stream.ts";
import { workersApi } from "../../protocol/api/workers.ts";
import type { RunEvent } from "../../protocol/run-events.ts";
import { isTerminal } from "../../protocol/states.ts";
import { type FlowRunRecord, listFlows, listRunChildren, listRunsPage, NO_FILTER, type RunFilter } from "./run-data.ts";
import {
  type ExplorerNode,
  type FlowNode,
  type MoreNode,
  type RunNode,
  type TaskNode,
  currentWaiting,
  treeItemOf,
  WAITING_STATES,
} from "./run-nodes.ts";

/** What the tree needs of the connection (SkeinConnection has it). */
export interface RunSource {
  withClient<T>(use: (client: ApiClient) => Promise<T>): Promise<T>;
  follow(options: FollowOptions): EventFollower;
}

export interface RunTreeDeps {
  vscode: typeof vscodeApi;
  source: RunSource;
  /** How long changes gather before the tree is told (ms). */
  debounceMs?: number;
  now?: () => number;
}

type Change = ExplorerNode | ExplorerNode[] | undefined;

export class RunTreeModel implements vscodeApi.TreeDataProvider<ExplorerNode>, vscodeApi.Disposable {
  private readonly changeEmitter: vscodeApi.EventEmitter<Change>;
  readonly onDidChangeTreeData: vscodeApi.Event<Change>;
  private filterValue: RunFilter = NO_FILTER;
  private flows = new Map<string, FlowNode>();
  /** Every node showing a run or a task run, by id (a subflow run has two: under its flow and its parent). */
  private readonly nodesById = new Map<string, Set<RunNode | TaskNode>>();
  private follower: EventFollower | undefined;
  private pending = new Set<ExplorerNode>();
  private pendingRoot = false;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly deps: RunTreeDeps) {
    this.changeEmitter = new deps.vscode.EventEmitter<Change>();
    this.onDidChangeTreeData = this.changeEmitter.event;
  }

  get filter(): RunFilter {
    return this.filterValue;
  }

  setFilter(filter: RunFilter): void {
    this.filterValue = filter;
    this.reload();
  }

  /** Forgets what is loaded and follows the stream anew (settings changed, server restarted, stream reset). */
  reload(): void {
    this.follower?.close();
    this.follower = undefined;
    this.flows = new Map();
    this.nodesById.clear();
    this.pending.clear();
    this.schedule(undefined);
  }

  /** The loaded run nodes of a flow run (for commands that act on a run by id). */
  runNodes(flowRunId: string): RunNode[] {
    return [...(this.nodesById.get(flowRunId) ?? [])].filter((node): node is RunNode => node.kind === "run");
  }

  getTreeItem(node: ExplorerNode): vscodeApi.TreeItem {
    return treeItemOf(this.deps.vscode, node, this.now());
  }

  getParent(): undefined {
    return undefined;
  }

  async getChildren(node?: ExplorerNode): Promise<ExplorerNode[]> {
    try {
      if (!node) return await this.rootChildren();
      if (node.kind === "flow") return await this.flowChildren(node);
      if (node.kind === "run") return await this.runChildren(node);
      if (node.kind === "task") return node.subflows;
      return [];
    } catch (error) {
      return [{ kind: "message", text: (error as Error).message, error: true }];
    }
  }

  /** Appends the next page of a flow's runs. */
  async loadMore(node: MoreNode): Promise<void> {
    const flow = node.flow;
    const loaded = flow.runs ?? [];
    const page = await this.deps.source.withClient((client) =>
      listRunsPage(client, flow.flow.name, this.filterValue, loaded.length),
    );
    const known = new Set(loaded.map((run) => run.flowRunId));
    // A run that arrived live shifts the pages by one: skip what is already shown.
    const fresh = page.runs.filter((run) => !known.has(run.id)).map((run) => this.track(this.runNode(run, false)));
    flow.runs = [...loaded, ...fresh];
    flow.hasMore = page.hasMore;
    this.schedule(flow);
  }

  /** Applies one event from the live stream to the loaded nodes it touches. */
  apply(event: RunEvent): void {
    switch (event.kind) {
      case "flow-run-created":
        this.addRun(runFromEvent(event));
        return;
      case "task-run-created": {
        for (const parent of this.runNodes(event.flowRunId)) {
          if (!parent.children || this.nodesById.has(event.taskRunId)) continue;
          const taskRun = {
            id: event.taskRunId,
            flowRunId: event.flowRunId,
            name: event.name,
            taskName: event.taskName,
            taskKey: event.taskKey,
            dynamicKey: event.dynamicKey,
            upstream: event.upstream,
            tags: event.tags,
            source: event.source ?? null,
            createdAt: event.timestamp,
            state: event.state,
            result: null,
          };
          parent.children.push(this.track(taskNode(taskRun)));
          this.schedule(parent);
        }
        return;
      }
      case "state":
        for (const node of this.nodesById.get(event.runId) ?? []) {
          if (node.kind === "run") node.run = { ...node.run, state: event.state };
          else node.taskRun = { ...node.taskRun, state: event.state };
          this.schedule(node);
        }
        return;
      default:
        // Logs and artifacts change nothing the tree shows.
        return;
    }
  }

  /**
   * Takes a deleted flow run out of the tree: its row under its flow (whose run count drops; a flow left without runs
   * leaves the root) and under a parent run, with everything below them. Its subflow runs stay under their own flows.
   */
  forgetRun(flowRunId: string): void {
    const nodes = this.runNodes(flowRunId);
    let counted = false;
    for (const node of nodes) {
      this.untrack(node);
      if (node.nested) this.detachNested(node);
      else counted = this.detachFromFlow(node) || counted;
    }
    // A run not loaded under its flow (collapsed, on a later page, filtered out) still counted in the flow's row:
    // the root reads the flows again.
    if (!counted) this.schedule(undefined);
  }

  dispose(): void {
    this.follower?.close();
    if (this.timer) clearTimeout(this.timer);
    this.changeEmitter.dispose();
  }

  private now(): number {
    return this.deps.now?.() ?? Date.now();
  }

  private async rootChildren(): Promise<ExplorerNode[]> {
    // Follow before reading, so no run created meanwhile is missed (one seen twice is ignored).
    this.ensureFollowing();
    const flows = await this.deps.source.withClient((client) => listFlows(client, this.filterValue));
    const next = new Map<string, FlowNode>();
    for (const flow of flows) {
      const known = this.flows.get(flow.name);
      if (known) known.flow = flow;
      next.set(flow.name, known ?? { kind: "flow", flow, hasMore: false });
    }
    this.flows = next;
    if (next.size === 0) {
      const filtered = this.filterValue.flowName || this.filterValue.states.length > 0;
      return [{ kind: "message", text: filtered ? "No runs match the filter." : "No runs yet.", error: false }];
    }
    return [...next.values()];
  }

  private async flowChildren(flow: FlowNode): Promise<ExplorerNode[]> {
    if (!flow.runs) {
      const page = await this.deps.source.withClient((client) =>
        listRunsPage(client, flow.flow.name, this.filterValue, 0),
      );
      flow.runs = page.runs.map((run) => this.track(this.runNode(run, false)));
      flow.hasMore = page.hasMore;
    }
    if (flow.runs.length === 0) return [{ kind: "message", text: "No runs match the filter.", error: false }];
    return flow.hasMore ? [...flow.runs, { kind: "more", flow }] : flow.runs;
  }

  private async runChildren(node: RunNode): Promise<ExplorerNode[]> {
    if (!node.children) {
      const children = await this.deps.source.withClient((client) => listRunChildren(client, node.flowRunId));
      const tasks = children.taskRuns.map((taskRun) => {
        const task = this.track(taskNode(taskRun));
        task.subflows = (children.subflowsByTaskRun.get(taskRun.id) ?? []).map((run) =>
          this.track(this.runNode(run, true)),
        );
        return task;
      });
      node.children = [...tasks, ...children.orphanSubflows.map((run) => this.track(this.runNode(run, true)))];
    }
    await this.readWaiting(node);
    const waiting = currentWaiting(node);
    return waiting ? [{ kind: "message", text: waiting.message, error: false }, ...node.children] : node.children;
  }

  /**
   * Why an expanded waiting run waits: one request per run and state (a row's rendering never asks), so a list of
   * a thousand Scheduled runs costs nothing until one is opened.
   */
  private async readWaiting(node: RunNode): Promise<void> {
    const { state } = node.run;
    if (!WAITING_STATES.includes(state.type) || node.waiting?.stateTimestamp === state.timestamp) return;
    let reason: NonNullable<RunNode["waiting"]>["reason"];
    try {
      reason = await this.deps.source.withClient((client) =>
        client.call(workersApi.waiting, { params: { id: node.flowRunId } }),
      );
    } catch {
      // A server without the route (older, remote) or a run deleted meanwhile: the run's children still show.
      return;
    }
    node.waiting = { reason, stateTimestamp: state.timestamp };
    // The row's description shows it too.
    this.schedule(node);
  }

  private addRun(run: FlowRunRecord): void {
    if (this.nodesById.has(run.id)) return;
    const flow = this.flows.get(run.flowName);
    if (!flow) {
      // A flow not shown yet: the root lists it once it is read again.
      if (!this.filterValue.flowName || this.filterValue.flowName === run.flowName) this.schedule(undefined);
    } else {
      flow.flow = { ...flow.flow, runCount: flow.flow.runCount + 1, lastRunAt: run.createdAt };
      if (flow.runs && this.matchesStates(run)) flow.runs.unshift(this.track(this.runNode(run, false)));
      this.schedule(flow);
    }
    if (!run.parentFlowRunId) return;
    for (const parent of this.runNodes(run.parentFlowRunId)) {
      if (!parent.children) continue;
      const task = parent.children.find(
        (child): child is TaskNode => child.kind === "task" && child.taskRunId === run.parentTaskRunId,
      );
      const nested = this.track(this.runNode(run, true));
      if (task) task.subflows.push(nested);
      else parent.children.push(nested);
      this.schedule(task ?? parent);
    }
  }

  /** Whether the run was under a loaded flow, whose count then dropped by one. */
  private detachFromFlow(node: RunNode): boolean {
    const flow = this.flows.get(node.run.flowName);
    if (!flow?.runs?.includes(node)) return false;
    flow.runs = flow.runs.filter((run) => run !== node);
    flow.flow = { ...flow.flow, runCount: flow.flow.runCount - 1 };
    if (flow.flow.runCount > 0) this.schedule(flow);
    else {
      this.flows.delete(flow.flow.name);
      this.schedule(undefined);
    }
    return true;
  }

  /** Takes a subflow run's row from under its parent run (directly, or under the task run that started it). */
  private detachNested(node: RunNode): void {
    const { parentFlowRunId } = node.run;
    for (const parent of parentFlowRunId ? this.runNodes(parentFlowRunId) : []) {
      if (parent.children?.includes(node)) {
        parent.children = parent.children.filter((child) => child !== node);
        this.schedule(parent);
      }
      for (const task of parent.children ?? []) {
        if (task.kind !== "task" || !task.subflows.includes(node)) continue;
        task.subflows = task.subflows.filter((subflow) => subflow !== node);
        this.schedule(task);
      }
    }
  }

  private matchesStates(run: FlowRunRecord): boolean {
    return this.filterValue.states.length === 0 || this.filterValue.states.includes(run.state.type);
  }

  private runNode(run: FlowRunRecord, nested: boolean): RunNode {
    return { kind: "run", flowRunId: run.id, run, nested };
  }

  private track<T extends RunNode | TaskNode>(node: T): T {
    const id = node.kind === "run" ? node.flowRunId : node.taskRunId;
    let nodes = this.nodesById.get(id);
    if (!nodes) this.nodesById.set(id, (nodes = new Set()));
    nodes.add(node);
    return node;
  }

  /** Forgets a node and every node below it (a deleted run's task runs, and its subflows' rows under it). */
  private untrack(node: RunNode | TaskNode): void {
    const id = node.kind === "run" ? node.flowRunId : node.taskRunId;
    const nodes = this.nodesById.get(id);
    nodes?.delete(node);
    if (nodes?.size === 0) this.nodesById.delete(id);
    // VS Code is not told about a row that is gone.
    this.pending.delete(node);
    for (const child of node.kind === "run" ? (node.children ?? []) : node.subflows) this.untrack(child);
  }

  private ensureFollowing(): void {
    if (this.follower) return;
    this.follower = this.deps.source.follow({
      onEvent: (event) => this.apply(event),
      onDeleted: (flowRunId) => this.forgetRun(flowRunId),
      onReset: () => this.reload(),
    });
  }

  /** Gathers changed nodes (undefined: the root) and tells VS Code once per debounce window. */
  private schedule(node: ExplorerNode | undefined): void {
    if (node) this.pending.add(node);
    else this.pendingRoot = true;
    this.timer ??= setTimeout(() => this.flush(), this.deps.debounceMs ?? 100);
  }

  private flush(): void {
    this.timer = undefined;
    if (this.pendingRoot) this.changeEmitter.fire(undefined);
    else if (this.pending.size > 0) this.changeEmitter.fire([...this.pending]);
    this.pendingRoot = false;
    this.pending.clear();
  }
}

function taskNode(taskRun: TaskNode["taskRun"]): TaskNode {
  return { kind: "task", flowRunId: taskRun.flowRunId, taskRunId: taskRun.id, taskRun, subflows: [] };
}

function runFromEvent(event: Extract<RunEvent, { kind: "flow-run-created" }>): FlowRunRecord {
  return {
    id: event.flowRunId,
    name: event.name,
    flowName: event.flowName,
    parameters: event.parameters,
    tags: event.tags,
    parentFlowRunId: event.parentFlowRunId ?? null,
    parentTaskRunId: event.parentTaskRunId ?? null,
    entrypoint: event.entrypoint ?? null,
    pid: event.pid,
    host: event.host ?? null,
    heartbeatAt: event.timestamp,
    createdAt: event.timestamp,
    state: event.state,
    result: null,
    cancelRequestedAt: null,
    // A run the explorer sees being created came from a process: deployment runs are listed by the API.
    deploymentId: null,
    workPoolName: null,
    workQueueName: null,
    expectedStartTime: null,
    workerName: null,
  };
}

/** Whether a run can still change (cancel applies; delete does not). */
export function isUnfinished(run: FlowRunRecord): boolean {
  return !isTerminal(run.state.type);
}
