// `flow.serve({ name, cron | interval | rrule, timezone, parameters })`: runs a flow on a schedule in the
// foreground, with no server and no worker. Each fire starts a flow run in this process, recorded in the store
// like any run. Cron is read by croner in the schedule's zone (the scheduler's rules, protocol/schedules.ts), so
// daylight-saving days fire as the schedule preview says. SIGINT or SIGTERM (or the `signal` option) stops it
// cleanly: no new runs, the running ones end (Cancelled by SIGINT, as any run), their records are stored, and the
// promise resolves.
import type { Cron } from "croner";
import { rrulestr } from "rrule";
import { openCron } from "../protocol/schedules.ts";
import { schedulesOf } from "./deploy.ts";
import { SkeinError } from "./errors.ts";
import type { FlowDefinition } from "./flow.ts";
import { runFlowRun } from "./flow-run.ts";
import { flushEvents } from "./runtime.ts";

export interface ServeOptions {
  /** Names what is served, in messages. */
  name: string;
  cron?: string;
  /** Seconds between runs, the first one interval seconds from now. */
  interval?: number;
  rrule?: string;
  timezone?: string;
  parameters?: Record<string, unknown>;
  /** Stops serving when aborted, as SIGINT does. */
  signal?: AbortSignal;
  /** Called with each run's final state, e.g. to log it. */
  onRun?: (state: { runId: string; type: string; name: string }) => void;
}

/** The next fire time after `after` of the one schedule, or undefined when it never fires again. */
type NextFire = (after: Date) => Date | undefined;

function nextFireOf(options: ServeOptions): { next: NextFire; stop(): void } {
  const [schedule] = schedulesOf({ ...options, schedules: undefined });
  if (!schedule) throw new SkeinError(`serve() of '${options.name}' needs a schedule: cron, interval or rrule`);
  if (schedule.cron !== undefined) {
    const cron: Cron = openCron(schedule.cron, schedule.timezone);
    return { next: (after) => cron.nextRun(after) ?? undefined, stop: () => cron.stop() };
  }
  if (schedule.interval !== undefined) {
    const ms = schedule.interval * 1000;
    return { next: (after) => new Date(after.getTime() + ms), stop: () => undefined };
  }
  const rule = rrulestr(schedule.rrule as string);
  return { next: (after) => rule.after(after, false) ?? undefined, stop: () => undefined };
}

export async function serveFlow(definition: FlowDefinition, options: ServeOptions): Promise<void> {
  if (!options?.name) throw new SkeinError(`serve() of flow '${definition.name}' needs a name`);
  const schedule = nextFireOf(options);
  const running = new Set<Promise<unknown>>();
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let stopServing!: () => void;
  const whenStopped = new Promise<void>((resolve) => (stopServing = resolve));

  const stop = () => {
    if (stopped) return;
    stopped = true;
    clearTimeout(timer);
    schedule.stop();
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
    const at = schedule.next(after);
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
