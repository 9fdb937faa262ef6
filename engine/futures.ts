// TaskFuture and the helpers around it: wait, asCompleted, allowFailure, unmapped.
import type { State } from "../protocol/states.ts";
import { RunStateError } from "./errors.ts";

/** How a run ended: its final state, and its value or error. A run's outcome promise never rejects. */
export interface Outcome<T = unknown> {
  state: State;
  value?: T;
  error?: unknown;
}

export class TaskFuture<T = unknown> {
  /** The current state; it moves as the task run progresses. */
  state: State;

  constructor(
    readonly taskRunId: string,
    readonly taskRunName: string,
    initial: State,
    /** Settles once, when the task run reaches a final state. */
    readonly outcome: Promise<Outcome<T>>,
  ) {
    this.state = initial;
  }

  /** Resolves to the final state, whatever it is. */
  async wait(): Promise<State> {
    return (await this.outcome).state;
  }

  /** The task's return value; rejects with its error if it did not complete. */
  async result(): Promise<T> {
    return outcomeValue(await this.outcome, `Task run '${this.taskRunName}'`);
  }
}

export function outcomeValue<T>(outcome: Outcome<T>, what: string): T {
  if (outcome.state.type === "COMPLETED") return outcome.value as T;
  throw outcome.error ?? new RunStateError(`${what} ended in state ${outcome.state.name}`);
}

/** Marks an upstream future whose failure must not stop the downstream task: it receives the error instead. */
export class AllowFailure<T = unknown> {
  constructor(readonly future: TaskFuture<T>) {}
}

export function allowFailure<T>(future: TaskFuture<T>): T {
  return new AllowFailure(future) as unknown as T;
}

/** Passes a value whole to every mapped task run instead of iterating it. */
export class Unmapped<T = unknown> {
  constructor(readonly value: T) {}
}

export function unmapped<T>(value: T): T {
  return new Unmapped(value) as unknown as T;
}

export interface DoneAndNotDone<T> {
  done: TaskFuture<T>[];
  notDone: TaskFuture<T>[];
}

/** Waits for all futures to finish (or for the timeout) and sorts them into done and not done. */
export async function wait<T>(
  futures: Iterable<TaskFuture<T>>,
  options: { timeoutSeconds?: number } = {},
): Promise<DoneAndNotDone<T>> {
  const all = [...futures];
  const finished = new Set<TaskFuture<T>>();
  const tracked = all.map((future) => future.outcome.then(() => void finished.add(future)));
  let timer: NodeJS.Timeout | undefined;
  const timeout =
    options.timeoutSeconds === undefined
      ? undefined
      : new Promise<void>((resolve) => (timer = setTimeout(resolve, options.timeoutSeconds! * 1000)));
  await Promise.race([Promise.all(tracked), ...(timeout ? [timeout] : [])]);
  clearTimeout(timer);
  return { done: all.filter((f) => finished.has(f)), notDone: all.filter((f) => !finished.has(f)) };
}

/** Yields futures in the order they finish. */
export async function* asCompleted<T>(futures: Iterable<TaskFuture<T>>): AsyncGenerator<TaskFuture<T>> {
  const queue: TaskFuture<T>[] = [];
  let notify: (() => void) | undefined;
  const all = [...futures];
  for (const future of all) {
    void future.outcome.then(() => {
      queue.push(future);
      notify?.();
    });
  }
  for (let yielded = 0; yielded < all.length; yielded++) {
    if (queue.length === 0) await new Promise<void>((resolve) => (notify = resolve));
    yield queue.shift()!;
  }
}
