// The `skein` module: everything a flow file imports.
// ConcurrencyLease is AsyncDisposable (`await using`): the published .d.ts brings that lib along, as a project
// without @types/node or ESNext libs would otherwise not know the name.
/// <reference lib="esnext.disposable" preserve="true" />
export { flow, runFlow, type Flow, type RunFlowOptions } from "./flow.ts";
export type { DeployOptions, DeployResult, ScheduleOptions } from "./deploy.ts";
export type { ServeOptions } from "./serve.ts";
export { task, submit, map, type Task } from "./task.ts";
export type { RunState } from "./flow-run.ts";
export type { TaskOptions, FlowOptions, RunInfo, RetryConditionContext } from "./options.ts";
export { TaskFuture, wait, asCompleted, allowFailure, unmapped, type DoneAndNotDone } from "./futures.ts";
export { exponentialBackoff, type RetryDelaySeconds } from "./retries.ts";
export { cachePolicies, CachePolicy, type CacheKeyContext } from "./results/cache-policies.ts";
export { getRunContext, type RunContext } from "./context.ts";
export { getRunLogger, type RunLogger } from "./logging.ts";
export {
  concurrency,
  rateLimit,
  setConcurrencyLimit,
  deleteConcurrencyLimit,
  ConcurrencySlotTimeoutError,
  type ConcurrencyLease,
  type ConcurrencyOptions,
} from "./concurrency/limits.ts";
export { tags } from "./tags.ts";
export { onRunEvent, flushEvents, getStore } from "./runtime.ts";
export { cancelFlowRun } from "./active-runs.ts";
export * from "./errors.ts";
export type { State, StateType, StateName } from "../protocol/states.ts";
export type { RunEvent } from "../protocol/run-events.ts";
export {
  createMarkdownArtifact,
  createTableArtifact,
  createLinkArtifact,
  createImageArtifact,
  createProgressArtifact,
  updateProgressArtifact,
  type ArtifactOptions,
} from "./artifacts.ts";
export { Variable } from "./variables.ts";
export { Secret } from "./secrets.ts";
