// Global concurrency limits held in the store, so they hold across processes: `concurrency(name, occupy)` takes
// slots for a block of work, `rateLimit(name)` takes slots that free up by slot decay, and a task's tags take a
// slot of the limit named `tag:<tag>` when one exists. Leases of a process that dies are freed by the next taker.
import { getStore } from "../runtime.ts";
import { sleep } from "../retries.ts";
import { SkeinError } from "../errors.ts";
import type { ConcurrencyLimitStore } from "../../store/types.ts";

/** The part of the store this file uses. */
const limitStore = (): ConcurrencyLimitStore => getStore();

const POLL_MS = { first: 10, max: 250 };

export interface ConcurrencyLease extends AsyncDisposable {
  release(): Promise<void>;
}

async function acquire(names: string[], slots: number, decaying: boolean, signal?: AbortSignal): Promise<string[]> {
  const store = limitStore();
  let wait = POLL_MS.first;
  for (;;) {
    const result = await store.tryAcquireLeases({ names, slots, holderPid: process.pid, decaying });
    if (result.acquired) return result.leaseIds;
    if (result.missing.length) {
      // A tag without a limit does not limit; drop it and ask again for the others.
      names = names.filter((name) => !result.missing.includes(name));
      if (names.length === 0) return [];
      continue;
    }
    await sleep(wait, signal);
    wait = Math.min(wait * 2, POLL_MS.max);
  }
}

function lease(leaseIds: string[]): ConcurrencyLease {
  let released = false;
  const release = async () => {
    if (released) return;
    released = true;
    await limitStore().releaseLeases(leaseIds);
  };
  return { release, [Symbol.asyncDispose]: release };
}

/**
 * Occupies `occupy` slots of the global limit `name` (waiting while it is full) and releases them when `work`
 * ends, or when you call release() / leave an `await using` block. A limit that does not exist does not limit.
 */
export async function concurrency(name: string, occupy?: number): Promise<ConcurrencyLease>;
export async function concurrency<T>(name: string, occupy: number, work: () => T | Promise<T>): Promise<T>;
export async function concurrency<T>(
  name: string,
  occupy = 1,
  work?: () => T | Promise<T>,
): Promise<ConcurrencyLease | T> {
  const held = lease(await acquire([name], occupy, false));
  if (!work) return held;
  try {
    return await work();
  } finally {
    await held.release();
  }
}

/** Waits for a slot of the rate limit `name`; slots free up at its slotDecayPerSecond, never by release. */
export async function rateLimit(name: string, occupy = 1): Promise<void> {
  const limits = await limitStore().listConcurrencyLimits();
  const limit = limits.find((l) => l.name === name);
  if (!limit?.slotDecayPerSecond) {
    throw new SkeinError(
      `rateLimit('${name}') needs a concurrency limit with slotDecayPerSecond: setConcurrencyLimit('${name}', N, { slotDecayPerSecond: R })`,
    );
  }
  await acquire([name], occupy, true);
}

/** Takes one slot of each `tag:<tag>` limit that exists, for a task run; returns the lease to release. */
export async function acquireTagSlots(
  tags: readonly string[],
  signal: AbortSignal,
): Promise<ConcurrencyLease | undefined> {
  if (tags.length === 0) return undefined;
  const ids = await acquire(
    tags.map((tag) => `tag:${tag}`),
    1,
    false,
    signal,
  );
  return ids.length ? lease(ids) : undefined;
}

export async function setConcurrencyLimit(
  name: string,
  limit: number,
  options: { slotDecayPerSecond?: number } = {},
): Promise<void> {
  if (!Number.isInteger(limit) || limit < 0)
    throw new SkeinError(`Concurrency limit '${name}' must be a whole number ≥ 0, got ${limit}`);
  await limitStore().upsertConcurrencyLimit(name, limit, options.slotDecayPerSecond ?? null);
}

export async function deleteConcurrencyLimit(name: string): Promise<boolean> {
  return limitStore().deleteConcurrencyLimit(name);
}
