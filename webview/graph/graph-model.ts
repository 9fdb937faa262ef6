// What the task graph shows of a run snapshot: the visible nodes (task runs, mapped-task groups, subflows), the
// edges between them, and the frames drawn around expanded groups and subflows. Rebuilt only when the graph's
// structure changes (a new task or flow run, a group or subflow opened or closed); a state change only recolours
// the nodes it touches, so 1,000 state changes a second never relayout. Pure: no DOM, testable in Node.
import type { RunSnapshot, SnapshotTaskRun } from "../../protocol/run-snapshot.ts";
import type { StateType } from "../../protocol/states.ts";
import { STATE_INDEX, STATE_ORDER } from "./state-palette.ts";

export type NodeKind = "task" | "group" | "subflow";

export interface GraphNode {
  /** Stable across rebuilds: a task run id, or `group:<flowRunId>:<taskKey>`. */
  key: string;
  kind: NodeKind;
  label: string;
  /** The task run a task or subflow node stands for. */
  taskRun?: SnapshotTaskRun;
  /** A group's task runs (the calls of one mapped task in one flow run). */
  members?: SnapshotTaskRun[];
  /** Node count per state (STATE_ORDER index), for groups. */
  counts?: Int32Array;
  stateIndex: number;
  /** Groups and subflows: whether their inside is shown. */
  expanded?: boolean;
}

export interface GraphFrame {
  key: string;
  label: string;
  /** Nodes drawn inside the frame (its own header node first, for subflows). */
  nodes: number[];
}

/** One task run the model watches for state changes, and the node that shows it. */
interface Tracked {
  run: SnapshotTaskRun;
  node: number;
  seenStates: number;
  stateIndex: number;
}

export type SyncResult = "structure" | "states" | "none";

/** When several counts are non-zero, the state a group shows: what most needs attention first. */
const GROUP_PRIORITY: readonly StateType[] = [
  "FAILED",
  "CRASHED",
  "RUNNING",
  "CANCELLING",
  "PAUSED",
  "SCHEDULED",
  "PENDING",
  "CANCELLED",
  "COMPLETED",
];
const GROUP_PRIORITY_INDEX = GROUP_PRIORITY.map((type) => STATE_INDEX.get(type)!);

/** One build of the visible graph; a rebuild makes a new one, so a layout always matches the graph it was for. */
export interface GraphStructure {
  nodes: GraphNode[];
  edges: Int32Array;
  frames: GraphFrame[];
}

export class GraphModel implements GraphStructure {
  nodes: GraphNode[] = [];
  /** [from, to, ...] node indexes. */
  edges = new Int32Array(0);
  frames: GraphFrame[] = [];
  /** Latest timestamp seen in the snapshot: "now" for runs still going, so the timeline is reproducible. */
  nowMs = 0;
  /** Nodes whose colour (stateIndex) the last sync changed, for the renderer to repaint just those. */
  recoloured: number[] = [];
  private tracked: Tracked[] = [];
  private representative = new Map<string, number>();
  private taskRunCount = -1;
  private flowRunCount = -1;
  /** Subflow task runs the user closed (subflows start open). */
  private readonly collapsedSubflows = new Set<string>();
  /** Group keys the user opened (groups start closed). */
  private readonly expandedGroups = new Set<string>();

  /** Brings the model up to date with the (mutated) snapshot; says what changed. */
  sync(snapshot: RunSnapshot): SyncResult {
    let taskRuns = 0;
    for (const _ in snapshot.taskRuns) taskRuns++;
    const flowRuns = Object.keys(snapshot.flowRuns).length;
    if (taskRuns !== this.taskRunCount || flowRuns !== this.flowRunCount) {
      this.taskRunCount = taskRuns;
      this.flowRunCount = flowRuns;
      this.rebuild(snapshot);
      return "structure";
    }
    return this.recolour() ? "states" : "none";
  }

  /** The current build (its arrays are replaced, never changed, by a rebuild). */
  structure(): GraphStructure {
    return { nodes: this.nodes, edges: this.edges, frames: this.frames };
  }

  /** Opens or closes a group or subflow node; true when the structure changed. */
  toggle(key: string, snapshot: RunSnapshot): boolean {
    const node = this.nodes.find((candidate) => candidate.key === key);
    if (!node) return false;
    if (node.kind === "group") {
      if (!this.expandedGroups.delete(node.key)) this.expandedGroups.add(node.key);
    } else if (node.kind === "subflow") {
      if (!this.collapsedSubflows.delete(node.key)) this.collapsedSubflows.add(node.key);
    } else return false;
    this.rebuild(snapshot);
    return true;
  }

  /** The visible node that shows a task run (itself, or the closed group or subflow it is inside). */
  nodeOf(taskRunId: string): number | undefined {
    return this.representative.get(taskRunId);
  }

  /** Nodes whose task runs' names contain `text` (case-insensitive). */
  search(text: string): number[] {
    const needle = text.trim().toLowerCase();
    if (!needle) return [];
    const found = new Set<number>();
    for (const { run, node } of this.tracked) if (run.name.toLowerCase().includes(needle)) found.add(node);
    for (let i = 0; i < this.nodes.length; i++) if (this.nodes[i].label.toLowerCase().includes(needle)) found.add(i);
    return [...found].sort((a, b) => a - b);
  }

  /** Each node's time span in ms (first state to last, or to `nowMs` while still going), for the timeline. */
  timeSpans(): { start: Float64Array; end: Float64Array } {
    const start = new Float64Array(this.nodes.length).fill(Number.POSITIVE_INFINITY);
    const end = new Float64Array(this.nodes.length).fill(Number.NEGATIVE_INFINITY);
    for (let i = 0; i < this.nodes.length; i++) {
      const node = this.nodes[i];
      for (const run of node.members ?? (node.taskRun ? [node.taskRun] : [])) {
        const [first, last] = spanOf(run, this.nowMs);
        start[i] = Math.min(start[i], first);
        end[i] = Math.max(end[i], last);
      }
    }
    return { start, end };
  }

  private recolour(): boolean {
    let changed = false;
    this.recoloured = [];
    for (const entry of this.tracked) {
      const run = entry.run;
      if (run.states.length === entry.seenStates) continue;
      entry.seenStates = run.states.length;
      this.nowMs = Math.max(this.nowMs, Date.parse(run.state.timestamp) || 0);
      const stateIndex = STATE_INDEX.get(run.state.type) ?? 0;
      if (stateIndex === entry.stateIndex) continue;
      const node = this.nodes[entry.node];
      const shown = node.stateIndex;
      if (node.counts) {
        node.counts[entry.stateIndex]--;
        node.counts[stateIndex]++;
        node.stateIndex = groupState(node.counts);
      } else if (node.taskRun === run) node.stateIndex = stateIndex;
      if (node.stateIndex !== shown) this.recoloured.push(entry.node);
      entry.stateIndex = stateIndex;
      changed = true;
    }
    return changed;
  }

  private rebuild(snapshot: RunSnapshot): void {
    const byFlowRun = new Map<string, SnapshotTaskRun[]>();
    let nowMs = 0;
    for (const id in snapshot.taskRuns) {
      const run = snapshot.taskRuns[id];
      const list = byFlowRun.get(run.flowRunId);
      if (list) list.push(run);
      else byFlowRun.set(run.flowRunId, [run]);
      nowMs = Math.max(nowMs, Date.parse(run.state.timestamp) || 0);
    }
    this.nowMs = Math.max(this.nowMs, nowMs);
    const childFlowOf = new Map<string, string>();
    for (const flowRun of Object.values(snapshot.flowRuns))
      if (flowRun.parentTaskRunId) childFlowOf.set(flowRun.parentTaskRunId, flowRun.id);

    const nodes: GraphNode[] = [];
    const frames: GraphFrame[] = [];
    const tracked: Tracked[] = [];
    const representative = new Map<string, number>();
    /** Edges from a subflow's node to the first tasks inside it. */
    const containment: number[] = [];

    const addNode = (node: GraphNode, frame?: GraphFrame) => {
      nodes.push(node);
      frame?.nodes.push(nodes.length - 1);
      return nodes.length - 1;
    };
    const track = (run: SnapshotTaskRun, node: number) => {
      representative.set(run.id, node);
      tracked.push({ run, node, seenStates: run.states.length, stateIndex: stateIndexOf(run) });
    };
    /** Every task run inside a closed subflow is shown by the subflow's node. */
    const hideInside = (flowRunId: string, node: number) => {
      for (const run of byFlowRun.get(flowRunId) ?? []) {
        track(run, node);
        const child = childFlowOf.get(run.id);
        if (child) hideInside(child, node);
      }
    };
    const addRun = (run: SnapshotTaskRun, frame?: GraphFrame): number => {
      const child = childFlowOf.get(run.id);
      if (!child) {
        const node = addNode({ key: run.id, kind: "task", label: run.name, taskRun: run, stateIndex: 0 }, frame);
        track(run, node);
        return node;
      }
      const expanded = !this.collapsedSubflows.has(run.id);
      const flowName = snapshot.flowRuns[child]?.flowName ?? run.name;
      const node = addNode(
        { key: run.id, kind: "subflow", label: `${flowName} (subflow)`, taskRun: run, stateIndex: 0, expanded },
        frame,
      );
      track(run, node);
      if (!expanded) hideInside(child, node);
      else {
        const inner: GraphFrame = { key: run.id, label: snapshot.flowRuns[child]?.name ?? flowName, nodes: [node] };
        frames.push(inner);
        addFlowRun(child, inner);
        for (const inside of inner.nodes) if (inside !== node) containment.push(node, inside);
        // An outer frame surrounds everything inside the frames it holds.
        frame?.nodes.push(...inner.nodes.slice(1));
      }
      return node;
    };
    const addFlowRun = (flowRunId: string, frame?: GraphFrame) => {
      const byTask = new Map<string, SnapshotTaskRun[]>();
      for (const run of byFlowRun.get(flowRunId) ?? []) {
        const calls = byTask.get(run.taskKey);
        if (calls) calls.push(run);
        else byTask.set(run.taskKey, [run]);
      }
      for (const [taskKey, calls] of byTask) {
        if (calls.length === 1) {
          addRun(calls[0], frame);
          continue;
        }
        const key = `group:${flowRunId}:${taskKey}`;
        const label = `${calls[0].taskName} ×${calls.length}`;
        if (this.expandedGroups.has(key)) {
          const group: GraphFrame = { key, label, nodes: [] };
          frames.push(group);
          for (const run of calls) addRun(run, group);
          frame?.nodes.push(...group.nodes);
          continue;
        }
        const counts = new Int32Array(STATE_ORDER.length);
        const node = addNode({ key, kind: "group", label, members: calls, counts, stateIndex: 0 }, frame);
        for (const run of calls) {
          counts[stateIndexOf(run)]++;
          track(run, node);
          const child = childFlowOf.get(run.id);
          if (child) hideInside(child, node);
        }
        nodes[node].stateIndex = groupState(counts);
      }
    };

    const root = snapshot.rootFlowRunId ?? Object.values(snapshot.flowRuns).find((f) => !f.parentFlowRunId)?.id;
    if (root) addFlowRun(root);
    for (const node of nodes) if (node.taskRun) node.stateIndex = stateIndexOf(node.taskRun);

    const seen = new Set<number>();
    const edges: number[] = [];
    const addEdge = (from: number, to: number) => {
      const id = from * nodes.length + to;
      if (from === to || seen.has(id)) return;
      seen.add(id);
      edges.push(from, to);
    };
    for (const { run, node } of tracked)
      for (const upstream of run.upstream) {
        const from = representative.get(upstream);
        if (from !== undefined) addEdge(from, node);
      }
    // A subflow's node leads to the tasks of its own flow run that wait for nothing else inside it.
    for (let i = 0; i < containment.length; i += 2) {
      const subflow = nodes[containment[i]].taskRun!;
      const inside = nodes[containment[i + 1]];
      const run = inside.taskRun ?? inside.members?.[0];
      if (run && run.flowRunId === childFlowOf.get(subflow.id) && !run.upstream.some((id) => representative.has(id)))
        addEdge(containment[i], containment[i + 1]);
    }

    this.nodes = nodes;
    this.recoloured = [];
    this.frames = frames;
    this.tracked = tracked;
    this.representative = representative;
    this.edges = Int32Array.from(edges);
  }
}

function stateIndexOf(run: SnapshotTaskRun): number {
  return STATE_INDEX.get(run.state.type) ?? 0;
}

function groupState(counts: Int32Array): number {
  for (const index of GROUP_PRIORITY_INDEX) if (counts[index] > 0) return index;
  return GROUP_PRIORITY_INDEX[GROUP_PRIORITY_INDEX.length - 1];
}

function spanOf(run: SnapshotTaskRun, nowMs: number): [number, number] {
  const first = Date.parse(run.states[0]?.timestamp ?? run.createdAt) || nowMs;
  const terminal = ["COMPLETED", "FAILED", "CANCELLED", "CRASHED"].includes(run.state.type);
  const last = terminal ? Date.parse(run.state.timestamp) || first : Math.max(nowMs, first);
  return [first, last];
}
