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

export interface ConcurrencyOptions {
  /** Give up with a ConcurrencySlotTimeoutError when the slots are not had within this many seconds. */
  timeoutSeconds?: number;
}

/** The slots of a limit were not had within `timeoutSeconds`. */
export class ConcurrencySlotTimeoutError extends SkeinError {
  constructor(
    readonly what: string,
    readonly timeoutSeconds: number,
  ) {
    super(`${what} did not get its slots within ${timeoutSeconds} s (timeoutSeconds); the limit stayed full`);
  }
}

export interface ConcurrencyLease extends AsyncDisposable {
  release(): Promise<void>;
}

interface Acquiring {
  /** The call that waits, for errors: "concurrency('db', 5)". */
  what: string;
  decaying: boolean;
  signal?: AbortSignal;
  timeoutSeconds?: number;
}

async function acquire(names: string[], slots: number, acquiring: Acquiring): Promise<string[]> {
  const { what, decaying, signal, timeoutSeconds } = acquiring;
  if (timeoutSeconds !== undefined && !(timeoutSeconds >= 0 && Number.isFinite(timeoutSeconds)))
    throw new SkeinError(`${what}: timeoutSeconds must be a number of seconds ≥ 0, got ${timeoutSeconds}`);
  const deadline = timeoutSeconds === undefined ? Number.POSITIVE_INFINITY : Date.now() + timeoutSeconds * 1000;
  const store = limitStore();
  let wait = POLL_MS.first;
  let sizesChecked = false;
  for (;;) {
    const result = await store.tryAcquireLeases({ names, slots, holderPid: process.pid, decaying });
    if (result.acquired) return result.leaseIds;
    if (result.missing.length) {
      // A tag without a limit does not limit; drop it and ask again for the others.
      names = names.filter((name) => !result.missing.includes(name));
      if (names.length === 0) return [];
      continue;
    }
    if (!sizesChecked) {
      sizesChecked = true;
      await failWhenNeverEnough(result.full, slots, what);
    }
    const left = deadline - Date.now();
    if (left <= 0) throw new ConcurrencySlotTimeoutError(what, timeoutSeconds!);
    await sleep(Math.min(wait, left), signal);
    wait = Math.min(wait * 2, POLL_MS.max);
  }
}

/**
 * Asking for more slots than a limit has would wait forever: say so at once. A limit of 0 is a limit paused on
 * purpose (raising it lets the waiters in), so that one is waited for.
 */
async function failWhenNeverEnough(full: readonly string[], slots: number, what: string): Promise<void> {
  const limits = await limitStore().listConcurrencyLimits();
  const tooSmall = limits.find((limit) => full.includes(limit.name) && limit.limit > 0 && slots > limit.limit);
  if (tooSmall) {
    const { name, limit } = tooSmall;
    throw new SkeinError(
      `${what} can never run: the concurrency limit '${name}' has ${limit} slot${limit === 1 ? "" : "s"} and ` +
        `${slots} were asked for. Ask for at most ${limit}, or raise the limit: setConcurrencyLimit('${name}', ${slots})`,
    );
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
 * ends, or when you call release() / leave an `await using` block. A limit that does not exist does not limit;
 * asking for more slots than the limit has fails at once; `timeoutSeconds` bounds the wait.
 */
export async function concurrency(
  name: string,
  occupy?: number,
  options?: ConcurrencyOptions,
): Promise<ConcurrencyLease>;
export async function concurrency<T>(
  name: string,
  occupy: number,
  work: () => T | Promise<T>,
  options?: ConcurrencyOptions,
): Promise<T>;
export async function concurrency<T>(
  name: string,
  occupy = 1,
  workOrOptions?: (() => T | Promise<T>) | ConcurrencyOptions,
  options: ConcurrencyOptions = {},
): Promise<ConcurrencyLease | T> {
  const work = typeof workOrOptions === "function" ? workOrOptions : undefined;
  const { timeoutSeconds } = typeof workOrOptions === "object" ? workOrOptions : options;
  const what = `concurrency('${name}', ${occupy})`;
  const held = lease(await acquire([name], occupy, { what, decaying: false, timeoutSeconds }));
  if (!work) return held;
  try {
    return await work();
  } finally {
    await held.release();
  }
}

/**
 * Waits for a slot of the rate limit `name`; slots free up at its slotDecayPerSecond, never by release. Asking for
 * more slots than the limit has fails at once; `timeoutSeconds` bounds the wait.
 */
export async function rateLimit(name: string, occupy = 1, options: ConcurrencyOptions = {}): Promise<void> {
  const limits = await limitStore().listConcurrencyLimits();
  const limit = limits.find((l) => l.name === name);
  if (!limit?.slotDecayPerSecond) {
    throw new SkeinError(
      `rateLimit('${name}') needs a concurrency limit with slotDecayPerSecond: setConcurrencyLimit('${name}', N, { slotDecayPerSecond: R })`,
    );
  }
  const what = `rateLimit('${name}', ${occupy})`;
  await acquire([name], occupy, { what, decaying: true, timeoutSeconds: options.timeoutSeconds });
}

/** Takes one slot of each `tag:<tag>` limit that exists, for a task run; returns the lease to release. */
export async function acquireTagSlots(
  tags: readonly string[],
  signal: AbortSignal,
): Promise<ConcurrencyLease | undefined> {
  if (tags.length === 0) return undefined;
  const names = tags.map((tag) => `tag:${tag}`);
  const ids = await acquire(names, 1, { what: `The tag slots of ${names.join(", ")}`, decaying: false, signal });
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
