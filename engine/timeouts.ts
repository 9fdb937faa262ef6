// Runs a function under a deadline and a parent cancellation signal. Async work that never settles is abandoned
// on time: the run ends, its AbortSignal fires and a late result is discarded. A function that blocks the event
// loop synchronously cannot be preempted in-process: it ends TimedOut when it returns past its deadline, and if it
// is still blocking a grace period later the timeout watchdog ends the process (timeout-watchdog.ts).
// Under the editor's debugger (UNDER_DEBUGGER_ENV) timeouts are suspended: a run paused at a breakpoint looks
// exactly like a blocked one, and must be neither killed by the watchdog nor timed out when it resumes.
import { underDebugger } from "./debugger-stops.ts";
import { RunTimeoutError } from "./errors.ts";
import { armWatchdog, disarmWatchdog, type WatchedRun } from "./timeout-watchdog.ts";

export interface GuardOptions {
  timeoutSeconds?: number;
  /** What timed out, for the error message. */
  what: string;
  /** Aborting it (cancellation, crash) ends the work at once with the signal's reason. */
  parent: AbortSignal;
  /**
   * The run the guard stands for: named on its RunTimeoutError (so a run tells its own timeout from one that escaped
   * an inner run), and recorded as TimedOut should the function block the event loop past its timeout.
   */
  run: WatchedRun;
}

/** `work` gets a holder whose `signal` fires on timeout or parent abort. */
export function runGuarded<T>(
  work: (guard: { readonly signal: AbortSignal }) => T | Promise<T>,
  options: GuardOptions,
): Promise<T> {
  if (options.parent.aborted) return Promise.reject(options.parent.reason);
  const guarded =
    options.timeoutSeconds !== undefined && underDebugger() ? { ...options, timeoutSeconds: undefined } : options;
  return new Promise<T>((resolve, reject) => new Guard<T>(guarded, resolve, reject).start(work));
}

/**
 * Guards waiting on each parent signal. One abort listener per signal serves all its guards: adding and removing
 * an EventTarget listener per task run costs more than the rest of the guard.
 */
const guardsBySignal = new WeakMap<AbortSignal, Set<Guard<unknown>>>();

function watch(signal: AbortSignal, guard: Guard<unknown>): void {
  let guards = guardsBySignal.get(signal);
  if (!guards) {
    const set = new Set<Guard<unknown>>();
    guards = set;
    guardsBySignal.set(signal, set);
    signal.addEventListener(
      "abort",
      () => {
        for (const waiting of set) waiting.parentAborted();
      },
      { once: true },
    );
  }
  guards.add(guard);
}

function unwatch(signal: AbortSignal, guard: Guard<unknown>): void {
  guardsBySignal.get(signal)?.delete(guard);
}

/** One guarded call. A class rather than closures: this runs once per task run. */
class Guard<T> {
  /** Made on first use: most task runs never look at their signal, and an AbortController is not free. */
  private controller: AbortController | undefined;
  private abortReason: unknown;
  private readonly startedAt = performance.now();
  private timer: NodeJS.Timeout | undefined;
  private watchdogId: number | undefined;
  private settled = false;

  constructor(
    private readonly options: GuardOptions,
    private readonly resolve: (value: T) => void,
    private readonly reject: (error: unknown) => void,
  ) {}

  start(work: (guard: { readonly signal: AbortSignal }) => T | Promise<T>): void {
    watch(this.options.parent, this as Guard<unknown>);
    const { timeoutSeconds } = this.options;
    if (timeoutSeconds !== undefined) {
      this.timer = setTimeout(() => this.timeOut(), timeoutSeconds * 1000);
      this.watchdogId = armWatchdog(this.options.what, timeoutSeconds, this.options.run);
    }
    try {
      Promise.resolve(work(this)).then(
        (value) => (this.overran() ? this.fail(this.timeoutError()) : this.succeed(value)),
        (error) => this.fail(this.overran() ? this.timeoutError() : error),
      );
    } catch (error) {
      this.fail(this.overran() ? this.timeoutError() : error);
    }
  }

  /** The signal handed to the work; a getter, so it is only made when the work reads it. */
  get signal(): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController();
      if (this.abortReason !== undefined) this.controller.abort(this.abortReason);
    }
    return this.controller.signal;
  }

  parentAborted(): void {
    this.abort(this.options.parent.reason);
  }

  private timeOut(): void {
    this.abort(this.timeoutError());
  }

  private abort(reason: unknown): void {
    this.abortReason = reason;
    this.controller?.abort(reason);
    this.fail(reason);
  }

  private overran(): boolean {
    const { timeoutSeconds } = this.options;
    return timeoutSeconds !== undefined && performance.now() - this.startedAt > timeoutSeconds * 1000;
  }

  private timeoutError(): RunTimeoutError {
    return new RunTimeoutError(this.options.what, this.options.timeoutSeconds!, this.options.run.runId);
  }

  private finish(): boolean {
    if (this.settled) return false;
    this.settled = true;
    clearTimeout(this.timer);
    if (this.watchdogId !== undefined) disarmWatchdog(this.watchdogId);
    unwatch(this.options.parent, this as Guard<unknown>);
    return true;
  }

  private succeed(value: T): void {
    if (this.finish()) this.resolve(value);
  }

  private fail(error: unknown): void {
    if (this.finish()) this.reject(error);
  }
}
