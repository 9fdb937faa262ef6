// The latest run of every task, for the inline states in the editor: folded from the run events of every flow run of
// the SKEIN_HOME (whoever started it), keyed by where the task is defined. A task mapped over many inputs has many
// task runs in one flow run; they are kept together so the editor can say "98 Completed, 2 Failed".
import type { LogLevel, RunEvent } from "../../protocol/run-events.ts";
import { isTerminal, type State } from "../../protocol/states.ts";

/** A task as its runs name it: the file it is defined in (relative to its project, `/`-separated) and its name. */
export interface TaskIdentity {
  file: string;
  name: string;
}

export interface TaskRunActivity {
  taskRunId: string;
  name: string;
  state: State;
  /** When it first ran (ISO), and when it reached a final state. */
  startedAt?: string;
  endedAt?: string;
}

export interface RecentLog {
  /** The log event's id: a line both read from the store and streamed live is kept once. */
  id: string;
  level: LogLevel;
  message: string;
  timestamp: string;
  taskRunName: string;
}

/** The task runs of one task in the flow run that ran it last. */
export interface TaskActivity {
  task: TaskIdentity;
  flowRunId: string;
  runs: Map<string, TaskRunActivity>;
  /** The last lines its task runs logged, oldest first (at most RECENT_LOGS). */
  recentLogs: RecentLog[];
}

export const RECENT_LOGS = 20;

/** The identity a task-run-created event gives its task, or undefined when the engine could not see the site. */
export function taskIdentityOf(event: Extract<RunEvent, { kind: "task-run-created" }>): TaskIdentity | undefined {
  return event.source ? { file: event.source.file, name: event.taskName } : undefined;
}

const keyOf = (task: TaskIdentity): string => `${task.file}\0${task.name}`;

/** Whether `task` is the one defined in `file` (absolute, or relative to its project) under `name`. */
export function isTaskAt(task: TaskIdentity, file: string, name: string): boolean {
  if (task.name !== name) return false;
  const normalized = file.replaceAll("\\", "/");
  return normalized === task.file || normalized.endsWith(`/${task.file}`);
}

export class TaskActivityTracker {
  private readonly byTask = new Map<string, TaskActivity>();
  /** Only task runs of each task's latest flow run, so the map stays as small as the latest runs. */
  private readonly taskOfRun = new Map<string, TaskActivity>();

  /** Folds events in order; returns the tasks whose activity changed. */
  apply(events: Iterable<RunEvent>): TaskActivity[] {
    const changed = new Set<TaskActivity>();
    for (const event of events) {
      const activity = this.applyOne(event);
      if (activity) changed.add(activity);
    }
    return [...changed];
  }

  /** The latest activity of the task defined in `file` (absolute or relative) under `name`. */
  find(file: string, name: string): TaskActivity | undefined {
    for (const activity of this.byTask.values()) if (isTaskAt(activity.task, file, name)) return activity;
    return undefined;
  }

  /**
   * When a task run loaded from the store (created in its current state) started, from its state history; the live
   * stream's state events say it for runs seen live. Returns its task's activity when that changed.
   */
  applyHistory(taskRunId: string, states: State[]): TaskActivity | undefined {
    const activity = this.taskOfRun.get(taskRunId);
    const run = activity?.runs.get(taskRunId);
    const started = states.find((state) => state.type === "RUNNING")?.timestamp;
    if (!activity || !run || run.startedAt || !started) return undefined;
    run.startedAt = started;
    return activity;
  }

  /** Forgets the activity of a deleted flow run; returns the tasks whose latest run it was (now shown as none). */
  forgetFlowRun(flowRunId: string): TaskActivity[] {
    const forgotten = [...this.byTask.values()].filter((activity) => activity.flowRunId === flowRunId);
    for (const activity of forgotten) {
      this.byTask.delete(keyOf(activity.task));
      for (const id of activity.runs.keys()) this.taskOfRun.delete(id);
    }
    return forgotten;
  }

  all(): IterableIterator<TaskActivity> {
    return this.byTask.values();
  }

  private applyOne(event: RunEvent): TaskActivity | undefined {
    switch (event.kind) {
      case "task-run-created": {
        const task = taskIdentityOf(event);
        if (!task) return undefined;
        let activity = this.byTask.get(keyOf(task));
        if (!activity || activity.flowRunId !== event.flowRunId) {
          if (activity) for (const id of activity.runs.keys()) this.taskOfRun.delete(id);
          activity = { task, flowRunId: event.flowRunId, runs: new Map(), recentLogs: [] };
          this.byTask.set(keyOf(task), activity);
        }
        // A run read from the store is created in its current state, maybe a final one; read while it ran, it may
        // come after newer states streamed live, which it must not undo.
        const known = activity.runs.get(event.taskRunId);
        if (known && known.state.timestamp > event.state.timestamp) return undefined;
        const endedAt = isTerminal(event.state.type) ? event.state.timestamp : known?.endedAt;
        activity.runs.set(event.taskRunId, {
          taskRunId: event.taskRunId,
          name: event.name,
          state: event.state,
          startedAt: known?.startedAt,
          endedAt,
        });
        this.taskOfRun.set(event.taskRunId, activity);
        return activity;
      }
      case "state": {
        const activity = event.runKind === "task" ? this.taskOfRun.get(event.runId) : undefined;
        const run = activity?.runs.get(event.runId);
        // A state older than the one known (streamed late, after the run was read from the store) changes nothing.
        if (!activity || !run || run.state.timestamp > event.state.timestamp) return undefined;
        run.state = event.state;
        if (event.state.type === "RUNNING") run.startedAt ??= event.state.timestamp;
        if (isTerminal(event.state.type)) run.endedAt = event.state.timestamp;
        return activity;
      }
      case "log": {
        const activity = event.taskRunId ? this.taskOfRun.get(event.taskRunId) : undefined;
        const run = activity?.runs.get(event.taskRunId ?? "");
        if (!activity || !run || activity.recentLogs.some((log) => log.id === event.id)) return undefined;
        activity.recentLogs.push({
          id: event.id,
          level: event.level,
          message: event.message,
          timestamp: event.timestamp,
          taskRunName: run.name,
        });
        if (activity.recentLogs.length > RECENT_LOGS) activity.recentLogs.shift();
        return activity;
      }
      default:
        return undefined;
    }
  }
}

/** What the editor shows after a task's line: its state, how long it ran, and its last log line. */
export function summarize(activity: TaskActivity, now = Date.now()): { text: string; stateType: State["type"] } {
  const runs = [...activity.runs.values()];
  const lastLog = activity.recentLogs.at(-1)?.message.split("\n")[0];
  const logPart = lastLog ? ` · ${truncate(lastLog, 80)}` : "";
  if (runs.length === 1) {
    const [run] = runs;
    const duration = durationOf(run, now);
    return { text: `${run.state.name}${duration ? ` ${duration}` : ""}${logPart}`, stateType: run.state.type };
  }
  const counts = new Map<string, number>();
  for (const run of runs) counts.set(run.state.name, (counts.get(run.state.name) ?? 0) + 1);
  const parts = [...counts].sort((a, b) => b[1] - a[1]).map(([name, count]) => `${count} ${name}`);
  return { text: `${runs.length} runs: ${parts.join(", ")}${logPart}`, stateType: worstState(runs) };
}

/** For the colour of a group: any failure shows, then anything still running, else all done. */
function worstState(runs: TaskRunActivity[]): State["type"] {
  const types = new Set(runs.map((run) => run.state.type));
  for (const type of ["CRASHED", "FAILED", "CANCELLED", "RUNNING", "PENDING", "SCHEDULED"] as const) {
    if (types.has(type)) return type;
  }
  return "COMPLETED";
}

function durationOf(run: TaskRunActivity, now: number): string | undefined {
  if (!run.startedAt) return undefined;
  const end = run.endedAt ? Date.parse(run.endedAt) : now;
  return formatDuration(end - Date.parse(run.startedAt));
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} min ${Math.round((ms % 60_000) / 1000)} s`;
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
