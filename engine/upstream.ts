// Futures passed as task arguments (directly, or inside arrays and plain objects) are upstream task runs: the
// downstream run waits for them and receives their values. An upstream that did not complete makes it NotReady,
// unless wrapped in allowFailure(), which hands over the error instead. Arguments may contain themselves (a node whose
// parent points back at it): each object is visited once.
import { AllowFailure, TaskFuture, type Outcome } from "./futures.ts";

export interface Upstream {
  future: TaskFuture;
  allowFailure: boolean;
}

const NONE: Upstream[] = [];

export function collectUpstream(args: readonly unknown[], waitFor: readonly TaskFuture[] | undefined): Upstream[] {
  let found = NONE;
  let visited: Set<object> | undefined;
  for (const arg of args) {
    if (typeof arg === "object" && arg !== null) {
      if (found === NONE) found = [];
      visited ??= new Set();
      findFutures(arg, found, visited);
    }
  }
  if (waitFor?.length) {
    if (found === NONE) found = [];
    for (const future of waitFor) found.push({ future, allowFailure: false });
  }
  return found;
}

function findFutures(value: unknown, found: Upstream[], visited: Set<object>): void {
  if (typeof value !== "object" || value === null || visited.has(value)) return;
  visited.add(value);
  if (value instanceof TaskFuture) found.push({ future: value, allowFailure: false });
  else if (value instanceof AllowFailure) found.push({ future: value.future, allowFailure: true });
  else if (Array.isArray(value)) for (const item of value) findFutures(item, found, visited);
  else if (Object.getPrototypeOf(value) === Object.prototype)
    for (const item of Object.values(value)) findFutures(item, found, visited);
}

/** The first upstream that blocks this run, or undefined when all finished well enough. */
export async function awaitUpstream(upstream: readonly Upstream[]): Promise<TaskFuture | undefined> {
  const outcomes = await Promise.all(upstream.map((u) => u.future.outcome));
  const blocking = upstream.find((u, i) => !u.allowFailure && outcomes[i].state.type !== "COMPLETED");
  return blocking?.future;
}

/**
 * The arguments with every future replaced by its value (or, under allowFailure, by its error), in copies of the
 * arrays and plain objects that hold them. An object met again (a cycle) gets its one copy, filled or not yet.
 */
export async function resolveArguments(args: readonly unknown[]): Promise<unknown[]> {
  let copies: Map<object, unknown> | undefined;
  const resolve = async (value: unknown): Promise<unknown> => {
    if (typeof value !== "object" || value === null) return value;
    if (value instanceof TaskFuture) return settledValue(await value.outcome);
    if (value instanceof AllowFailure) {
      const outcome = await value.future.outcome;
      return outcome.state.type === "COMPLETED" ? outcome.value : outcome.error;
    }
    copies ??= new Map();
    if (copies.has(value)) return copies.get(value);
    if (Array.isArray(value)) {
      const copy: unknown[] = new Array(value.length);
      copies.set(value, copy);
      const items = await Promise.all(value.map(resolve));
      for (let i = 0; i < items.length; i++) copy[i] = items[i];
      return copy;
    }
    if (Object.getPrototypeOf(value) === Object.prototype) {
      const copy: Record<string, unknown> = {};
      copies.set(value, copy);
      const entries = await Promise.all(Object.entries(value).map(async ([k, v]) => [k, await resolve(v)] as const));
      // defineProperty, not assignment: a "__proto__" key stays a key instead of replacing the prototype.
      for (const [k, v] of entries)
        Object.defineProperty(copy, k, { value: v, writable: true, enumerable: true, configurable: true });
      return copy;
    }
    return value;
  };
  return Promise.all(args.map(resolve));
}

function settledValue(outcome: Outcome): unknown {
  if (outcome.state.type !== "COMPLETED") throw outcome.error;
  return outcome.value;
}
