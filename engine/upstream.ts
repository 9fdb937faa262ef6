// Futures passed as task arguments (directly, or inside arrays and plain objects) are upstream task runs: the
// downstream run waits for them and receives their values. An upstream that did not complete makes it NotReady,
// unless wrapped in allowFailure(), which hands over the error instead.
import { AllowFailure, TaskFuture, type Outcome } from "./futures.ts";

export interface Upstream {
  future: TaskFuture;
  allowFailure: boolean;
}

const NONE: Upstream[] = [];

export function collectUpstream(args: readonly unknown[], waitFor: readonly TaskFuture[] | undefined): Upstream[] {
  let found = NONE;
  for (const arg of args) {
    if (typeof arg === "object" && arg !== null) {
      if (found === NONE) found = [];
      findFutures(arg, found);
    }
  }
  if (waitFor?.length) {
    if (found === NONE) found = [];
    for (const future of waitFor) found.push({ future, allowFailure: false });
  }
  return found;
}

function findFutures(value: unknown, found: Upstream[]): void {
  if (typeof value !== "object" || value === null) return;
  if (value instanceof TaskFuture) found.push({ future: value, allowFailure: false });
  else if (value instanceof AllowFailure) found.push({ future: value.future, allowFailure: true });
  else if (Array.isArray(value)) for (const item of value) findFutures(item, found);
  else if (Object.getPrototypeOf(value) === Object.prototype)
    for (const item of Object.values(value)) findFutures(item, found);
}

/** The first upstream that blocks this run, or undefined when all finished well enough. */
export async function awaitUpstream(upstream: readonly Upstream[]): Promise<TaskFuture | undefined> {
  const outcomes = await Promise.all(upstream.map((u) => u.future.outcome));
  const blocking = upstream.find((u, i) => !u.allowFailure && outcomes[i].state.type !== "COMPLETED");
  return blocking?.future;
}

/** The arguments with every future replaced by its value (or, under allowFailure, by its error). */
export async function resolveArguments(args: readonly unknown[]): Promise<unknown[]> {
  const resolve = async (value: unknown): Promise<unknown> => {
    if (typeof value !== "object" || value === null) return value;
    if (value instanceof TaskFuture) return settledValue(await value.outcome);
    if (value instanceof AllowFailure) {
      const outcome = await value.future.outcome;
      return outcome.state.type === "COMPLETED" ? outcome.value : outcome.error;
    }
    if (Array.isArray(value)) return Promise.all(value.map(resolve));
    if (Object.getPrototypeOf(value) === Object.prototype) {
      const entries = await Promise.all(Object.entries(value).map(async ([k, v]) => [k, await resolve(v)] as const));
      return Object.fromEntries(entries);
    }
    return value;
  };
  return Promise.all(args.map(resolve));
}

function settledValue(outcome: Outcome): unknown {
  if (outcome.state.type !== "COMPLETED") throw outcome.error;
  return outcome.value;
}
