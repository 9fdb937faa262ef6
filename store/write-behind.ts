// Batches run events so orchestration never waits on the disk: events queue in memory and go to the store in
// one transaction per tick, or at once when the queue is long. Runs flush on their end and the process on exit.
import type { RunEvent } from "../protocol/run-events.ts";
import type { RunEventStore } from "./types.ts";

const FLUSH_DELAY_MS = 20;
const MAX_QUEUED_EVENTS = 4096;

export class WriteBehindQueue {
  private queue: RunEvent[] = [];
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> = Promise.resolve();

  /** `appendEventsSync`: the embedded store's synchronous write (SqliteStore), used when the store has it. */
  constructor(private readonly store: RunEventStore & { appendEventsSync?(events: readonly RunEvent[]): void }) {}

  push(event: RunEvent): void {
    this.queue.push(event);
    if (this.queue.length >= MAX_QUEUED_EVENTS) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), FLUSH_DELAY_MS);
  }

  /** Writes everything queued so far; resolves when it is stored. */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.queue.length === 0) return this.inFlight;
    const batch = this.queue;
    this.queue = [];
    if (this.store.appendEventsSync) {
      // The embedded store writes at once, so a long synchronous burst (t.map over 100,000 items) never piles up.
      try {
        this.store.appendEventsSync(batch);
      } catch (error) {
        reportLostBatch(error, batch.length);
      }
      return this.inFlight;
    }
    // Writes stay in order: each batch starts after the previous one is stored.
    this.inFlight = this.inFlight
      .then(() => this.store.appendEvents(batch))
      .catch((error) => reportLostBatch(error, batch.length));
    return this.inFlight;
  }

  /**
   * Stores what is queued before this call returns, for process exit and the timeout watchdog. Only stores that
   * write synchronously can; for the others the queue stays as it is, on its timer.
   */
  flushSync(): void {
    if (this.store.appendEventsSync) void this.flush();
  }
}

/** A store that cannot write (disk full, database locked for too long) must not crash the runs it records. */
function reportLostBatch(error: unknown, count: number): void {
  process.stderr.write(
    `skein: could not store ${count} run events: ${error instanceof Error ? error.message : String(error)}\n`,
  );
}
