// Declaring tasks: task(fn), task(options, fn), @task(options) — and the callable a task is: call it to run a
// task run, .submit() / .map() for futures, .fn for the bare function, .withOptions() for a copy.
import { createHash } from "node:crypto";
import { declare, type MethodDecorator } from "./decorators.ts";
import { SkeinError } from "./errors.ts";
import { type TaskFuture, Unmapped } from "./futures.ts";
import type { TaskOptions } from "./options.ts";
import { startTaskRun } from "./task-run.ts";

export interface TaskDefinition {
  name: string;
  /** True when the name was given, not taken from the function. */
  named: boolean;
  fn: Function;
  options: TaskOptions;
  /** Stable across processes: name plus a hash of the source. (taskKey, call count) names a task run. */
  key: string;
}

const DEFINITION = Symbol("skein.task");

/** Arguments may be futures of upstream task runs: the run waits for them and receives their values. */
export type MaybeFutures<A extends unknown[]> = { [K in keyof A]: A[K] | TaskFuture<A[K]> };

export interface Task<A extends unknown[], R> {
  (...args: MaybeFutures<A>): Promise<Awaited<R>>;
  submit(...args: MaybeFutures<A>): TaskFuture<Awaited<R>>;
  /** One task run per item; iterables are zipped, other arguments and unmapped(x) are passed whole. */
  map(...args: { [K in keyof A]: Iterable<A[K]> | A[K] }): TaskFuture<Awaited<R>>[];
  /** The bare function, without orchestration. */
  fn: (...args: A) => R;
  withOptions(options: TaskOptions): Task<A, R>;
  readonly [DEFINITION]: TaskDefinition;
}

export function task<F extends (this: any, ...args: any[]) => any>(
  value: F,
  context: ClassMethodDecoratorContext<any, any>,
): F;
// F rather than (...args: A) => R, so parameters with a default and no annotation keep the default's type.
export function task<F extends (...args: any[]) => any>(fn: F): Task<Parameters<F>, ReturnType<F>>;
export function task<F extends (...args: any[]) => any>(
  options: TaskOptions,
  fn: F,
): Task<Parameters<F>, ReturnType<F>>;
export function task(options?: TaskOptions): MethodDecorator;
export function task(...args: any[]): unknown {
  return declare<TaskOptions>(args, makeTask);
}

function makeTask(fn: Function, options: TaskOptions, fallbackName?: string): Function {
  const name = options.name ?? (fallbackName || fn.name || "task");
  return taskCallable({ name, named: options.name !== undefined, fn, options, key: taskKey(name, fn) });
}

function taskKey(name: string, fn: Function): string {
  return `${name}-${createHash("sha1").update(fn.toString()).digest("hex").slice(0, 8)}`;
}

function taskCallable(definition: TaskDefinition): Task<unknown[], unknown> {
  const callable = function (this: unknown, ...args: unknown[]) {
    return startTaskRun(definition, this, args).result();
  } as Task<unknown[], unknown>;
  Object.defineProperty(callable, "name", { value: definition.name });
  Object.defineProperty(callable, DEFINITION, { value: definition });
  callable.submit = function (this: unknown, ...args: unknown[]) {
    return startTaskRun(definition, this, args);
  };
  callable.map = (...args: unknown[]) => mapTask(definition, args);
  callable.fn = definition.fn as (...args: unknown[]) => unknown;
  callable.withOptions = (options: TaskOptions) => {
    const renamed = options.name !== undefined && options.name !== definition.name;
    return taskCallable({
      ...definition,
      options: { ...definition.options, ...options },
      name: options.name ?? definition.name,
      named: definition.named || renamed,
      key: renamed ? taskKey(options.name!, definition.fn) : definition.key,
    });
  };
  return callable;
}

export function taskDefinition(value: unknown): TaskDefinition | undefined {
  return typeof value === "function" ? (value as Partial<Task<unknown[], unknown>>)[DEFINITION] : undefined;
}

function requireTask(value: unknown, what: string): TaskDefinition {
  const definition = taskDefinition(value);
  if (!definition) throw new SkeinError(`${what}() expects a task (made with task() or @task), got ${typeof value}`);
  return definition;
}

/** `t.submit(...)` for decorated methods, whose static type cannot carry .submit. */
export function submit<A extends unknown[], R>(
  fn: (...args: A) => R,
  ...args: MaybeFutures<A>
): TaskFuture<Awaited<R>> {
  return startTaskRun(requireTask(fn, "submit"), undefined, args) as TaskFuture<Awaited<R>>;
}

/** `t.map(...)` for decorated methods. */
export function map<A extends unknown[], R>(
  fn: (...args: A) => R,
  ...args: { [K in keyof A]: Iterable<A[K]> | A[K] }
): TaskFuture<Awaited<R>>[] {
  return mapTask(requireTask(fn, "map"), args) as TaskFuture<Awaited<R>>[];
}

function isMappable(value: unknown): value is Iterable<unknown> {
  return typeof value === "object" && value !== null && !(value instanceof Unmapped) && Symbol.iterator in value;
}

function mapTask(definition: TaskDefinition, args: readonly unknown[]): TaskFuture[] {
  const columns = args.map((arg) => (isMappable(arg) ? [...arg] : undefined));
  const lengths = columns.flatMap((column, i) => (column ? [{ i, length: column.length }] : []));
  if (lengths.length === 0) {
    throw new SkeinError(
      `${definition.name}.map() needs at least one iterable argument (wrap values to pass whole in unmapped())`,
    );
  }
  if (lengths.some(({ length }) => length !== lengths[0].length)) {
    throw new SkeinError(
      `${definition.name}.map() got iterables of different lengths: ${lengths.map(({ i, length }) => `argument ${i} has ${length}`).join(", ")}`,
    );
  }
  const statics = args.map((arg) => (arg instanceof Unmapped ? arg.value : arg));
  return Array.from({ length: lengths[0].length }, (_, row) =>
    startTaskRun(
      definition,
      undefined,
      columns.map((column, i) => (column ? column[row] : statics[i])),
    ),
  );
}

/** Names tasks declared with anonymous functions after the export that holds them. */
export function nameAnonymousTasks(exports: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(exports)) {
    const definition = taskDefinition(value);
    if (definition && !definition.named && !definition.fn.name) {
      definition.name = key;
      definition.key = taskKey(key, definition.fn);
    }
  }
}
