// One claimed flow run in a runner process of its worker (runner-pool.ts; the `process` pool type): the runner
// runs it as `skein run ENTRYPOINT --flow-run-id ID` would, whose engine adopts the Pending run the worker claimed
// instead of creating one. Cancellation is the run process's own (it polls the store), enforced here: SIGINT, then
// SIGKILL after a grace period. When the child is gone, its fate is recorded: a run it left unfinished is ended here, Crashed (killed by
// a signal or exited early) or Cancelled (killed after a cancellation request), and a Crashed run's `onCrashed`
// hooks run, as Prefect's runner does, in a short-lived child that loads the flow (the worker loads no user code).
import { spawn } from "node:child_process";
import type { RunEvent } from "../protocol/run-events.ts";
import { isTerminal, transitionRule, type State, type StateName } from "../protocol/states.ts";
import { crashedEvent, DEAD_TASK_RUN_MESSAGE, flowRunEndedEvent, mayCrash } from "../store/liveness.ts";
import type { FromHookRunner } from "../protocol/worker-runner.ts";
import type { FlowRunRecord, Store } from "../store/types.ts";
import type { CliCommand, Runner } from "./runner-pool.ts";

/** How the worker starts the CLI: the Node binary and the CLI script (dist/engine/cli.mjs, or cli/main.ts via tsx). */
export interface RunProcessOptions {
  cli: CliCommand;
  store: Pick<Store, "getFlowRun" | "appendEvents" | "listTaskRuns" | "listStates">;
  /** The run's working folder, where its entrypoint is resolved (worker/process-job.ts). */
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** After a cancellation request, how long the run may take to end itself before its process is SIGKILLed. */
  cancelGraceMs: number;
  log(line: string): void;
}

export interface RunOutcome {
  state: State | undefined;
  /** Whether the runner may take another run (it ended this one with exit code 0 and lives). */
  reusable: boolean;
  /** The run crashed and its flow has retries left: start it again (the engine's RetryFinishedRun). */
  retry: boolean;
}

export class RunProcess {
  private cancelTimer: NodeJS.Timeout | undefined;
  private killedAfterCancel = false;
  readonly exited: Promise<RunOutcome>;

  constructor(
    readonly run: FlowRunRecord,
    private readonly runner: Runner,
    private readonly options: RunProcessOptions,
  ) {
    type Ending = { exitCode: number | null; signal: NodeJS.Signals | null; alive: boolean; error?: string };
    const ended = new Promise<Ending>((resolve) => {
      const stop = runner.onMessage((message) => {
        if (message.kind !== "finished" || message.flowRunId !== run.id) return;
        stop();
        resolve({ exitCode: message.exitCode, signal: null, alive: true, error: message.error });
      });
      runner.exited.then(({ code, signal }) => {
        stop();
        resolve({ exitCode: code, signal, alive: false });
      });
    });
    const { cwd } = options;
    runner.send({ kind: "run", flowRunId: run.id, entrypoint: run.entrypoint!, parameters: run.parameters, cwd });
    this.exited = ended.then(async ({ exitCode, signal, alive, error }) => ({
      ...(await this.recordFate(exitCode, signal, alive, error)),
      reusable: alive && exitCode === 0,
    }));
  }

  get pid(): number | undefined {
    return this.runner.child.pid;
  }

  /** Asks the child to cancel (it polls the store too); SIGKILL when it has not ended after the grace period. */
  cancel(): void {
    if (this.cancelTimer || !this.runner.alive) return;
    this.runner.child.kill("SIGINT");
    this.cancelTimer = setTimeout(() => {
      this.killedAfterCancel = true;
      this.runner.child.kill("SIGKILL");
    }, this.options.cancelGraceMs);
    this.cancelTimer.unref();
  }

  private async recordFate(
    code: number | null,
    signal: NodeJS.Signals | null,
    alive: boolean,
    /** Why the runner could not run it at all. */
    error?: string,
  ): Promise<{ state: State | undefined; retry: boolean }> {
    clearTimeout(this.cancelTimer);
    const run = await this.options.store.getFlowRun(this.run.id);
    if (!run || isTerminal(run.state.type)) return { state: run?.state, retry: false };
    const how = alive ? `ended it with code ${code}` : signal ? `was killed by ${signal}` : `exited with code ${code}`;
    const [name, message]: ["Cancelled" | "Crashed", string] = this.killedAfterCancel
      ? ["Cancelled", `Run process ${this.pid} ${how} after a cancellation request`]
      : ["Crashed", `Run process ${this.pid} ${how} before the run finished${error ? `: ${error}` : ""}`];
    if (!transitionRule(run.state.name, name)) return { state: run.state, retry: false };
    const event = flowRunEndedEvent(run, name, message);
    await this.options.store.appendEvents([event, ...(await this.unfinishedTaskRunsCrashed(run, name))]);
    this.options.log(`flow run ${run.id} ${message}: ${name}`);
    if (name !== "Crashed") return { state: event.state, retry: false };
    const retries = await this.runCrashedHooks(run);
    const crashes = (await this.options.store.listStates(run.id)).filter((state) => state.name === "Crashed").length;
    const retry = crashes <= retries;
    if (retry)
      this.options.log(`flow run ${run.id} crashed ${crashes} time(s); the flow has ${retries} retries: again`);
    return { state: event.state, retry };
  }

  /** A run ended by its worker leaves no task run open: those the table lets end Crashed do (store/liveness.ts). */
  private async unfinishedTaskRunsCrashed(run: FlowRunRecord, name: StateName): Promise<RunEvent[]> {
    if (name !== "Crashed") return [];
    const tasks = await this.options.store.listTaskRuns(run.id);
    return tasks
      .filter((task) => mayCrash(task.state.name))
      .map((task) => crashedEvent(run.id, task.id, "task", task.state, run.heartbeatAt, DEAD_TASK_RUN_MESSAGE));
  }

  /**
   * `onCrashed` hooks need the flow's module: a child loads it and runs them (cli/commands/worker.ts), and tells
   * the flow's `retries`, which the worker cannot know without loading user code. Resolves to those retries.
   */
  private runCrashedHooks(run: FlowRunRecord): Promise<number> {
    const args = [...this.options.cli.args, "worker", "run-crashed-hooks", run.entrypoint!, "--flow-run-id", run.id];
    return new Promise((resolve) => {
      let retries = 0;
      const child = spawn(this.options.cli.node, args, {
        cwd: this.options.cwd,
        env: this.options.env,
        stdio: ["ignore", "inherit", "inherit", "ipc"],
      });
      child.on("message", (message: FromHookRunner) => {
        if (message.kind === "flow-retries") retries = message.retries;
      });
      child.once("exit", (code) => {
        if (code !== 0) this.options.log(`onCrashed hooks of flow run ${run.id} exited with code ${code}`);
        resolve(retries);
      });
      child.once("error", (error) => {
        this.options.log(`cannot run onCrashed hooks of flow run ${run.id}: ${error.message}`);
        resolve(0);
      });
    });
  }
}
