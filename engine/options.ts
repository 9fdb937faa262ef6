// The options of tasks and flows (design.md), in one place.
import type { State } from "../protocol/states.ts";
import type { TaskFuture } from "./futures.ts";
import type { Hook } from "./hooks.ts";
import type { RunNameSpec } from "./names.ts";
import type { JsonSchema } from "./parameters.ts";
import type { CacheKeyContext, CachePolicy } from "./results/cache-policies.ts";
import type { RetryDelaySeconds } from "./retries.ts";

export interface RunInfo {
  id: string;
  name: string;
  parameters: Record<string, unknown>;
}

export interface RetryConditionContext {
  /** 1 for the first retry. */
  retryNumber: number;
  state: State;
}

interface CommonOptions<Owner> {
  name?: string;
  description?: string;
  version?: string;
  retries?: number;
  retryDelaySeconds?: RetryDelaySeconds;
  retryJitterFactor?: number;
  timeoutSeconds?: number;
  persistResult?: boolean;
  /**
   * Record each task run's inputs (on by default; a flow's setting is its tasks' default), so the run can be rerun
   * from that task and the task debugged again with them. Inputs holding a secret value are never recorded.
   */
  persistInputs?: boolean;
  logPrints?: boolean;
  onCompletion?: Hook<Owner, RunInfo>[];
  onFailure?: Hook<Owner, RunInfo>[];
  onRunning?: Hook<Owner, RunInfo>[];
}

export interface TaskOptions extends CommonOptions<unknown> {
  tags?: string[];
  retryCondition?: (error: unknown, context: RetryConditionContext) => boolean | Promise<boolean>;
  cachePolicy?: CachePolicy;
  /** Your own cache key, kept apart from other tasks' equal keys; null or undefined means "do not cache this call". */
  cacheKeyFn?: (context: CacheKeyContext, args: unknown[]) => string | null | undefined;
  /** Seconds a cached result stays valid. */
  cacheExpiration?: number;
  /** Run anyway and overwrite the cached result. */
  refreshCache?: boolean;
  taskRunName?: RunNameSpec;
  /** Run only after these futures finish (ordering without passing data). */
  waitFor?: TaskFuture[];
}

export interface FlowOptions extends CommonOptions<unknown> {
  flowRunName?: RunNameSpec;
  /** On by default: parameters are checked against parameterSchema, or one generated from literal defaults. */
  validateParameters?: boolean;
  parameterSchema?: JsonSchema;
  /** At most this many task runs of one flow run are running at once. */
  taskConcurrency?: number;
  tags?: string[];
  onCancellation?: Hook<unknown, RunInfo>[];
  onCrashed?: Hook<unknown, RunInfo>[];
}
