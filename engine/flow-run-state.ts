// What one flow run holds in memory while it runs: its current state, its cancellation signal, the counters that
// give task runs stable identities, its task concurrency, how many task runs are still open, and what it reuses
// (engine/reuse.ts): the results an earlier attempt or run completed, so a retry or a rerun runs only what failed
// or follows, and the edited inputs of the task a rerun starts from.
import type { State } from "../protocol/states.ts";
import type { FlowDefinition } from "./flow.ts";
import { Semaphore } from "./concurrency/semaphore.ts";
import type { RunAbortedError } from "./errors.ts";
import { deserialize } from "./results/serialize.ts";
import { ByTaskIdentity, type EarlierResult } from "./reuse.ts";

/** A stored task run, as much of it as reuse needs. */
export interface StoredTaskRun {
  id: string;
  flowRunId: string;
  taskKey: string;
  dynamicKey: number;
  state: { type: string };
  result: string | null;
}

/** Inputs by parameter name that replace those of one task run (`skein flow-run rerun --input`). */
export interface EditedInputs {
  taskKey: string;
  dynamicKey: number;
  inputs: Record<string, unknown>;
}

/** A task run started and not yet finished, as the exit handler (engine/active-runs.ts) ends it. */
export interface OpenTaskRun {
  /** Ends the task run Crashed, if the state table lets its state end so. */
  crash(message: string): void;
}

export class FlowRunState {
  private attempt = new AbortController();
  private abortReason: RunAbortedError | undefined;
  private readonly dynamicKeys = new Map<string, number>();
  private readonly openTaskRuns = new Set<OpenTaskRun>();
  private allSettled: (() => void) | undefined;
  private readonly earlier = new ByTaskIdentity<EarlierResult>();
  private readonly edits = new ByTaskIdentity<Record<string, unknown>>();
  readonly semaphore: Semaphore | undefined;
  /** Set by the flow run as it moves; read by the exit handler and by task runs arming the timeout watchdog. */
  state: State | undefined;

  constructor(
    readonly id: string,
    readonly name: string,
    readonly flow: FlowDefinition,
    readonly parameters: Record<string, unknown>,
  ) {
    const limit = flow.options.taskConcurrency;
    this.semaphore = limit ? new Semaphore(limit) : undefined;
  }

  get logPrints(): boolean | undefined {
    return this.flow.options.logPrints;
  }

  get persistResult(): boolean | undefined {
    return this.flow.options.persistResult;
  }

  get persistInputs(): boolean | undefined {
    return this.flow.options.persistInputs;
  }

  /** Fires when this attempt times out or the run is cancelled; task runs listen to it. */
  get signal(): AbortSignal {
    return this.attempt.signal;
  }

  get aborted(): RunAbortedError | undefined {
    return this.abortReason;
  }

  /** Stops the run: running task runs see their signal fire, waiting ones never start. */
  abort(reason: RunAbortedError): void {
    this.abortReason ??= reason;
    this.attempt.abort(this.abortReason);
  }

  /** Ends the current attempt's task runs (e.g. on the flow's timeout) without cancelling the run. */
  endAttempt(reason: unknown): void {
    this.attempt.abort(reason);
  }

  /** A fresh attempt: call counters restart so task runs line up with the previous attempt's. */
  startAttempt(): void {
    this.attempt = new AbortController();
    if (this.abortReason) this.attempt.abort(this.abortReason);
    this.dynamicKeys.clear();
  }

  nextDynamicKey(taskKey: string): number {
    const next = this.dynamicKeys.get(taskKey) ?? 0;
    this.dynamicKeys.set(taskKey, next + 1);
    return next;
  }

  /**
   * The task runs in progress: the runs themselves, which their pending work holds anyway, not their futures (a
   * flow may start 100,000 of them), so the exit handler can end them Crashed.
   */
  taskRunStarted(run: OpenTaskRun): void {
    this.openTaskRuns.add(run);
  }

  taskRunFinished(run: OpenTaskRun): void {
    this.openTaskRuns.delete(run);
    if (this.openTaskRuns.size === 0) this.allSettled?.();
  }

  get unfinishedTaskRuns(): Iterable<OpenTaskRun> {
    return this.openTaskRuns;
  }

  /** Resolves when every task run started so far has finished. */
  settle(): Promise<void> {
    if (this.openTaskRuns.size === 0) return Promise.resolve();
    return new Promise((resolve) => {
      this.allSettled = () => {
        this.allSettled = undefined;
        resolve();
      };
    });
  }

  /** Kept only when the flow may retry in this process. */
  rememberResult(
    taskKey: string,
    dynamicKey: number,
    taskRunId: string,
    value: unknown,
    serialized: string | undefined,
  ): void {
    if (this.flow.options.retries) this.earlier.set(taskKey, dynamicKey, { taskRunId, serialized, value: () => value });
  }

  /**
   * Results stored by earlier task runs (`skein flow-run retry`: this flow run's own; `rerun`: those of the run it
   * reruns): a completed task run whose result was stored is reused; of several runs of one task call, the last.
   */
  reuseStoredResults(taskRuns: readonly StoredTaskRun[]): void {
    for (const run of taskRuns) {
      if (run.state.type !== "COMPLETED" || run.result === null) continue;
      const serialized = run.result;
      this.earlier.set(run.taskKey, run.dynamicKey, {
        taskRunId: run.id,
        flowRunId: run.flowRunId === this.id ? undefined : run.flowRunId,
        serialized,
        value: () => deserialize(serialized),
      });
    }
  }

  earlierResult(taskKey: string, dynamicKey: number): EarlierResult | undefined {
    return this.earlier.get(taskKey, dynamicKey);
  }

  editInputs(edit: EditedInputs): void {
    this.edits.set(edit.taskKey, edit.dynamicKey, edit.inputs);
  }

  editedInputs(taskKey: string, dynamicKey: number): Record<string, unknown> | undefined {
    return this.edits.get(taskKey, dynamicKey);
  }
}
