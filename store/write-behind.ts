// Batches run events so orchestration never waits on the disk: events queue in memory and go to the store in
// one transaction per tick, or at once when the queue is long. Runs flush on their end and the process on exit.
// Nothing is dropped quietly: a store that is only busy is waited for (each store retries its transient
// failures with backoff), and every event the store refused is counted, so the run can say how many are missing.
import type { RunEvent } from "../protocol/run-events.ts";
import type { RunEventStore } from "./types.ts";

/**
 * The write-behind window: an event waits at most this long in memory before it is written, so a SIGKILL loses
 * at most the run records of the last FLUSH_DELAY_MS (plus the write in progress); docs/engine.md says so.
 */
export const FLUSH_DELAY_MS = 20;
const MAX_QUEUED_EVENTS = 4096;

/** Some run events could not be stored; the run must say so (`skein run` exits STORE_WRITE_EXIT_CODE). */
export class RecordsNotStoredError extends Error {
  override name = "RecordsNotStoredError";
  constructor(
    /** How many run events (records: runs, states, logs, artifacts) the store does not have. */
    readonly missing: number,
    /** The store's file or URL. */
    readonly location: string,
    /** The first failure, which names the cause and what to do. */
    readonly reason: string,
  ) {
    super(`${missing} run record(s) were not stored in ${location}: ${reason}`);
  }
}

type WritableStore = RunEventStore & {
  readonly location?: string;
  /** The embedded store's synchronous write (SqliteStore), used when the store has it. */
  appendEventsSync?(events: readonly RunEvent[]): void;
};

export class WriteBehindQueue {
  private queue: RunEvent[] = [];
  private timer: NodeJS.Timeout | undefined;
  /** The writer that stores the queue through `appendEvents` (it waits out a busy store), while it runs. */
  private writing: Promise<void> | undefined;
  /** The batch that writer is storing now: still unstored for `flushSync` until it resolves. */
  private writingBatch: readonly RunEvent[] = [];
  private missing = 0;
  private firstFailure: string | undefined;

  constructor(private readonly store: WritableStore) {}

  push(event: RunEvent): void {
    this.queue.push(event);
    if (this.writing) return; // the running writer takes it
    if (this.queue.length >= MAX_QUEUED_EVENTS) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), FLUSH_DELAY_MS);
  }

  /** Writes everything queued so far; resolves when it is stored, or counted as missing. */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.writing) return this.writing;
    if (this.queue.length === 0) return Promise.resolve();
    if (this.store.appendEventsSync) {
      // The embedded store writes at once, so a long synchronous burst (t.map over 100,000 items) never piles up.
      // Should it fail (a busy file, say), the writer below tries again, keeping the order of the events.
      try {
        this.store.appendEventsSync(this.queue);
        this.queue = [];
        return Promise.resolve();
      } catch {
        // Tried again below, where a store waits out what is transient and explains what is not.
      }
    }
    this.writing = this.writeQueue();
    return this.writing;
  }

  /** Stores batch after batch, in order, until the queue is empty. */
  private async writeQueue(): Promise<void> {
    while (this.queue.length) {
      const batch = this.queue;
      this.queue = [];
      this.writingBatch = batch;
      try {
        await this.store.appendEvents(batch);
      } catch (error) {
        this.countMissing(error, batch.length);
      }
      this.writingBatch = [];
    }
    // In the same tick as the last look at the queue, so a push after it starts a new flush.
    this.writing = undefined;
  }

  /**
   * Stores what is queued before this call returns, for process exit and the timeout watchdog. Only stores that
   * write synchronously can (and once, busy or not: nothing waits any more at exit); for the others the queue
   * stays as it is, on its timer. A batch the writer is storing is written again: stores ingest by event id.
   */
  flushSync(): void {
    if (!this.store.appendEventsSync) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    const events = [...this.writingBatch, ...this.queue];
    if (events.length === 0) return;
    this.queue = [];
    this.writingBatch = [];
    try {
      this.store.appendEventsSync(events);
    } catch (error) {
      this.countMissing(error, events.length);
    }
  }

  /** The events the store refused so far, as an error that says how many, where and why; undefined if none. */
  notStored(): RecordsNotStoredError | undefined {
    if (this.missing === 0) return undefined;
    return new RecordsNotStoredError(this.missing, this.store.location ?? "the store", this.firstFailure ?? "");
  }

  /** A store that cannot write must not crash the runs it records: the count says what is missing at the end. */
  private countMissing(error: unknown, count: number): void {
    const refused = (error as { refusedEvents?: unknown }).refusedEvents;
    this.missing += typeof refused === "number" ? refused : count;
    const reason = error instanceof Error ? error.message : String(error);
    if (this.firstFailure === undefined) {
      this.firstFailure = reason;
      // Said at once, so a long run's user learns of it before it ends; the end of the run says it again with the total.
      process.stderr.write(`skein: could not store run records: ${reason}\n`);
    }
  }
}
