// One task run, from Pending to a final state. Each orchestration rule is a small step:
// upstream → reuse an earlier attempt's result → cache → concurrency slots → attempts with retries and timeout.
import { newId } from "../protocol/ids.ts";
import type { State, StateDetails, StateName } from "../protocol/states.ts";
import { runScope, currentScope, type RunScope } from "./context.ts";
import {
  RunAbortedError,
  RunTimeoutError,
  TaskOutsideFlowError,
  UpstreamNotReadyError,
  errorMessage,
  errorText,
} from "./errors.ts";
import type { FlowRunState, OpenTaskRun } from "./flow-run-state.ts";
import { TaskFuture, type Outcome } from "./futures.ts";
import { runHooks } from "./hooks.ts";
import { captureConsoleForLogPrints, emitLog, logRunFailure } from "./logging.ts";
import { containsSecret } from "./masking.ts";
import { bindParameters } from "./parameters.ts";
import { recordInputs, withEditedInputs } from "./task-inputs.ts";
import { renderRunName } from "./names.ts";
import type { RunInfo, TaskOptions } from "./options.ts";
import { planRetry, sleep } from "./retries.ts";
import { cacheEntryKey, cachePolicies, policyCacheKey, type CacheKeyContext } from "./results/cache-policies.ts";
import { deserialize, serialize } from "./results/serialize.ts";
import { emit, getStore } from "./runtime.ts";
import { nextState, transitionRule } from "./states.ts";
import type { TaskDefinition } from "./task.ts";
import { runGuarded } from "./timeouts.ts";
import { takePendingStops, underDebugger } from "./debugger-stops.ts";
import { acquireTagSlots } from "./concurrency/limits.ts";
import { currentExtraTags } from "./tags.ts";
import { awaitUpstream, collectUpstream, resolveArguments, type Upstream } from "./upstream.ts";

const NO_TAGS: string[] = [];

export function startTaskRun(definition: TaskDefinition, thisArg: unknown, args: unknown[]): TaskFuture {
  const scope = currentScope();
  if (!scope) throw new TaskOutsideFlowError(definition.name);
  return new TaskRun(definition, scope, thisArg, args).start();
}

class TaskRun implements OpenTaskRun {
  readonly id = newId();
  readonly name: string;
  private readonly dynamicKey: number;
  private readonly flowRun: FlowRunState;
  private readonly upstream: Upstream[];
  private readonly tags: string[];
  private state: State = nextState(undefined, "Pending");
  private future!: TaskFuture;
  private nameError: unknown;
  private transitions = 0;

  constructor(
    private readonly definition: TaskDefinition,
    private readonly scope: RunScope,
    private readonly thisArg: unknown,
    private args: unknown[],
  ) {
    this.flowRun = scope.flowRun;
    this.dynamicKey = this.flowRun.nextDynamicKey(definition.key);
    this.upstream = collectUpstream(args, definition.options.waitFor);
    this.name = this.renderName();
    const extraTags = currentExtraTags();
    this.tags = extraTags.length
      ? [...(definition.options.tags ?? []), ...extraTags]
      : (definition.options.tags ?? NO_TAGS);
  }

  private renderName(): string {
    const spec = this.definition.options.taskRunName;
    const fallback = `${this.definition.name}-${this.dynamicKey}`;
    if (!spec) return fallback;
    try {
      return renderRunName(spec, this.parameters(), `Task '${this.definition.name}' run`);
    } catch (error) {
      this.nameError = error;
      return fallback;
    }
  }

  private parameters(): Record<string, unknown> {
    return bindParameters(this.definition.fn, this.args);
  }

  start(): TaskFuture {
    emit({
      kind: "task-run-created",
      id: `${this.id}.0`,
      timestamp: this.state.timestamp,
      flowRunId: this.flowRun.id,
      taskRunId: this.id,
      name: this.name,
      taskName: this.definition.name,
      taskKey: this.definition.key,
      dynamicKey: this.dynamicKey,
      upstream: this.upstream.map((u) => u.future.taskRunId),
      tags: this.tags,
      source: this.definition.source,
      state: this.state,
    });
    this.flowRun.taskRunStarted(this);
    this.future = new TaskFuture(this.id, this.name, this.state, this.runInSlot());
    return this.future;
  }

  /**
   * taskConcurrency: the run waits for a slot before anything else. A task run called from inside another task
   * run does not take one, or a limit of 1 would deadlock on nested tasks.
   */
  private runInSlot(): Promise<Outcome> {
    const semaphore = this.scope.taskRun ? undefined : this.flowRun.semaphore;
    if (!semaphore) return this.runSafely().finally(() => this.flowRun.taskRunFinished(this));
    return new Promise<Outcome>((resolve) =>
      semaphore.whenFree(() =>
        resolve(
          this.runSafely().finally(() => {
            semaphore.release();
            this.flowRun.taskRunFinished(this);
          }),
        ),
      ),
    );
  }

  crash(message: string): void {
    if (transitionRule(this.state.name, "Crashed")) this.setState("Crashed", message);
  }

  private setState(name: StateName, message?: string, details?: StateDetails, result?: string): State {
    const state = nextState(this.state, name, message, details);
    this.state = state;
    if (this.future) this.future.state = state;
    // Unique without a fresh UUID: the run's id plus the state's position in its history.
    emit({
      kind: "state",
      id: `${this.id}.${++this.transitions}`,
      timestamp: state.timestamp,
      flowRunId: this.flowRun.id,
      runKind: "task",
      runId: this.id,
      state,
      result,
    });
    return state;
  }

  /** An error of the engine or the store (not of the task) ends the run Crashed; a future's outcome never rejects. */
  private async runSafely(): Promise<Outcome> {
    const outcome = await this.run().catch((error: unknown) => {
      const state = this.setState("Crashed", `Skein could not run this task: ${errorMessage(error)}`, {
        error: errorText(error),
      });
      return { state, error };
    });
    // The body may have been paused at a breakpoint: a stop asked for meanwhile ends the flow before it goes on.
    if (underDebugger()) await takePendingStops();
    return outcome;
  }

  private async run(): Promise<Outcome> {
    if (this.nameError) return this.fail(this.nameError);
    if (this.upstream.length) {
      const blocking = await awaitUpstream(this.upstream);
      if (blocking) {
        const error = new UpstreamNotReadyError(this.name, blocking.taskRunName);
        return { state: this.setState("NotReady", error.message, { upstreamTaskRunId: blocking.taskRunId }), error };
      }
      this.args = await resolveArguments(this.args);
    }
    const edited = this.flowRun.editedInputs(this.definition.key, this.dynamicKey);
    if (edited) {
      try {
        this.args = withEditedInputs(this.definition.name, this.definition.fn, this.args, edited);
      } catch (error) {
        return this.fail(error);
      }
    }
    this.recordInputs();
    const reused = this.reuseEarlierAttempt();
    if (reused) return reused;
    let cacheKey: string | null;
    try {
      cacheKey = this.cacheKey();
    } catch (error) {
      return this.fail(error);
    }
    if (cacheKey && !this.definition.options.refreshCache) {
      const hit = await this.readCache(cacheKey);
      if (hit) return hit;
    }
    return this.runWithTagSlots(cacheKey);
  }

  /** The arguments it runs with, once known, in the store (engine/task-inputs.ts says what is kept and what not). */
  private recordInputs(): void {
    const { name, fn, options } = this.definition;
    const recorded = recordInputs(name, fn, this.args, options.persistInputs ?? this.flowRun.persistInputs);
    emit({
      kind: "task-run-inputs",
      id: `${this.id}.inputs`,
      timestamp: new Date().toISOString(),
      flowRunId: this.flowRun.id,
      taskRunId: this.id,
      ...recorded,
    });
  }

  /** A retried flow run keeps what its earlier attempts completed; a rerun what the run it reruns completed. */
  private reuseEarlierAttempt(): Outcome | undefined {
    const earlier = this.flowRun.earlierResult(this.definition.key, this.dynamicKey);
    if (!earlier) return undefined;
    const from = earlier.flowRunId ? `of flow run ${earlier.flowRunId}` : "from an earlier attempt";
    const state = this.setState(
      "Cached",
      `Reused the result of task run ${earlier.taskRunId} ${from}`,
      { cachedFromTaskRunId: earlier.taskRunId },
      earlier.serialized,
    );
    return { state, value: earlier.value() };
  }

  private cacheKey(): string | null {
    const { cacheKeyFn, cachePolicy } = this.definition.options;
    if (!cacheKeyFn && !cachePolicy) return null;
    const context: CacheKeyContext = {
      taskName: this.definition.name,
      taskKey: this.definition.key,
      taskSource: this.definition.fn.toString(),
      flowRunId: this.flowRun.id,
      flowParameters: this.flowRun.parameters,
      parameters: this.parameters(),
    };
    if (cacheKeyFn) return cacheKeyFn(context, this.args) ?? null;
    return policyCacheKey(cachePolicy ?? cachePolicies.NONE, context, this.args);
  }

  /** Where the task's cache entries live in the store; without a definition site, the project is the working directory. */
  private cacheEntryKey(cacheKey: string): string {
    return cacheEntryKey(
      { project: this.definition.site?.project ?? process.cwd(), taskKey: this.definition.key },
      cacheKey,
    );
  }

  private async readCache(cacheKey: string): Promise<Outcome | undefined> {
    const entry = await getStore().readCache(this.cacheEntryKey(cacheKey));
    if (!entry) return undefined;
    const message = `Cache hit on key ${cacheKey} from task run ${entry.taskRunId} (flow run ${entry.flowRunId})`;
    const state = this.setState("Cached", message, { cacheKey, cachedFromTaskRunId: entry.taskRunId }, entry.value);
    return { state, value: deserialize(entry.value) };
  }

  /**
   * Every wait from here on (tag slots, attempts, retry delays) ends at once when the flow run stops its task runs.
   * The slots are freed once the run has ended, so a failure to free them is logged: no rule moves a run out of
   * its final state.
   */
  private async runWithTagSlots(cacheKey: string | null): Promise<Outcome> {
    let tagLease: Awaited<ReturnType<typeof acquireTagSlots>> | undefined;
    let outcome: Outcome;
    try {
      if (this.tags.length) tagLease = await acquireTagSlots(this.tags, this.flowRun.signal);
      outcome = await this.runAttempts(cacheKey);
    } catch (error) {
      const aborted = this.abortedBy(error);
      outcome = aborted ? this.abort(aborted) : await this.fail(error);
    }
    await tagLease?.release().catch((error: unknown) => {
      const slots = this.tags.map((tag) => `tag:${tag}`).join(", ");
      emitLog(this.scope, "error", `Task run '${this.name}' could not free its slots of ${slots}: ${errorText(error)}`);
    });
    return outcome;
  }

  private async runAttempts(cacheKey: string | null): Promise<Outcome> {
    const { options } = this.definition;
    for (let retryNumber = 0; ; retryNumber++) {
      this.setState(retryNumber === 0 ? "Running" : "Retrying");
      await this.hooks(options.onRunning);
      let value: unknown;
      try {
        value = await runGuarded((guard) => this.invoke(guard), {
          timeoutSeconds: options.timeoutSeconds,
          what: `Task run '${this.name}'`,
          parent: this.flowRun.signal,
          run: {
            runKind: "task",
            runId: this.id,
            flowRunId: this.flowRun.id,
            state: this.state.name,
            flowRunState: this.flowRun.state!.name,
          },
        });
      } catch (error) {
        if (this.abortedBy(error)) throw error; // stopped from outside: never retried; runWithTagSlots ends the run
        if (!(await this.shouldRetry(error, retryNumber + 1))) return this.fail(error);
        await this.awaitRetry(error, retryNumber + 1);
        continue;
      }
      return this.complete(value, cacheKey);
    }
  }

  private async awaitRetry(error: unknown, retryNumber: number): Promise<void> {
    const retry = planRetry(this.definition.options, retryNumber, error);
    this.setState("AwaitingRetry", retry.message, { scheduledTime: retry.scheduledTime });
    // A cancellation or the flow's timeout during the delay rejects with the flow's abort reason, which
    // runWithTagSlots turns into the final state.
    await sleep(retry.delayMs, this.flowRun.signal);
  }

  private invoke(guard: { readonly signal: AbortSignal }): unknown {
    const { fn, options } = this.definition;
    // A task's logPrints overrides its flow's, so the capture may be needed by a task of a flow without it.
    if (options.logPrints) captureConsoleForLogPrints();
    const scope: RunScope = {
      flowRun: this.flowRun,
      taskRun: { id: this.id, name: this.name, guard, logPrints: options.logPrints },
    };
    return runScope.run(scope, () => fn.apply(this.thisArg, this.args));
  }

  private async shouldRetry(error: unknown, retryNumber: number): Promise<boolean> {
    const { retries = 0, retryCondition } = this.definition.options;
    if (retryNumber > retries) return false;
    if (!retryCondition) return true;
    return runScope.run(this.scope, () => retryCondition(error, { retryNumber, state: this.state }));
  }

  private async complete(value: unknown, cacheKey: string | null): Promise<Outcome> {
    const serialized = this.persist(value, cacheKey !== null);
    // A cache entry is stored as it is: one holding a secret would have to be masked, and a hit would return ****.
    const holdsSecret = serialized !== undefined && containsSecret(serialized);
    if (cacheKey && holdsSecret) {
      emitLog(this.scope, "warning", `Task run '${this.name}' returned a secret value: its result is not cached`);
    } else if (cacheKey && serialized !== undefined) {
      const { cacheExpiration } = this.definition.options;
      const expiresAt =
        cacheExpiration === undefined ? null : new Date(Date.now() + cacheExpiration * 1000).toISOString();
      await getStore().writeCache({
        key: this.cacheEntryKey(cacheKey),
        value: serialized,
        taskRunId: this.id,
        flowRunId: this.flowRun.id,
        expiresAt,
      });
    }
    this.flowRun.rememberResult(this.definition.key, this.dynamicKey, this.id, value, serialized);
    const state = this.setState("Completed", undefined, cacheKey ? { cacheKey } : undefined, serialized);
    await this.hooks(this.definition.options.onCompletion);
    return { state, value };
  }

  /** The result as text. Required when caching or asked for; otherwise best effort. */
  private persist(value: unknown, cached: boolean): string | undefined {
    const required = cached || (this.definition.options.persistResult ?? this.flowRun.persistResult) === true;
    const wanted = (this.definition.options.persistResult ?? this.flowRun.persistResult) !== false;
    if (!required && !wanted) return undefined;
    try {
      return serialize(value, `Task '${this.definition.name}' (run '${this.name}')`);
    } catch (error) {
      if (required) throw error;
      return undefined;
    }
  }

  /**
   * Why the flow run stopped this task run, if `error` says it did: a cancellation or crash (RunAbortedError), or the
   * reason the flow run aborted its task runs' signal with (its own timeout), which ends the task run Cancelled.
   */
  private abortedBy(error: unknown): RunAbortedError | undefined {
    if (error instanceof RunAbortedError) return error;
    const signal = this.flowRun.signal;
    if (signal.aborted && error === signal.reason) {
      return new RunAbortedError(`Flow run '${this.flowRun.name}' ended: ${errorMessage(error)}`, "Cancelled");
    }
    return undefined;
  }

  private async fail(error: unknown): Promise<Outcome> {
    // Only this run's own timeout ends it TimedOut; an inner task run's timeout that escaped it is a failure.
    const name = error instanceof RunTimeoutError && error.runId === this.id ? "TimedOut" : "Failed";
    logRunFailure(this.flowRun.id, this.id, error);
    const state = this.setState(name, errorMessage(error), { error: errorText(error) });
    await this.hooks(this.definition.options.onFailure);
    return { state, error };
  }

  private abort(reason: RunAbortedError): Outcome {
    const state = this.setState(reason.outcome, reason.message);
    return { state, error: reason };
  }

  private async hooks(hooks: TaskOptions["onRunning"]): Promise<void> {
    if (!hooks?.length) return;
    const info: RunInfo = { id: this.id, name: this.name, parameters: this.parameters() };
    await runHooks(hooks, this.definition, info, this.state, this.scope);
  }
}
