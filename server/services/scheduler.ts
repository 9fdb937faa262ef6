// The scheduler: for each deployment that is not paused and has a work pool, the next Scheduled runs of each active
// schedule (protocol/schedules.ts), created once per deployment, schedule and fire time (the run's idempotency key),
// with the schedule's parameters and its key (store/schedule-runs.ts, so pausing it deletes them); then Scheduled
// runs a worker has not started within the grace period after their expected start become Late (MarkLate). With
// several servers on one PostgreSQL database exactly one schedules: the leader, which holds an advisory lock on a
// connection of its own (Store.holdSchedulerLeadership); when it dies its lock goes with its connection and another
// server's next tick takes it. A SQLite file has one server anyway.
import type { RunEvent } from "../../protocol/run-events.ts";
import { requireTransition } from "../../protocol/states.ts";
import type { DeploymentRecord, FlowRunRecord, Store } from "../../store/types.ts";
import { createDeploymentRun, DeploymentRunRefused } from "./deployment-runs.ts";
import { nextFireTimes } from "../../protocol/schedules.ts";
import { runScheduleOf, ScheduleChangedError } from "../../store/schedule-runs.ts";

export interface SchedulerOptions {
  /** How often the scheduler looks (SKEIN_SCHEDULER_INTERVAL_MS, default 5 s). */
  intervalMs?: number;
  /** Runs created ahead per schedule (default 3, as Prefect's minimum). */
  runsAhead?: number;
  /** How far ahead runs are created (default 100 days, Prefect's maximum). */
  horizonMs?: number;
  /** After its expected start, how long a run may stay Scheduled before it is Late (SKEIN_LATE_AFTER_MS, 15 s). */
  lateAfterMs?: number;
  now?: () => number;
  announce?: (events: readonly RunEvent[]) => void;
  log?: (line: string) => void;
}

const MAX_SCHEDULED_SCAN = 10_000;

function envMs(name: string): number | undefined {
  const value = Number(process.env[name]);
  return Number.isFinite(value) && value > 0 ? value : undefined;
}

export class Scheduler {
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | undefined;
  private readonly intervalMs: number;
  private readonly runsAhead: number;
  private readonly horizonMs: number;
  private readonly lateAfterMs: number;
  private readonly now: () => number;
  /** Whether this server scheduled on its last tick (for health and tests). */
  leader = false;

  constructor(
    private readonly store: Pick<
      Store,
      "listDeployments" | "createDeploymentRun" | "listFlowRuns" | "appendEvents" | "holdSchedulerLeadership"
    >,
    private readonly options: SchedulerOptions = {},
  ) {
    this.intervalMs = options.intervalMs ?? envMs("SKEIN_SCHEDULER_INTERVAL_MS") ?? 5_000;
    this.runsAhead = options.runsAhead ?? 3;
    this.horizonMs = options.horizonMs ?? 100 * 24 * 3600_000;
    this.lateAfterMs = options.lateAfterMs ?? envMs("SKEIN_LATE_AFTER_MS") ?? 15_000;
    this.now = options.now ?? Date.now;
  }

  start(): void {
    const tick = () => {
      this.tick().catch((error: Error) => this.options.log?.(`scheduler failed: ${error.message}`));
    };
    tick();
    this.timer ??= setInterval(tick, this.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.ticking?.catch(() => undefined);
  }

  /** One pass (concurrent callers share it): when leader, create due runs and mark late ones. */
  tick(): Promise<void> {
    this.ticking ??= this.tickOnce().finally(() => (this.ticking = undefined));
    return this.ticking;
  }

  private async tickOnce(): Promise<void> {
    this.leader = await this.store.holdSchedulerLeadership();
    if (!this.leader) return;
    for (const deployment of await this.store.listDeployments()) {
      if (!deployment.paused && deployment.workPoolName) await this.schedule(deployment);
    }
    await this.markLate();
  }

  private async schedule(deployment: DeploymentRecord): Promise<void> {
    const now = new Date(this.now());
    const until = new Date(now.getTime() + this.horizonMs);
    for (const [index, schedule] of deployment.schedules.entries()) {
      if (!schedule.active) continue;
      // Intervals count from the schedule's anchorDate, else from the deployment's creation (Prefect's default).
      const times = nextFireTimes(schedule, now, this.runsAhead, new Date(deployment.createdAt));
      // Each run carries its schedule's key, so pausing or changing that schedule deletes just its runs; two
      // schedules firing at the same time each make their own run, with their own parameters.
      const runSchedule = runScheduleOf(deployment, index);
      for (const time of times.filter((at) => at.getTime() <= until.getTime())) {
        const scheduledTime = time.toISOString();
        try {
          await createDeploymentRun(
            this.store,
            deployment,
            {
              scheduleParameters: schedule.parameters,
              scheduledTime,
              idempotencyKey: `scheduled:${deployment.id}:${runSchedule.key}:${scheduledTime}`,
              schedule: runSchedule,
              origin: `Scheduled by ${schedule.slug ? `schedule '${schedule.slug}': ` : ""}${schedule.cron ? `cron '${schedule.cron}'` : schedule.interval ? `interval ${schedule.interval}s` : "rrule"}${schedule.timezone ? ` (${schedule.timezone})` : ""}`,
            },
            this.options.announce,
          );
        } catch (error) {
          // Paused or changed since this tick read it: the next tick schedules what is current.
          if (error instanceof ScheduleChangedError) break;
          // A deployment whose parameters no longer fit its schema is skipped, not the others.
          if (!(error instanceof DeploymentRunRefused)) throw error;
          this.options.log?.(`cannot schedule ${deployment.flowName}/${deployment.name}: ${error.message}`);
          break;
        }
      }
    }
  }

  /** Scheduled runs past their expected start by more than the grace period become Late. */
  async markLate(): Promise<FlowRunRecord[]> {
    const now = this.now();
    const scheduled = await this.store.listFlowRuns({ stateTypes: ["SCHEDULED"], limit: MAX_SCHEDULED_SCAN });
    const late = scheduled.filter(
      (run) =>
        run.state.name === "Scheduled" &&
        run.expectedStartTime !== null &&
        now - Date.parse(run.expectedStartTime) > this.lateAfterMs,
    );
    if (late.length === 0) return [];
    const events = late.map((run): RunEvent => {
      requireTransition(run.state.name, "Late");
      // Dated when it became late, not now: a worker that claimed the run meanwhile stored a later Pending, which
      // this older state then does not replace (the store keeps the latest state current).
      const becameLate = Date.parse(run.expectedStartTime!) + this.lateAfterMs;
      const timestamp = new Date(Math.max(becameLate, Date.parse(run.state.timestamp))).toISOString();
      return {
        kind: "state",
        id: `late-${run.id}`,
        timestamp,
        flowRunId: run.id,
        runKind: "flow",
        runId: run.id,
        state: {
          type: "SCHEDULED",
          name: "Late",
          timestamp,
          message: `No worker started it within ${Math.round(this.lateAfterMs / 1000)} s of ${run.expectedStartTime}`,
          details: { scheduledTime: run.expectedStartTime! },
        },
      };
    });
    await this.store.appendEvents(events);
    this.options.announce?.(events);
    return late;
  }
}
