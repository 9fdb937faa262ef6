// Declaring flows: flow(fn), flow(options, fn), @flow(options). Calling a flow starts a flow run (a subflow run
// inside another flow) and resolves to its result; runFlow(f, args, { returnState: true }) gives the final state.
import { declare, type MethodDecorator } from "./decorators.ts";
import { definitionSite, sourceSite } from "./definition-site.ts";
import type { SourceSite } from "../protocol/run-events.ts";
import { SkeinError } from "./errors.ts";
import { runFlowRun, type FlowRunRequest, type RunState } from "./flow-run.ts";
import type { FlowOptions } from "./options.ts";

export interface FlowDefinition {
  name: string;
  fn: Function;
  options: FlowOptions;
  /** Where the flow is defined: the source of the task run that stands for its subflow runs. */
  source?: SourceSite;
}

const DEFINITION = Symbol("skein.flow");

export interface Flow<A extends unknown[], R> {
  (...args: A): Promise<Awaited<R>>;
  fn: (...args: A) => R;
  withOptions(options: FlowOptions): Flow<A, R>;
  readonly [DEFINITION]: FlowDefinition;
}

export function flow<F extends (this: any, ...args: any[]) => any>(
  value: F,
  context: ClassMethodDecoratorContext<any, any>,
): F;
// F rather than (...args: A) => R, so parameters with a default and no annotation keep the default's type.
export function flow<F extends (...args: any[]) => any>(fn: F): Flow<Parameters<F>, ReturnType<F>>;
export function flow<F extends (...args: any[]) => any>(
  options: FlowOptions,
  fn: F,
): Flow<Parameters<F>, ReturnType<F>>;
export function flow(options?: FlowOptions): MethodDecorator;
export function flow(...args: any[]): unknown {
  const site = definitionSite(flow);
  return declare<FlowOptions>(args, (fn, options, methodName) =>
    flowCallable({
      name: options.name ?? (methodName || fn.name || site?.variable || "flow"),
      fn,
      options,
      source: sourceSite(site),
    }),
  );
}

function flowCallable(definition: FlowDefinition): Flow<unknown[], unknown> {
  const callable = function (this: unknown, ...args: unknown[]) {
    return runFlowRun(definition, { thisArg: this, args });
  } as Flow<unknown[], unknown>;
  Object.defineProperty(callable, "name", { value: definition.name });
  Object.defineProperty(callable, DEFINITION, { value: definition });
  callable.fn = definition.fn as (...args: unknown[]) => unknown;
  callable.withOptions = (options: FlowOptions) =>
    flowCallable({
      ...definition,
      options: { ...definition.options, ...options },
      name: options.name ?? definition.name,
    });
  return callable;
}

export function flowDefinition(value: unknown): FlowDefinition | undefined {
  return typeof value === "function" ? (value as Partial<Flow<unknown[], unknown>>)[DEFINITION] : undefined;
}

export interface RunFlowOptions extends Omit<FlowRunRequest, "args" | "parameters" | "thisArg" | "returnState"> {
  /** Resolve to the final State (with .result()) instead of the result, and never throw for a failed run. */
  returnState?: boolean;
  thisArg?: unknown;
}

/**
 * Runs a flow as a top-level flow run. `params` is the positional arguments (an array) or the parameters by
 * name (an object, as `skein run --params` gives them). With `returnState: true` it resolves to the final State.
 */
export function runFlow<A extends unknown[], R>(
  f: (...args: A) => R,
  params: NoInfer<A> | Record<string, unknown>,
  options: RunFlowOptions & { returnState: true },
): Promise<RunState<Awaited<R>>>;
export function runFlow<A extends unknown[], R>(
  f: (...args: A) => R,
  params?: NoInfer<A> | Record<string, unknown>,
  options?: RunFlowOptions,
): Promise<Awaited<R>>;
export function runFlow(
  f: Function,
  params: unknown[] | Record<string, unknown> = [],
  options: RunFlowOptions = {},
): Promise<unknown> {
  const definition = flowDefinition(f);
  if (!definition)
    throw new SkeinError(
      `runFlow() expects a flow (made with flow() or @flow), got ${typeof f === "function" ? `function ${f.name}` : typeof f}`,
    );
  return runFlowRun(
    definition,
    Array.isArray(params) ? { ...options, args: params } : { ...options, parameters: params },
  );
}
