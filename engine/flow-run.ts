// One flow run, from Pending to a final state: parameters, name, attempts with retries and timeout, waiting for
// its task runs, hooks, and for a subflow the task run that stands for it in the parent.
import { hostname } from "node:os";
import { newId } from "../protocol/ids.ts";
import type { State, StateDetails, StateName } from "../protocol/states.ts";
import type { FlowRunRecord } from "../store/types.ts";
import { registerActiveRun, unregisterActiveRun } from "./active-runs.ts";
import { currentScope, runScope, type RunScope } from "./context.ts";
import { RunAbortedError, RunTimeoutError, SkeinError, errorMessage, errorText } from "./errors.ts";
import type { FlowDefinition } from "./flow.ts";
import { type EditedInputs, FlowRunState, type StoredTaskRun } from "./flow-run-state.ts";
import { outcomeValue, type Outcome } from "./futures.ts";
import { runHooks, type Hook } from "./hooks.ts";
import { captureConsoleForLogPrints, logRunFailure, nameExistingRun, printRunLinesUnlessClaimed } from "./logging.ts";
import { generateRunName, renderRunName } from "./names.ts";
import type { RunInfo } from "./options.ts";
import {
  argumentsFromParameters,
  bindParameters,
  checkDefaultTypes,
  validateParameters,
  type JsonSchema,
} from "./parameters.ts";
import { planRetry, sleep } from "./retries.ts";
import { recordableJson } from "./results/safe-json.ts";
import { serialize } from "./results/serialize.ts";
import { emit, flushEvents, getStore, prepareRuntime } from "./runtime.ts";
import { nextState } from "./states.ts";
import { takePendingStops, underDebugger } from "./debugger-stops.ts";
import { runGuarded } from "./timeouts.ts";
import { resolveArguments } from "./upstream.ts";
import { SubflowTaskRun } from "./subflow-task-run.ts";

export interface FlowRunRequest {
  args?: unknown[];
  /** Named parameters instead of positional args (CLI --param, deployments). */
  parameters?: Record<string, unknown>;
  thisArg?: unknown;
  returnState?: boolean;
  /** Run again an existing flow run that did not complete, reusing its completed task results. */
  flowRunId?: string;
  /** `file.ts:export`, recorded so the run can be retried later from the store. */
  entrypoint?: string;
  /** The schema generated from the flow's TypeScript signature (by `skein run`), used when options give none. */
  generatedParameterSchema?: JsonSchema;
  /** A rerun (`skein flow-run rerun`): stored task runs whose results this new run reuses, and inputs to edit. */
  reuse?: { taskRuns: readonly StoredTaskRun[]; edit?: EditedInputs };
}

/** A final state, plus the run's id and its value (result() throws the run's error if it did not complete). */
export interface RunState<T = unknown> extends State {
  runId: string;
  result(): T;
}

export async function runFlowRun(definition: FlowDefinition, request: FlowRunRequest): Promise<any> {
  const outcome = await new FlowRun(definition, request).run();
  if (request.returnState) return outcome.runState;
  return outcomeValue(outcome, `Flow run '${outcome.runState.runId}'`);
}

interface FlowOutcome extends Outcome {
  runState: RunState;
}

class FlowRun {
  private readonly parent: RunScope | undefined = currentScope();
  private readonly args: unknown[];
  private readonly parameters: Record<string, unknown>;
  private flowRun!: FlowRunState;
  private subflowTaskRun: SubflowTaskRun | undefined;

  constructor(
    private readonly definition: FlowDefinition,
    private readonly request: FlowRunRequest,
  ) {
    this.args = request.parameters
      ? argumentsFromParameters(definition.fn, definition.name, request.parameters)
      : (request.args ?? []);
    this.parameters = bindParameters(definition.fn, this.args);
  }

  private setState(name: StateName, message?: string, details?: StateDetails, result?: string): State {
    const state = nextState(this.flowRun.state, name, message, details);
    this.flowRun.state = state;
    emit({
      kind: "state",
      id: newId(),
      timestamp: state.timestamp,
      flowRunId: this.flowRun.id,
      runKind: "flow",
      runId: this.flowRun.id,
      state,
      result,
    });
    return state;
  }

  async run(): Promise<FlowOutcome> {
    if (!this.parent) {
      await prepareRuntime();
      printRunLinesUnlessClaimed();
    }
    let nameError: unknown;
    let name: string;
    try {
      name = this.definition.options.flowRunName
        ? renderRunName(this.definition.options.flowRunName, this.parameters, `Flow '${this.definition.name}' run`)
        : generateRunName();
    } catch (error) {
      nameError = error;
      name = generateRunName();
    }
    const existing = this.request.flowRunId ? await getStore().getFlowRun(this.request.flowRunId) : undefined;
    this.flowRun = new FlowRunState(
      this.request.flowRunId ?? newId(),
      existing?.name ?? name,
      this.definition,
      this.parameters,
    );
    const forgetName = existing ? nameExistingRun(existing.id, existing.name) : undefined;
    if (this.definition.options.logPrints) captureConsoleForLogPrints();
    if (this.parent) this.subflowTaskRun = new SubflowTaskRun(this.parent, this.definition);
    await this.begin(existing);
    registerActiveRun(this.flowRun);
    const onParentAbort = () =>
      this.flowRun.abort(this.parent!.flowRun.aborted ?? new RunAbortedError("Parent flow run stopped", "Cancelled"));
    this.parent?.flowRun.signal.addEventListener("abort", onParentAbort, { once: true });
    try {
      const outcome = nameError ? await this.fail(nameError) : await this.runAttempts();
      this.subflowTaskRun?.finish(outcome.state);
      return { ...outcome, runState: runState(outcome, this.flowRun.id) };
    } finally {
      this.parent?.flowRun.signal.removeEventListener("abort", onParentAbort);
      unregisterActiveRun(this.flowRun);
      forgetName?.();
      if (!this.parent) await flushEvents();
    }
  }

  /**
   * A new run is created Pending. A deployment run a worker claimed (Pending, no process yet) is adopted by this
   * process as it is; a run retried from the store is scheduled again and claimed by this process.
   */
  private async begin(existing: FlowRunRecord | undefined): Promise<void> {
    const run = this.flowRun;
    if (existing?.state.name === "Pending" && existing.workerName !== null && existing.pid <= 0) {
      run.state = existing.state;
      await getStore().heartbeat([run.id]);
      return;
    }
    if (existing) {
      if (existing.state.type === "COMPLETED")
        throw new SkeinError(`Flow run '${existing.name}' already completed; nothing to retry`);
      if (await getStore().isFlowRunAlive(existing.id)) {
        throw new SkeinError(
          `Flow run '${existing.name}' is still running in process ${existing.pid}; cancel it before retrying`,
        );
      }
      run.state = existing.state;
      run.reuseStoredResults(await getStore().listTaskRuns(run.id));
      this.setState("AwaitingRetry", "Retried from the store");
      await getStore().heartbeat([run.id]);
      return;
    }
    if (this.request.reuse) {
      run.reuseStoredResults(this.request.reuse.taskRuns);
      if (this.request.reuse.edit) run.editInputs(this.request.reuse.edit);
    }
    run.state = nextState(undefined, "Pending");
    emit({
      kind: "flow-run-created",
      id: newId(),
      timestamp: run.state.timestamp,
      flowRunId: run.id,
      name: run.name,
      flowName: this.definition.name,
      parameters: recordableJson(this.parameters),
      tags: this.definition.options.tags ?? [],
      parentFlowRunId: this.parent?.flowRun.id,
      parentTaskRunId: this.subflowTaskRun?.id,
      entrypoint: this.request.entrypoint,
      pid: process.pid,
      host: hostname(),
      state: run.state,
    });
    this.subflowTaskRun?.start(run.id);
  }

  private async runAttempts(): Promise<Outcome> {
    const { options } = this.definition;
    try {
      if (options.validateParameters !== false) {
        const schema = options.parameterSchema ?? this.request.generatedParameterSchema;
        // Parameters given by name (CLI, deployments) are checked as given; defaults come from the flow's own source.
        if (schema) await validateParameters(this.definition.name, schema, this.request.parameters ?? this.parameters);
        else checkDefaultTypes(this.definition.name, this.definition.fn, this.parameters);
      }
    } catch (error) {
      return this.fail(error);
    }
    // The first attempt runs on the run's initial signal; each retry starts its attempt in awaitRetry.
    for (let retryNumber = 0; ; retryNumber++) {
      const started = this.setState(
        retryNumber === 0 && this.flowRun.state?.name === "Pending" ? "Running" : "Retrying",
      );
      this.subflowTaskRun?.running(started);
      await this.hooks(options.onRunning);
      let value: unknown;
      try {
        value = await this.attempt();
        // A run cancelled while its function finished anyway (it caught its task's cancellation, or it was paused
        // at a breakpoint when the debug session was stopped) ends Cancelled, not Completed.
        if (underDebugger()) await takePendingStops();
        if (this.flowRun.aborted) throw this.flowRun.aborted;
      } catch (error) {
        if (error instanceof RunAbortedError || this.flowRun.aborted)
          return this.abort(this.flowRun.aborted ?? (error as RunAbortedError));
        if (retryNumber >= (options.retries ?? 0)) return this.fail(error);
        try {
          await this.awaitRetry(error, retryNumber + 1);
        } catch (reason) {
          return this.abort(reason as RunAbortedError);
        }
        continue;
      }
      try {
        return await this.complete(value);
      } catch (error) {
        return this.fail(error); // a result that cannot be persisted: retrying would not change it
      }
    }
  }

  private async awaitRetry(error: unknown, retryNumber: number): Promise<void> {
    const retry = planRetry(this.definition.options, retryNumber, error);
    this.setState("AwaitingRetry", retry.message, { scheduledTime: retry.scheduledTime });
    // The failed attempt's signal has fired: the delay waits on the next attempt's fresh one (a cancellation still
    // ends it), and the next attempt's task runs count their keys from 0 again.
    this.flowRun.startAttempt();
    await sleep(retry.delayMs, this.flowRun.signal);
  }

  /** The flow function under its timeout, then its task runs; futures in the return value are resolved. */
  private async attempt(): Promise<unknown> {
    const { fn, options } = this.definition;
    const run = this.flowRun;
    try {
      // The timeout covers the flow function and the task runs it leaves running.
      const value = await runGuarded(
        async () => {
          const returned = await runScope.run({ flowRun: run }, () => fn.apply(this.request.thisArg, this.args));
          await run.settle();
          return returned;
        },
        {
          timeoutSeconds: options.timeoutSeconds,
          what: `Flow run '${run.name}'`,
          parent: run.signal,
          run: {
            runKind: "flow",
            runId: run.id,
            flowRunId: run.id,
            state: run.state!.name,
            flowRunState: run.state!.name,
          },
        },
      );
      const [resolved] = await resolveArguments([value]);
      return resolved;
    } catch (error) {
      // Stop this attempt's task runs (e.g. on timeout) before retrying or failing.
      if (!run.aborted) run.endAttempt(error);
      await run.settle();
      throw error;
    }
  }

  private async complete(value: unknown): Promise<Outcome> {
    const persist = this.definition.options.persistResult;
    let serialized: string | undefined;
    if (persist !== false) {
      try {
        serialized = serialize(value, `Flow '${this.definition.name}' (run '${this.flowRun.name}')`);
      } catch (error) {
        if (persist === true) throw error;
      }
    }
    const state = this.setState("Completed", undefined, undefined, serialized);
    await this.hooks(this.definition.options.onCompletion);
    return { state, value };
  }

  private async fail(error: unknown): Promise<Outcome> {
    // A subflow's or task run's timeout that escaped the flow function is a failure of this run, whatever its name.
    const ownTimeout = error instanceof RunTimeoutError && error.runId === this.flowRun.id;
    logRunFailure(this.flowRun.id, undefined, error);
    const state = this.setState(ownTimeout ? "TimedOut" : "Failed", errorMessage(error), { error: errorText(error) });
    await this.hooks(this.definition.options.onFailure);
    return { state, error };
  }

  private async abort(reason: RunAbortedError): Promise<Outcome> {
    if (reason.outcome === "Crashed") logRunFailure(this.flowRun.id, undefined, reason);
    const state = this.setState(reason.outcome, reason.message);
    const { onCancellation, onCrashed } = this.definition.options;
    await this.hooks(reason.outcome === "Cancelled" ? onCancellation : onCrashed);
    return { state, error: reason };
  }

  private hooks(hooks: Hook<unknown, RunInfo>[] | undefined): Promise<void> {
    const run = this.flowRun;
    return runHooks(hooks, this.definition, { id: run.id, name: run.name, parameters: run.parameters }, run.state!, {
      flowRun: run,
    });
  }
}

function runState(outcome: Outcome, runId: string): RunState {
  const state = { ...outcome.state, runId } as RunState;
  Object.defineProperty(state, "result", {
    value: () => outcomeValue(outcome, `Flow run ${runId}`),
    enumerable: false,
  });
  return state;
}
