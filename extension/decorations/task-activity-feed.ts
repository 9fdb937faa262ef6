// Keeps the task activity tracker current for runs started anywhere, from the first moment the editor has a use for
// it: a TypeScript editor showing task sites (or a hover on one), or a run started from the editor. Until then it
// neither starts the local server nor reads anything. Then the latest flow runs' task runs and logs are read through
// the connection (again when the live stream cannot resume), every run event of the SKEIN_HOME arrives on the live
// stream, and only for the tasks the editor shows is one task run's state history read (when it started, for its
// duration), not one per task run. A deleted flow run stops being its tasks' latest.
import { BRIEF_RETRY } from "../../client/api-client.ts";
import type { EventFollower } from "../../client/event-stream.ts";
import { flowRunsApi } from "../../protocol/api/flow-runs.ts";
import { logsApi } from "../../protocol/api/logs.ts";
import { taskRunsApi } from "../../protocol/api/task-runs.ts";
import type { RunEvent } from "../../protocol/run-events.ts";
import { logEvents, taskRunEvents } from "../../protocol/stored-run-events.ts";
import type { State } from "../../protocol/states.ts";
import type { SkeinConnection } from "../connection/skein-connection.ts";
import type { TaskActivity, TaskActivityTracker } from "./task-activity.ts";

/** How many of the latest flow runs are read at start: enough to find the last run of every task in a workspace. */
const RECENT_FLOW_RUNS = 20;
const RECENT_LOG_LINES = 50;
/** Deletions come in bursts (`skein flow-run delete --older-than`): the latest runs are read again once after. */
const REREAD_AFTER_DELETION_MS = 200;

/** A task as the editor shows it: the file that declares it (absolute) and its name. */
export interface ShownTask {
  file: string;
  name: string;
}

export interface TaskActivityFeedDeps {
  connection: Pick<SkeinConnection, "withClient" | "follow">;
  tracker: TaskActivityTracker;
  onChange(changed: TaskActivity[]): void;
  onError(message: string): void;
}

export class TaskActivityFeed {
  private follower: EventFollower | undefined;
  /** The latest runs read from the store, once started (a new read after a stream reset replaces it). */
  private loaded: Promise<void> | undefined;
  private readonly shown = new Map<string, ShownTask>();
  /** Task runs whose history was read or is being read: each at most once. */
  private readonly histories = new Set<string>();
  private rereadTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly deps: TaskActivityFeedDeps) {}

  /** Whether it follows the live stream (it starts at the first use, see above). */
  get started(): boolean {
    return this.follower !== undefined;
  }

  /** Follows the live stream and, once it is connected, reads the latest runs; a second call does nothing. */
  start(): void {
    if (this.follower) return;
    // Reading after the stream is connected leaves no gap between what is read and what streams in (a run may be
    // under way: the feed starts as the editor starts one); what both bring is folded once by the tracker.
    let connected = false;
    this.follower = this.deps.connection.follow({
      onEvent: (event) => this.take([event]),
      onConnect: () => {
        if (!connected) void this.loadRecent();
        connected = true;
      },
      onReset: () => void this.loadRecent(),
      onDeleted: (flowRunId) => this.forget(flowRunId),
      onError: (error) => this.deps.onError(`Live run updates stopped: ${error.message}`),
    });
  }

  /** The editor shows these tasks (in visible editors, or a hover): starts the feed, and reads their durations. */
  show(tasks: ShownTask[]): void {
    if (tasks.length === 0) return;
    for (const task of tasks) this.shown.set(`${task.file}\0${task.name}`, task);
    this.start();
    void this.loaded?.then(() => this.readHistories());
  }

  /** After the connection changed (settings, another server): follow and read the new one, if it was started. */
  restart(): void {
    if (!this.follower) return;
    this.dispose();
    this.histories.clear();
    this.start();
  }

  dispose(): void {
    clearTimeout(this.rereadTimer);
    this.rereadTimer = undefined;
    this.follower?.close();
    this.follower = undefined;
    this.loaded = undefined;
  }

  /**
   * A deleted flow run no longer counts as its tasks' latest: they show nothing until the latest runs are read again
   * (once for a burst of deletions), which finds the run before it, if any.
   */
  private forget(flowRunId: string): void {
    const forgotten = this.deps.tracker.forgetFlowRun(flowRunId);
    if (forgotten.length === 0) return;
    this.deps.onChange(forgotten);
    this.rereadTimer ??= setTimeout(() => {
      this.rereadTimer = undefined;
      if (this.follower) void this.loadRecent();
    }, REREAD_AFTER_DELETION_MS);
  }

  private take(events: RunEvent[]): void {
    const changed = this.deps.tracker.apply(events);
    if (changed.length > 0) this.deps.onChange(changed);
  }

  /** Replays the latest flow runs, oldest first, as the events that made them, so later runs win. */
  private loadRecent(): Promise<void> {
    const loading = this.readRecent().then(
      (events) => {
        this.take(events);
        return this.readHistories();
      },
      (error: Error) => this.deps.onError(`Could not read the latest runs: ${error.message}`),
    );
    this.loaded = loading;
    return loading;
  }

  private readRecent(): Promise<RunEvent[]> {
    return this.deps.connection.withClient(async (client) => {
      const { flowRuns } = await client.call(
        flowRunsApi.list,
        { query: { limit: RECENT_FLOW_RUNS, offset: 0 } },
        { retry: BRIEF_RETRY },
      );
      const perRun = await Promise.all(
        flowRuns.reverse().map(async (flowRun) => {
          const [{ taskRuns }, { logs }] = await Promise.all([
            client.call(taskRunsApi.list, { params: { id: flowRun.id } }, { retry: BRIEF_RETRY }),
            client.call(
              logsApi.list,
              { params: { id: flowRun.id }, query: { tail: RECENT_LOG_LINES, limit: 1000, offset: 0 } },
              { retry: BRIEF_RETRY },
            ),
          ]);
          // Each task run in its current state: when it started is read only for the tasks shown (readHistories).
          return [...taskRuns.flatMap((taskRun) => taskRunEvents(taskRun)), ...logEvents(logs)];
        }),
      );
      return perRun.flat();
    });
  }

  /**
   * For each task shown whose latest run was loaded without knowing when it started (a run seen live knows), the
   * state history of that one task run: a task mapped over 1,000 inputs costs one request, not 1,000.
   */
  private async readHistories(): Promise<void> {
    const wanted: string[] = [];
    for (const { file, name } of this.shown.values()) {
      const runs = [...(this.deps.tracker.find(file, name)?.runs.values() ?? [])];
      const latest = runs.at(-1);
      if (latest && !latest.startedAt && !this.histories.has(latest.taskRunId)) wanted.push(latest.taskRunId);
    }
    if (wanted.length === 0) return;
    for (const id of wanted) this.histories.add(id);
    try {
      const histories = await this.deps.connection.withClient((client) =>
        Promise.all(
          wanted.map(async (id) => {
            const { states } = await client.call(flowRunsApi.states, { params: { id } }, { retry: BRIEF_RETRY });
            return { id, states: states as State[] };
          }),
        ),
      );
      const changed = histories.flatMap(({ id, states }) => this.deps.tracker.applyHistory(id, states) ?? []);
      if (changed.length > 0) this.deps.onChange(changed);
    } catch (error) {
      for (const id of wanted) this.histories.delete(id);
      this.deps.onError(`Could not read the task runs' histories: ${(error as Error).message}`);
    }
  }
}
