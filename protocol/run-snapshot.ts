// What one flow run looks like at a moment: its flow runs (the run and its subflows), task runs with their state
// histories, logs and artifacts, folded from run events. The one reducer of run events, shared by the extension
// (explorer, inline states, run views) and the webview, so both ends agree on what a run is. Plain data only: a
// snapshot crosses postMessage as JSON.
import type { ArtifactType, LogLevel, RunEvent, SourceSite } from "./run-events.ts";
import type { State } from "./states.ts";

export interface SnapshotFlowRun {
  id: string;
  name: string;
  flowName: string;
  parameters: Record<string, unknown>;
  tags: string[];
  parentFlowRunId?: string;
  parentTaskRunId?: string;
  entrypoint?: string;
  createdAt: string;
  state: State;
  /** Every state in order, the current one last. */
  states: State[];
  result?: string;
}

export interface SnapshotTaskRun {
  id: string;
  flowRunId: string;
  name: string;
  /** The task's name (a subflow's task run: its flow name), from the task-run-created event. */
  taskName: string;
  taskKey: string;
  dynamicKey: number;
  upstream: string[];
  tags: string[];
  /** Where the task is defined (from the task-run-created event), for inline states at the definition. */
  source?: SourceSite;
  createdAt: string;
  state: State;
  states: State[];
  result?: string;
}

export interface SnapshotLog {
  id: string;
  flowRunId: string;
  taskRunId?: string;
  level: LogLevel;
  logger: string;
  message: string;
  timestamp: string;
}

export interface SnapshotArtifact {
  id: string;
  flowRunId: string;
  taskRunId?: string;
  key?: string;
  type: ArtifactType;
  description?: string;
  data: unknown;
  createdAt: string;
  updatedAt: string;
}

export interface RunSnapshot {
  /** The flow run the snapshot is about (the first top-level flow run seen, or the one asked for). */
  rootFlowRunId?: string;
  flowRuns: Record<string, SnapshotFlowRun>;
  taskRuns: Record<string, SnapshotTaskRun>;
  /** In the order they were emitted. */
  logs: SnapshotLog[];
  artifacts: Record<string, SnapshotArtifact>;
}

export function emptyRunSnapshot(rootFlowRunId?: string): RunSnapshot {
  return { rootFlowRunId, flowRuns: {}, taskRuns: {}, logs: [], artifacts: {} };
}

/**
 * Folds run events into a snapshot. Events may arrive twice (a stream that resumes, a replay after a reload) and
 * a run's state may arrive before the event that creates it (a live stream joined mid-run): the reducer keeps one
 * copy of each event and holds early states and artifact updates until their run or artifact exists.
 */
export class RunSnapshotReducer {
  readonly snapshot: RunSnapshot;
  private readonly seen = new Set<string>();
  private readonly early = new Map<string, RunEvent[]>();

  constructor(snapshot: RunSnapshot = emptyRunSnapshot()) {
    this.snapshot = snapshot;
  }

  /** Whether an event with this id was applied (or held) already. */
  hasSeen(eventId: string): boolean {
    return this.seen.has(eventId);
  }

  /** Applies events in order; returns the ones that changed the snapshot (new ones). */
  apply(events: Iterable<RunEvent>): RunEvent[] {
    const applied: RunEvent[] = [];
    for (const event of events) {
      if (this.seen.has(event.id)) continue;
      this.seen.add(event.id);
      if (this.applyOne(event)) applied.push(event);
    }
    return applied;
  }

  private applyOne(event: RunEvent): boolean {
    const snapshot = this.snapshot;
    switch (event.kind) {
      case "flow-run-created": {
        if (!event.parentFlowRunId && snapshot.rootFlowRunId === undefined) snapshot.rootFlowRunId = event.flowRunId;
        snapshot.flowRuns[event.flowRunId] = {
          id: event.flowRunId,
          name: event.name,
          flowName: event.flowName,
          parameters: event.parameters,
          tags: event.tags,
          parentFlowRunId: event.parentFlowRunId,
          parentTaskRunId: event.parentTaskRunId,
          entrypoint: event.entrypoint,
          createdAt: event.timestamp,
          state: event.state,
          states: [event.state],
        };
        this.release(event.flowRunId);
        return true;
      }
      case "task-run-created":
        snapshot.taskRuns[event.taskRunId] = {
          id: event.taskRunId,
          flowRunId: event.flowRunId,
          name: event.name,
          taskName: event.taskName,
          taskKey: event.taskKey,
          dynamicKey: event.dynamicKey,
          upstream: event.upstream,
          tags: event.tags,
          source: event.source,
          createdAt: event.timestamp,
          state: event.state,
          states: [event.state],
        };
        this.release(event.taskRunId);
        return true;
      case "state": {
        const run = event.runKind === "flow" ? snapshot.flowRuns[event.runId] : snapshot.taskRuns[event.runId];
        if (!run) return this.hold(event.runId, event);
        run.state = event.state;
        run.states.push(event.state);
        if (event.result !== undefined) run.result = event.result;
        return true;
      }
      case "log":
        snapshot.logs.push({
          id: event.id,
          flowRunId: event.flowRunId,
          taskRunId: event.taskRunId,
          level: event.level,
          logger: event.logger,
          message: event.message,
          timestamp: event.timestamp,
        });
        return true;
      case "artifact":
        snapshot.artifacts[event.artifactId] = {
          id: event.artifactId,
          flowRunId: event.flowRunId,
          taskRunId: event.taskRunId,
          key: event.key,
          type: event.type,
          description: event.description,
          data: event.data,
          createdAt: event.timestamp,
          updatedAt: event.timestamp,
        };
        this.release(event.artifactId);
        return true;
      case "artifact-updated": {
        const artifact = snapshot.artifacts[event.artifactId];
        if (!artifact) return this.hold(event.artifactId, event);
        artifact.data = event.data;
        artifact.updatedAt = event.timestamp;
        return true;
      }
      case "task-run-inputs":
        return false; // kept in the store for reruns and debugging (`skein task-run inputs`), not shown in snapshots
    }
  }

  private hold(id: string, event: RunEvent): boolean {
    const waiting = this.early.get(id) ?? [];
    waiting.push(event);
    this.early.set(id, waiting);
    return false;
  }

  private release(id: string): void {
    const waiting = this.early.get(id);
    if (!waiting) return;
    this.early.delete(id);
    for (const event of waiting) this.applyOne(event);
  }
}

/** The task runs of one flow run, in the order they were created. */
export function taskRunsOf(snapshot: RunSnapshot, flowRunId: string): SnapshotTaskRun[] {
  return Object.values(snapshot.taskRuns).filter((taskRun) => taskRun.flowRunId === flowRunId);
}
