// A worker of one work pool (`skein worker start --pool P`): it claims due runs of the pool exactly once (the store
// decides: a SQLite transaction, or FOR UPDATE SKIP LOCKED on PostgreSQL; a claim id makes a retried claim get what
// it took), up to its limit of runs at once, and starts each as a child process (run-process.ts). Each claim is also
// its heartbeat (the store keeps its last poll per pool). It learns of new runs at once from the server's live
// stream (wake-ups.ts) and polls only as a short fallback; it checks its children's runs for cancellation requests
// and enforces them.
import { hostname } from "node:os";
import { isoNow, newId } from "../protocol/ids.ts";
import type { RunEvent } from "../protocol/run-events.ts";
import { flowRunEndedEvent } from "../store/liveness.ts";
import type { DeploymentRecord, FlowRunRecord, Store } from "../store/types.ts";
import { type ProcessJob, processJob } from "./process-job.ts";
import { RunProcess } from "./run-process.ts";
import { type CliCommand, RunnerPool } from "./runner-pool.ts";

export interface WorkerOptions {
  store: Pick<
    Store,
    | "claimFlowRuns"
    | "getFlowRun"
    | "appendEvents"
    | "listTaskRuns"
    | "listStates"
    | "cancellationRequests"
    | "getDeployment"
  >;
  pool: string;
  name: string;
  /** Most flow runs running at once. */
  limit: number;
  cli: CliCommand;
  /** Where a run works when its deployment names no working_dir (or one this machine lacks). */
  cwd: string;
  /** The environment of runner processes (SKEIN_API_URL of the server the worker talks to, ...). */
  env: NodeJS.ProcessEnv;
  /** Runner processes kept started ahead of runs (runner-pool.ts). */
  warmRunners: number;
  /** Flow runs one runner process runs before it ends (1: a fresh process per run). */
  runsPerProcess: number;
  /** The fallback poll (and heartbeat) period. */
  pollMs: number;
  cancelGraceMs: number;
  log(line: string): void;
}

export interface WorkerStats {
  claimed: number;
  finished: number;
}

export class Worker {
  private readonly running = new Map<string, RunProcess>();
  /** Claimed runs whose deployment is being read before they start: they hold a slot too. */
  private starting = 0;
  private readonly starts = new Set<Promise<void>>();
  /**
   * Deployments read for their job variables: a burst of runs of one deployment reads it once. Each has `asOf`,
   * the store's time of the claim after which it was read, so it holds every change made before any run created
   * until then; a run created later reads it again (a redeploy may have come in between), and so does any run once
   * the read is DEPLOYMENT_CACHE_MS old (runs the scheduler created ahead get a redeploy's job variables soon).
   */
  private readonly deployments = new Map<
    string,
    { asOf: number; readAt: number; record: Promise<DeploymentRecord | undefined> }
  >();
  private readonly runners: RunnerPool;
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<void> | undefined;
  private pollAgain = false;
  /** The poll period has passed: claim even with no free slot, as the worker's heartbeat. */
  private heartbeatDue = true;
  /** The id of the claim not answered yet (ClaimRequest.claimId). */
  private claimId: string | undefined;
  private stopped = false;
  readonly stats: WorkerStats = { claimed: 0, finished: 0 };
  /** Called when a run's process has ended and its fate is recorded. */
  onRunFinished: (run: FlowRunRecord) => void = () => undefined;

  constructor(private readonly options: WorkerOptions) {
    this.runners = new RunnerPool({
      cli: options.cli,
      cwd: options.cwd,
      env: { ...options.env, SKEIN_WORKER_NAME: options.name },
      warm: options.warmRunners,
      limit: options.limit,
      runsPerProcess: options.runsPerProcess,
    });
  }

  /** Starts polling; resolves when the first claim is done. */
  start(): Promise<void> {
    this.runners.start();
    this.wake();
    this.timer = setInterval(() => {
      this.heartbeatDue = true;
      this.wake();
    }, this.options.pollMs);
    return this.polling ?? Promise.resolve();
  }

  /** Claims now (a new run may be due): polls coalesce, so a burst of wake-ups costs one claim at a time. */
  wake(): void {
    if (this.stopped) return;
    if (this.polling) {
      this.pollAgain = true;
      return;
    }
    this.polling = this.poll()
      .catch((error: Error) => this.options.log(`polling work pool '${this.options.pool}' failed: ${error.message}`))
      .finally(() => {
        this.polling = undefined;
        if (this.pollAgain) {
          this.pollAgain = false;
          this.wake();
        }
      });
  }

  private async poll(): Promise<void> {
    const { store, pool, name, limit } = this.options;
    const free = Math.max(0, limit - this.running.size - this.starting);
    // A full worker woken by the stream has nothing to claim: it claims (its heartbeat) and checks its runs for
    // cancellation on its own period. With many workers, every run's end woke them all to a claim of nothing.
    if (free === 0 && !this.heartbeatDue && !this.stopped) return;
    this.heartbeatDue = false;
    // One id per claim, kept until the claim is answered: a claim whose answer was lost (the store committed, then
    // the connection died) is asked again, by the HttpStore's retries or this worker's next poll, with the same id
    // and gets the runs it took rather than leaving them Pending for nobody.
    this.claimId ??= newId();
    const { claimed } = await store.claimFlowRuns({
      workPoolName: pool,
      workerName: name,
      pid: process.pid,
      host: hostname(),
      limit: this.stopped ? 0 : free,
      claimId: this.claimId,
    });
    this.claimId = undefined;
    for (const run of claimed) this.startRun(run);
    if (this.running.size) {
      for (const id of await store.cancellationRequests([...this.running.keys()])) this.running.get(id)?.cancel();
    }
    // A full claim may have left more due runs behind.
    if (claimed.length && claimed.length === free) this.pollAgain = true;
  }

  private startRun(run: FlowRunRecord): void {
    this.stats.claimed++;
    if (!run.entrypoint) {
      const message = "The run has no entrypoint, so no worker can start it";
      this.options.log(`flow run ${run.id}: ${message}`);
      void this.options.store.appendEvents([flowRunEndedEvent(run, "Crashed", message)]);
      return;
    }
    this.starting++;
    const started = this.jobOf(run).then(async (job) => {
      if (job.notes.length)
        await this.options.store
          .appendEvents(job.notes.map((note) => workerLog(run, note)))
          .catch((error: Error) => this.options.log(`flow run ${run.id}: ${job.notes.join("; ")} (${error.message})`));
      this.starting--;
      this.launch(run, job);
    });
    this.starts.add(started);
    void started.finally(() => this.starts.delete(started));
  }

  /** How the run's process is started: its deployment's job variables read for a process pool. */
  private async jobOf(run: FlowRunRecord): Promise<ProcessJob> {
    if (!run.deploymentId) return processJob({}, this.options.cwd);
    const now = Date.now();
    let cached = this.deployments.get(run.deploymentId);
    // createdAt and asOf are both stamped where the store runs (the server, or the processes sharing a database
    // file), not by this worker's clock, which may be set differently: the worker's clock only measures readAt.
    if (!cached || Date.parse(run.createdAt) >= cached.asOf || now - cached.readAt > DEPLOYMENT_CACHE_MS) {
      cached = {
        asOf: Date.parse(run.state.timestamp),
        readAt: now,
        record: this.options.store.getDeployment(run.deploymentId),
      };
      this.deployments.set(run.deploymentId, cached);
    }
    try {
      return processJob((await cached.record)?.jobVariables ?? {}, this.options.cwd);
    } catch (error) {
      this.deployments.delete(run.deploymentId);
      const job = processJob({}, this.options.cwd);
      job.notes.push(`its deployment could not be read (${(error as Error).message}): it runs without job variables`);
      return job;
    }
  }

  /** Starts the run in a runner; again after a crash while its flow has retries left (RunOutcome.retry). */
  private launch(run: FlowRunRecord, job: ProcessJob): void {
    const runner = this.runners.take(job.env);
    const child = new RunProcess(run, runner, {
      cli: this.options.cli,
      store: this.options.store,
      cwd: job.cwd,
      env: { ...this.options.env, ...job.env, SKEIN_WORKER_NAME: this.options.name },
      cancelGraceMs: this.options.cancelGraceMs,
      log: this.options.log,
    });
    this.running.set(run.id, child);
    child.exited
      .then(
        (outcome) => {
          this.runners.giveBack(runner, outcome.reusable);
          return outcome.retry && !this.stopped;
        },
        (error: Error) => {
          this.runners.giveBack(runner, false);
          this.options.log(`recording the end of flow run ${run.id} failed: ${error.message}`);
          return false;
        },
      )
      .then((again) => {
        if (again) return this.launch(run, job);
        this.running.delete(run.id);
        this.stats.finished++;
        this.onRunFinished(run);
        this.wake();
      });
  }

  get runningCount(): number {
    return this.running.size;
  }

  /** Claims no more runs and waits for the running ones to end (their processes are not stopped). */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.polling;
    await Promise.all(this.starts);
    await Promise.all([...this.running.values()].map((child) => child.exited.catch(() => undefined)));
    await this.runners.stop();
  }
}

/** How long a deployment read serves runs created before it (see Worker.deployments). */
const DEPLOYMENT_CACHE_MS = 5_000;

/** A line in the run's own log from its worker, where its user looks first. */
function workerLog(run: FlowRunRecord, message: string): RunEvent {
  return {
    kind: "log",
    id: newId(),
    timestamp: isoNow(),
    flowRunId: run.id,
    level: "warning",
    logger: "skein.worker",
    message,
  };
}
