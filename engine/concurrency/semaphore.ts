// At most `limit` holders at once, in arrival order: the flow option taskConcurrency. Waiters are plain callbacks,
// so 100,000 queued task runs cost a queue entry each rather than a suspended async function.
export class Semaphore {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  private head = 0;

  constructor(private readonly limit: number) {}

  /** Calls `start` now if a slot is free, else when one frees up. The caller must release() when done. */
  whenFree(start: () => void): void {
    if (this.active < this.limit) {
      this.active++;
      start();
    } else {
      this.waiting.push(start);
    }
  }

  /** Gives the slot straight to the next waiter, if any. */
  release(): void {
    if (this.head < this.waiting.length) {
      const next = this.waiting[this.head];
      this.waiting[this.head++] = undefined as never;
      if (this.head > 1024 && this.head * 2 > this.waiting.length) {
        this.waiting.splice(0, this.head);
        this.head = 0;
      }
      next();
    } else {
      this.active--;
    }
  }
}
