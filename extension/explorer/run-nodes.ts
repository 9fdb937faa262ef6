// The run explorer's nodes and how each looks: a flow, a flow run (state icon and colour, name, start time and
// duration, the state message in the tooltip), a task run, and the "Load more…" and message rows. The
// `contextValue`s are what package.json's menus match on; run and task nodes carry `flowRunId` (and
// `taskRunId`) so that commands of other parts (skein.openRun, skein.retryRun, ...) take them as arguments.
import type * as vscodeApi from "vscode";
import type { WaitingReason } from "../../protocol/api/workers.ts";
import { STATE_THEME_COLOURS } from "../../protocol/state-colours.ts";
import { isTerminal, type State, type StateType } from "../../protocol/states.ts";
import type { FlowRunRecord, FlowSummary, TaskRunRecord } from "./run-data.ts";

export interface FlowNode {
  kind: "flow";
  flow: FlowSummary;
  /** Loaded runs, newest first; undefined until first expanded. */
  runs?: RunNode[];
  hasMore: boolean;
}

export interface RunNode {
  kind: "run";
  flowRunId: string;
  run: FlowRunRecord;
  /** A subflow run shown under its parent run (it also appears under its own flow, as another node). */
  nested: boolean;
  /** Task runs and subflow runs; undefined until first expanded. */
  children?: (TaskNode | RunNode)[];
  /** Why the run waits, read when it is expanded in a waiting state (see WAITING_STATES), for that state. */
  waiting?: { reason: WaitingReason; stateTimestamp: string };
}

/** The states in which a run waits for something (Late is a Scheduled state): the explorer asks why. */
export const WAITING_STATES: readonly StateType[] = ["SCHEDULED", "PENDING"];

/** The waiting reason that still applies to the run's current state, if one was read. */
export function currentWaiting(node: RunNode): WaitingReason | undefined {
  const waiting = node.waiting;
  return waiting && waiting.stateTimestamp === node.run.state.timestamp && waiting.reason.code !== "not-waiting"
    ? waiting.reason
    : undefined;
}

export interface TaskNode {
  kind: "task";
  flowRunId: string;
  taskRunId: string;
  taskRun: TaskRunRecord;
  subflows: RunNode[];
}

export interface MoreNode {
  kind: "more";
  flow: FlowNode;
}

export interface MessageNode {
  kind: "message";
  text: string;
  error: boolean;
}

export type ExplorerNode = FlowNode | RunNode | TaskNode | MoreNode | MessageNode;

export const LOAD_MORE_COMMAND = "skein.explorer.loadMore";

const STATE_ICONS: Record<StateType, string> = {
  COMPLETED: "pass",
  FAILED: "error",
  CRASHED: "flame",
  CANCELLED: "circle-slash",
  CANCELLING: "loading~spin",
  RUNNING: "sync~spin",
  PENDING: "clock",
  SCHEDULED: "calendar",
  PAUSED: "debug-pause",
};

/** The state's icon, in its colour (protocol/state-colours.ts, as in the run view and inline). */
export function stateIcon(vscode: typeof vscodeApi, state: State): vscodeApi.ThemeIcon {
  return new vscode.ThemeIcon(STATE_ICONS[state.type], new vscode.ThemeColor(STATE_THEME_COLOURS[state.type].id));
}

/** "1.2s", "3m 04s", "2h 05m". */
export function formatDuration(milliseconds: number): string {
  const ms = Math.max(0, milliseconds);
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)}s`;
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 60) return `${minutes}m ${String(Math.floor((ms % 60_000) / 1000)).padStart(2, "0")}s`;
  return `${Math.floor(minutes / 60)}h ${String(minutes % 60).padStart(2, "0")}m`;
}

/** Start time, and how long the run took (or has been running, up to `now`). */
export function runTiming(createdAt: string, state: Pick<State, "type" | "timestamp">, now: number): string {
  const started = new Date(createdAt);
  const end = isTerminal(state.type) ? Date.parse(state.timestamp) : now;
  const today = new Date(now).toDateString() === started.toDateString();
  const when = today ? started.toLocaleTimeString() : started.toLocaleString();
  return `${when} · ${formatDuration(end - started.getTime())}`;
}

/** What menus match on: `run.unfinished`, `run.finished.failed`, `run.finished.completed`, `task.finished.…`. */
export function contextValueOf(kind: "run" | "task", state: State): string {
  if (!isTerminal(state.type)) return `${kind}.unfinished`;
  return `${kind}.finished.${state.type === "COMPLETED" ? "completed" : "failed"}`;
}

function tooltipOf(
  vscode: typeof vscodeApi,
  title: string,
  id: string,
  state: State,
  waiting?: WaitingReason,
): vscodeApi.MarkdownString {
  const tooltip = new vscode.MarkdownString(undefined, true);
  tooltip.appendMarkdown(`**${escapeMarkdown(title)}** — $(${STATE_ICONS[state.type]}) ${state.name}\n\n`);
  if (state.message) tooltip.appendText(`${state.message}\n\n`);
  if (waiting) tooltip.appendText(`Waiting: ${waiting.message}\n\n`);
  tooltip.appendMarkdown(`\`${id}\``);
  return tooltip;
}

function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, "\\$&");
}

/** A waiting reason in a few words, for a row's description (the full sentence is in the tooltip and first child). */
const WAITING_WORDS: Record<WaitingReason["code"], string> = {
  "scheduled-later": "scheduled for later",
  late: "late",
  "no-worker": "waits for a worker",
  "pool-paused": "pool paused",
  "queue-paused": "queue paused",
  "deployment-paused": "deployment paused",
  "concurrency-full": "concurrency slots full",
  "claimed-starting": "a worker is starting it",
  "awaiting-retry": "awaiting retry",
  "unknown-pool": "pool does not exist",
  "not-waiting": "",
};

export function treeItemOf(vscode: typeof vscodeApi, node: ExplorerNode, now = Date.now()): vscodeApi.TreeItem {
  const { TreeItem, TreeItemCollapsibleState: Collapsible } = vscode;
  switch (node.kind) {
    case "flow": {
      const item = new TreeItem(node.flow.name, Collapsible.Collapsed);
      item.id = `flow:${node.flow.name}`;
      item.iconPath = new vscode.ThemeIcon("symbol-event");
      item.description = `${node.flow.runCount} run${node.flow.runCount === 1 ? "" : "s"}`;
      item.contextValue = "flow";
      item.accessibilityInformation = { label: `${node.flow.name} flow, ${item.description}` };
      return item;
    }
    case "run": {
      const { run } = node;
      const item = new TreeItem(run.name, Collapsible.Collapsed);
      item.id = `${node.nested ? "subflow-run" : "run"}:${run.id}`;
      item.iconPath = stateIcon(vscode, run.state);
      const waiting = currentWaiting(node);
      item.description = `${run.parentFlowRunId ? `${run.flowName} · ` : ""}${runTiming(run.createdAt, run.state, now)}${waiting ? ` · ${WAITING_WORDS[waiting.code]}` : ""}`;
      item.tooltip = tooltipOf(vscode, `${run.flowName} / ${run.name}`, run.id, run.state, waiting);
      item.contextValue = contextValueOf("run", run.state);
      item.accessibilityInformation = { label: `${run.name}, ${run.state.name}` };
      return item;
    }
    case "task": {
      const { taskRun } = node;
      const item = new TreeItem(taskRun.name, node.subflows.length > 0 ? Collapsible.Collapsed : Collapsible.None);
      item.id = `task:${taskRun.id}`;
      item.iconPath = stateIcon(vscode, taskRun.state);
      item.description = runTiming(taskRun.createdAt, taskRun.state, now);
      item.tooltip = tooltipOf(vscode, taskRun.name, taskRun.id, taskRun.state);
      item.contextValue = contextValueOf("task", taskRun.state);
      item.accessibilityInformation = { label: `${taskRun.name} task, ${taskRun.state.name}` };
      return item;
    }
    case "more": {
      const item = new TreeItem("Load more…", Collapsible.None);
      item.id = `more:${node.flow.flow.name}:${node.flow.runs?.length ?? 0}`;
      item.iconPath = new vscode.ThemeIcon("ellipsis");
      item.command = { command: LOAD_MORE_COMMAND, title: "Load more runs", arguments: [node] };
      item.contextValue = "more";
      return item;
    }
    case "message": {
      const item = new TreeItem(node.text, Collapsible.None);
      item.iconPath = new vscode.ThemeIcon(node.error ? "warning" : "info");
      item.tooltip = node.text;
      item.contextValue = "message";
      return item;
    }
  }
}
