// Runner processes of a worker: `skein worker runner` children, started ahead of time so a claimed run starts in
// a process that has already paid for Node's start-up and the engine's loading (dispatch latency). Each runs the
// flow runs it is handed one at a time, as `skein run` would, in the run's working folder, and ends after
// `runsPerProcess` runs (1: a fresh process per run, as Prefect's process worker does; more trades that isolation
// for throughput on few cores), after a run that did not exit 0, or when its worker dies (its IPC channel closes:
// cli/run.ts then ends its run Crashed as on SIGTERM). A run whose deployment adds environment variables (job
// variable `env`) runs only in a runner started with exactly those: a module reads its environment once.
import { type ChildProcess, spawn } from "node:child_process";
import type { FromRunner, ToRunner } from "../protocol/worker-runner.ts";

/** How long a runner beyond the warm ones may wait for a run before it ends. */
const IDLE_RETIRE_MS = 30_000;

export interface CliCommand {
  node: string;
  args: string[];
}

export interface RunnerPoolOptions {
  cli: CliCommand;
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Idle runners kept started ahead of runs, while fewer than `limit` are busy. */
  warm: number;
  /** Most runs at once (the worker's limit): never more than `limit` runners, busy or idle, are kept. */
  limit: number;
  runsPerProcess: number;
}

/** One runner process: the flow runs it has been handed, and what it says. */
export class Runner {
  readonly child: ChildProcess;
  runs = 0;
  /** When it last became idle (Date.now()). */
  idleSince = Date.now();
  private readonly listeners = new Set<(message: FromRunner) => void>();
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  constructor(
    options: RunnerPoolOptions,
    /** The environment variables it was started with beyond the worker's (envKey of them). */
    readonly envKey: string,
    extraEnv: Record<string, string>,
  ) {
    this.child = spawn(options.cli.node, [...options.cli.args, "worker", "runner"], {
      cwd: options.cwd,
      env: { ...options.env, ...extraEnv },
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    this.child.on("message", (message: FromRunner) => {
      for (const listener of this.listeners) listener(message);
    });
    this.exited = new Promise((resolve) => {
      this.child.once("exit", (code, signal) => resolve({ code, signal }));
      this.child.once("error", () => resolve({ code: null, signal: null }));
    });
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null && this.child.connected;
  }

  onMessage(listener: (message: FromRunner) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  send(message: ToRunner): void {
    if (this.child.connected) this.child.send(message);
  }

  retire(): void {
    this.send({ kind: "exit" });
  }
}

export class RunnerPool {
  private readonly idle: Runner[] = [];
  private busy = 0;
  private stopped = false;
  private sweeper: NodeJS.Timeout | undefined;

  constructor(private readonly options: RunnerPoolOptions) {}

  start(): void {
    this.refill();
    this.sweeper = setInterval(() => this.retireLongIdle(), IDLE_RETIRE_MS / 2);
    this.sweeper.unref();
  }

  /**
   * An idle runner started with these extra environment variables, or a new one (an idle runner of another
   * environment ends if the pool would pass its limit); a replacement starts at once to keep the pool warm.
   */
  take(extraEnv: Record<string, string> = {}): Runner {
    const key = envKey(extraEnv);
    const at = this.idle.findIndex((candidate) => candidate.alive && candidate.envKey === key);
    let runner: Runner;
    if (at >= 0) runner = this.idle.splice(at, 1)[0];
    else {
      runner = this.startRunner(key, extraEnv);
      while (this.idle.length && this.idle.length + this.busy + 1 > this.options.limit) this.idle.pop()!.retire();
    }
    runner.runs++;
    this.busy++;
    this.refill();
    return runner;
  }

  /**
   * After a run: the runner waits for another while it may take one (never more runners than the worker's limit),
   * or ends. Keeping it beats starting a fresh one, which costs a Node start-up and the engine's loading; an idle
   * runner beyond the warm ones ends after `IDLE_RETIRE_MS` without work.
   */
  giveBack(runner: Runner, reusable: boolean): void {
    this.busy--;
    const mayRunAgain = !this.stopped && reusable && runner.alive && runner.runs < this.options.runsPerProcess;
    if (mayRunAgain && this.idleAlive() + this.busy < this.options.limit) {
      runner.idleSince = Date.now();
      this.idle.unshift(runner);
    } else runner.retire();
    this.refill();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.sweeper);
    const idle = this.idle.splice(0);
    for (const runner of idle) runner.retire();
    await Promise.all(idle.map((runner) => runner.exited));
  }

  /** Warm runners, but never more runners than runs that could start now. */
  private wantedIdle(): number {
    return Math.max(0, Math.min(this.options.warm, this.options.limit - this.busy));
  }

  /** Idle runners beyond the warm ones that waited `IDLE_RETIRE_MS` for a run end, so a quiet worker gives back memory. */
  private retireLongIdle(): void {
    const now = Date.now();
    // The idle list is most recently used first: the long-idle ones are at its end.
    while (this.idle.length > this.options.warm && now - this.idle[this.idle.length - 1].idleSince > IDLE_RETIRE_MS)
      this.idle.pop()!.retire();
  }

  private idleAlive(): number {
    return this.idle.filter((runner) => runner.alive).length;
  }

  /** Warm runners have the worker's environment: runs with extra variables are the exception. */
  private refill(): void {
    const warmIdle = () => this.idle.filter((runner) => runner.alive && runner.envKey === "").length;
    while (!this.stopped && warmIdle() < this.wantedIdle()) this.idle.push(this.startRunner("", {}));
  }

  private startRunner(key: string, extraEnv: Record<string, string>): Runner {
    const runner = new Runner(this.options, key, extraEnv);
    // An idle runner that dies (killed by hand, out of memory) is dropped; a busy one is its run's business.
    runner.exited.then(() => {
      const at = this.idle.indexOf(runner);
      if (at >= 0) this.idle.splice(at, 1);
    });
    return runner;
  }
}

/** The same text for the same variables in any order; "" for none. */
function envKey(extraEnv: Record<string, string>): string {
  const entries = Object.entries(extraEnv).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return entries.length ? JSON.stringify(entries) : "";
}
