// `flow.serve({ name, cron | interval | rrule, timezone, anchorDate, parameters })`: runs a flow on a schedule in
// the foreground, with no server and no worker. Each fire starts a flow run in this process, recorded in the store
// like any run. Fire times are the scheduler's (protocol/schedules.ts nextFireTimes): cron read by croner in the
// schedule's zone, so daylight-saving days fire as the schedule preview says; an interval counted from its anchor.
// SIGINT or SIGTERM (or the `signal` option) stops it cleanly: no new runs, the running ones end (Cancelled by
// SIGINT, as any run), their records are stored, and the promise resolves.
import { nextScheduleTime } from "../protocol/schedules.ts";
import { schedulesOf } from "./deploy.ts";
import { SkeinError } from "./errors.ts";
import type { FlowDefinition } from "./flow.ts";
import { runFlowRun } from "./flow-run.ts";
import { flushEvents } from "./runtime.ts";

export interface ServeOptions {
  /** Names what is served, in messages. */
  name: string;
  cron?: string;
  /** Seconds between runs, counted from `anchorDate` (by default from when serving starts). */
  interval?: number;
  rrule?: string;
  timezone?: string;
  /** When an interval counts from, and an rrule without DTSTART starts; when serving starts by default. */
  anchorDate?: Date | string;
  parameters?: Record<string, unknown>;
  /** Stops serving when aborted, as SIGINT does. */
  signal?: AbortSignal;
  /** Called with each run's final state, e.g. to log it. */
  onRun?: (state: { runId: string; type: string; name: string }) => void;
}

/** The next fire time after `after` of the one schedule, or undefined when it never fires again. */
function nextFireOf(options: ServeOptions): (after: Date) => Date | undefined {
  const [schedule] = schedulesOf({ ...options, schedules: undefined });
  if (!schedule) throw new SkeinError(`serve() of '${options.name}' needs a schedule: cron, interval or rrule`);
  const started = new Date();
  return (after) => nextScheduleTime(schedule, after, started);
}

export async function serveFlow(definition: FlowDefinition, options: ServeOptions): Promise<void> {
  if (!options?.name) throw new SkeinError(`serve() of flow '${definition.name}' needs a name`);
  const nextFire = nextFireOf(options);
  const running = new Set<Promise<unknown>>();
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let stopServing!: () => void;
  const whenStopped = new Promise<void>((resolve) => (stopServing = resolve));

  const stop = () => {
    if (stopped) return;
    stopped = true;
    clearTimeout(timer);
    stopServing();
  };
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    // A second signal while runs end: stop now, as a run process does.
    if (++signals > 1) process.exit(signal === "SIGINT" ? 130 : 143);
    stop();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  options.signal?.addEventListener("abort", stop, { once: true });
  if (options.signal?.aborted) stop();

  const fire = () => {
    const run = runFlowRun(definition, {
      parameters: { ...(options.parameters ?? {}) },
      returnState: true,
    }).then(
      (state: { runId: string; type: string; name: string }) => options.onRun?.(state),
      (error: unknown) => process.stderr.write(`serve '${options.name}': a run could not start: ${String(error)}\n`),
    );
    running.add(run);
    void run.finally(() => running.delete(run));
  };
  // Timers wait at most ~24.8 days; a later fire is reached by waking up on the way.
  const maxWaitMs = 2 ** 31 - 1;
  const plan = (after: Date) => {
    if (stopped) return;
    const at = nextFire(after);
    if (!at) return stop();
    const wait = at.getTime() - Date.now();
    timer = setTimeout(
      () => {
        if (Date.now() < at.getTime()) return plan(after);
        fire();
        plan(at);
      },
      Math.min(Math.max(wait, 0), maxWaitMs),
    );
  };
  plan(new Date());

  await whenStopped;
  process.off("SIGINT", onSignal);
  process.off("SIGTERM", onSignal);
  await Promise.allSettled([...running]);
  await flushEvents();
}
