// When a failed run tries again: how many times, after which delay (number, list whose last value repeats, or a
// function of the retry number), spread by a jitter factor, and only if retryCondition agrees.

import { errorMessage } from "./errors.ts";

export type RetryDelaySeconds = number | readonly number[] | ((retryNumber: number) => number);

export interface RetryPolicy {
  retries?: number;
  retryDelaySeconds?: RetryDelaySeconds;
  /** 0.5 spreads each delay uniformly over ±50%. */
  retryJitterFactor?: number;
}

/** Delays of factor, 2×factor, 4×factor, ... seconds. */
export function exponentialBackoff(factor: number): (retryNumber: number) => number {
  return (retryNumber) => factor * 2 ** (retryNumber - 1);
}

/** The delay before retry number `retryNumber` (1 for the first retry), jitter applied. */
export function retryDelayMs(policy: RetryPolicy, retryNumber: number): number {
  const spec = policy.retryDelaySeconds ?? 0;
  const base =
    typeof spec === "function"
      ? spec(retryNumber)
      : typeof spec === "number"
        ? spec
        : spec.length
          ? spec[Math.min(retryNumber - 1, spec.length - 1)]
          : 0;
  const jitter = policy.retryJitterFactor ?? 0;
  const spread = jitter > 0 ? 1 + jitter * (2 * Math.random() - 1) : 1;
  return Math.max(0, base * spread * 1000);
}

/** A retry about to wait: its delay, and the AwaitingRetry state's message and due time. */
export interface PlannedRetry {
  delayMs: number;
  message: string;
  scheduledTime: string;
}

/** Plans retry number `retryNumber` after `error`, the same way for flow runs and task runs. */
export function planRetry(policy: RetryPolicy, retryNumber: number, error: unknown): PlannedRetry {
  const delayMs = retryDelayMs(policy, retryNumber);
  return {
    delayMs,
    message: `Retry ${retryNumber} of ${policy.retries} after: ${errorMessage(error)}`,
    scheduledTime: new Date(Date.now() + delayMs).toISOString(),
  };
}

/** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
