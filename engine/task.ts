// Declaring tasks: task(fn), task(options, fn), @task(options) — and the callable a task is: call it to run a
// task run, .submit() / .map() for futures, .fn for the bare function, .withOptions() for a copy.
import { formatTaskKey } from "../protocol/task-keys.ts";
import { declare, type MethodDecorator } from "./decorators.ts";
import { type DefinitionSite, definitionSite, sourceSite } from "./definition-site.ts";
import type { SourceSite } from "../protocol/run-events.ts";
import { SkeinError } from "./errors.ts";
import { type TaskFuture, Unmapped } from "./futures.ts";
import type { TaskOptions } from "./options.ts";
import { startTaskRun } from "./task-run.ts";

export interface TaskDefinition {
  name: string;
  fn: Function;
  options: TaskOptions;
  /** Where the task is defined, when the stack showed it. */
  site?: DefinitionSite;
  /** The site as task-run-created events carry it. */
  source?: SourceSite;
  /** Name and definition site (protocol/task-keys.ts): the task's identity in cache keys and, with the call count,
   * the name of a task run across retries. */
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
  const site = definitionSite(task);
  return declare<TaskOptions>(args, (fn, options, methodName) => {
    const name = options.name ?? (methodName || fn.name || site?.variable || "task");
    return taskCallable({ name, fn, options, site, source: sourceSite(site), key: formatTaskKey({ name, site }) });
  });
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
  // A copy defined at the same place is the same task unless it is renamed.
  callable.withOptions = (options: TaskOptions) => {
    const name = options.name ?? definition.name;
    const key = formatTaskKey({ name, site: definition.site });
    return taskCallable({ ...definition, options: { ...definition.options, ...options }, name, key });
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
