// Keeps the task activity tracker current for runs started anywhere: the latest flow runs' task runs and logs are
// read through the connection when the editor starts (and when the live stream cannot resume), then every run event
// of the SKEIN_HOME arrives on the live stream.
import { BRIEF_RETRY } from "../../client/api-client.ts";
import type { EventFollower } from "../../client/event-stream.ts";
import type { ResponseOf } from "../../protocol/api/contract.ts";
import { flowRunsApi } from "../../protocol/api/flow-runs.ts";
import { logsApi } from "../../protocol/api/logs.ts";
import { taskRunsApi } from "../../protocol/api/task-runs.ts";
import type { RunEvent } from "../../protocol/run-events.ts";
import type { SkeinConnection } from "../connection/skein-connection.ts";
import type { TaskActivity, TaskActivityTracker } from "./task-activity.ts";

/** How many of the latest flow runs are read at start: enough to find the last run of every task in a workspace. */
const RECENT_FLOW_RUNS = 20;
const RECENT_LOG_LINES = 50;

export interface TaskActivityFeedDeps {
  connection: Pick<SkeinConnection, "withClient" | "follow">;
  tracker: TaskActivityTracker;
  onChange(changed: TaskActivity[]): void;
  onError(message: string): void;
}

export class TaskActivityFeed {
  private follower: EventFollower | undefined;

  constructor(private readonly deps: TaskActivityFeedDeps) {}

  async start(): Promise<void> {
    this.follower = this.deps.connection.follow({
      onEvent: (event) => this.take([event]),
      onReset: () => void this.loadRecent(),
      onError: (error) => this.deps.onError(`Live run updates stopped: ${error.message}`),
    });
    await this.loadRecent();
  }

  /** After the connection changed (settings, another server): follow and read the new one. */
  restart(): Promise<void> {
    this.dispose();
    return this.start();
  }

  dispose(): void {
    this.follower?.close();
    this.follower = undefined;
  }

  private take(events: RunEvent[]): void {
    const changed = this.deps.tracker.apply(events);
    if (changed.length > 0) this.deps.onChange(changed);
  }

  /** Replays the latest flow runs, oldest first, as the events that made them, so later runs win. */
  private async loadRecent(): Promise<void> {
    try {
      const events = await this.deps.connection.withClient(async (client) => {
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
            const started = await Promise.all(
              taskRuns.map(async (taskRun) => {
                const { states } = await client.call(
                  flowRunsApi.states,
                  { params: { id: taskRun.id } },
                  { retry: BRIEF_RETRY },
                );
                return states.find((state) => state.type === "RUNNING")?.timestamp;
              }),
            );
            return recordsAsEvents(taskRuns, started, logs);
          }),
        );
        return perRun.flat();
      });
      this.take(events);
    } catch (error) {
      this.deps.onError(`Could not read the latest runs: ${(error as Error).message}`);
    }
  }
}

type TaskRunRecord = ResponseOf<typeof taskRunsApi.list>["taskRuns"][number];
type LogRecord = ResponseOf<typeof logsApi.list>["logs"][number];

/** Stored records as the events that would have made them (ids prefixed: they never collide with live events). */
function recordsAsEvents(taskRuns: TaskRunRecord[], startedAt: (string | undefined)[], logs: LogRecord[]): RunEvent[] {
  const events: RunEvent[] = [];
  taskRuns.forEach((taskRun, index) => {
    const base = { timestamp: taskRun.createdAt, flowRunId: taskRun.flowRunId };
    events.push({
      ...base,
      kind: "task-run-created",
      id: `stored-created-${taskRun.id}`,
      taskRunId: taskRun.id,
      name: taskRun.name,
      taskName: taskRun.taskName,
      taskKey: taskRun.taskKey,
      dynamicKey: taskRun.dynamicKey,
      upstream: taskRun.upstream,
      tags: taskRun.tags,
      source: taskRun.source ?? undefined,
      state: { type: "PENDING", name: "Pending", timestamp: taskRun.createdAt },
    });
    const started = startedAt[index];
    if (started) {
      events.push({
        ...base,
        kind: "state",
        id: `stored-running-${taskRun.id}`,
        runKind: "task",
        runId: taskRun.id,
        state: { type: "RUNNING", name: "Running", timestamp: started },
      });
    }
    events.push({
      ...base,
      kind: "state",
      id: `stored-state-${taskRun.id}`,
      runKind: "task",
      runId: taskRun.id,
      state: taskRun.state,
    });
  });
  for (const log of logs) {
    events.push({
      kind: "log",
      id: log.id,
      timestamp: log.timestamp,
      flowRunId: log.flowRunId,
      taskRunId: log.taskRunId ?? undefined,
      level: log.level,
      logger: log.logger,
      message: log.message,
    });
  }
  return events;
}
