// Finds runs whose process died and ends them Crashed, with their unfinished task runs (the store frees the
// concurrency leases their process held, by the same liveness rule). A run that reports through this server is dead when its heartbeats stopped and,
// if its process is on this machine, that process is gone; any other run (a local process writing to SQLite,
// or one not heard from since this server started) by the rule of store/liveness.ts. Nothing is judged during the
// first staleness window after start, so live runs can heartbeat again after a server restart.
import type { RunEvent } from "../../protocol/run-events.ts";
import { crashedEvent, HEARTBEAT_STALE_MS, isRunProcessGone, OPEN_STATE_TYPES } from "../../store/liveness.ts";
import { workerStaleMs } from "./waiting-reasons.ts";
import { isProcessAlive } from "../../client/processes.ts";
import type { FlowRunRecord } from "../../store/types.ts";
import { announce, type ServerContext } from "../context.ts";
import { crashedEventsForDeadRun } from "../orchestration/crash-dead-run.ts";
import { isThisMachine } from "./heartbeats.ts";

export const CRASH_SWEEP_INTERVAL_MS = 5_000;

/** A deployment run a worker claimed whose process has not adopted it yet: alive while its worker polls. */
function isClaimedNotStarted(run: FlowRunRecord): boolean {
  return run.state.name === "Pending" && run.workerName !== null && run.pid <= 0 && run.workPoolName !== null;
}

const MAX_OPEN_RUNS_PER_SWEEP = 100_000;

export interface CrashDetectorOptions {
  intervalMs?: number;
  staleAfterMs?: number;
}

export class CrashDetector {
  private timer: NodeJS.Timeout | undefined;
  private sweeping: Promise<string[]> | undefined;
  private readonly intervalMs: number;
  private readonly staleAfterMs: number;
  private readonly startedAt = Date.now();

  constructor(
    private readonly ctx: ServerContext,
    options: CrashDetectorOptions = {},
  ) {
    this.intervalMs = options.intervalMs ?? CRASH_SWEEP_INTERVAL_MS;
    this.staleAfterMs = options.staleAfterMs ?? HEARTBEAT_STALE_MS;
  }

  start(): void {
    this.timer ??= setInterval(() => {
      this.sweep().catch((error) => process.stderr.write(`skein server: crash detection failed: ${error.message}\n`));
    }, this.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.sweeping?.catch(() => undefined);
  }

  /** One pass; concurrent callers share it. Returns the ids of the flow runs it ended. */
  sweep(): Promise<string[]> {
    this.sweeping ??= this.sweepOnce().finally(() => (this.sweeping = undefined));
    return this.sweeping;
  }

  private async lastPolls(): Promise<Map<string, string>> {
    const workers = await this.ctx.store.listWorkers();
    return new Map(workers.map((worker) => [`${worker.workPoolName}\0${worker.name}`, worker.lastPollAt]));
  }

  private isDead(run: FlowRunRecord, now: number): boolean {
    const beat = this.ctx.heartbeats.last(run.id);
    if (!beat) return isRunProcessGone(run.pid, run.host, run.heartbeatAt, now, this.staleAfterMs);
    if (now - beat.at <= this.staleAfterMs) return false;
    return !(isThisMachine(beat.process) && isProcessAlive(beat.process.pid));
  }

  private async sweepOnce(): Promise<string[]> {
    const { store } = this.ctx;
    const now = Date.now();
    const open = await store.listFlowRuns({ stateTypes: [...OPEN_STATE_TYPES], limit: MAX_OPEN_RUNS_PER_SWEEP });
    this.ctx.heartbeats.retain(new Set(open.map((run) => run.id)));
    if (now - this.startedAt <= this.staleAfterMs) return [];
    const events: RunEvent[] = [];
    const dead: string[] = [];
    const claimed = open.filter(isClaimedNotStarted);
    const lastPolls = claimed.length ? await this.lastPolls() : new Map<string, string>();
    for (const run of claimed) {
      const lastPoll = lastPolls.get(`${run.workPoolName}\0${run.workerName}`);
      if (lastPoll && now - Date.parse(lastPoll) <= workerStaleMs()) continue;
      dead.push(run.id);
      const message = `Worker '${run.workerName}' claimed the run and stopped polling (last at ${lastPoll ?? "never"}) before its process started`;
      events.push(crashedEvent(run.id, run.id, "flow", run.state, lastPoll ?? run.heartbeatAt, message));
    }
    for (const run of open) {
      if (isClaimedNotStarted(run)) continue;
      if (!this.isDead(run, now)) continue;
      const crashed = await crashedEventsForDeadRun(store, run);
      if (crashed.length === 0) continue;
      dead.push(run.id);
      events.push(...crashed);
    }
    if (dead.length === 0) return [];
    await store.appendEvents(events);
    announce(this.ctx, events);
    return dead;
  }
}
