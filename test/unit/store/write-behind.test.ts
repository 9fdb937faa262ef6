// The write-behind queue in front of the store, with a recording fake store (a pure unit: no SQLite).
import assert from "node:assert/strict";
import { test } from "node:test";
import type { RunEvent } from "../../../protocol/run-events.ts";
import { WriteBehindQueue } from "../../../store/write-behind.ts";

function log(i: number): RunEvent {
  return {
    kind: "log",
    id: `e${i}`,
    timestamp: "2024-01-01T00:00:00.000Z",
    flowRunId: "f",
    level: "info",
    logger: "t",
    message: String(i),
  };
}

function recordingStore(sync: boolean) {
  const batches: string[][] = [];
  const append = (events: readonly RunEvent[]) => void batches.push(events.map((e) => e.id));
  const store = {
    appendEvents: async (events: readonly RunEvent[]) => append(events),
    ...(sync ? { appendEventsSync: append } : {}),
  };
  return { batches, store };
}

test("events wait for a flush and are written in one batch, in order", async () => {
  const { batches, store } = recordingStore(false);
  const queue = new WriteBehindQueue(store);
  for (let i = 0; i < 3; i++) queue.push(log(i));
  assert.equal(batches.length, 0);
  await queue.flush();
  assert.deepEqual(batches, [["e0", "e1", "e2"]]);
});

test("a full queue is written at once, synchronously when the store can", () => {
  const { batches, store } = recordingStore(true);
  const queue = new WriteBehindQueue(store);
  for (let i = 0; i < 5000; i++) queue.push(log(i));
  assert.equal(batches.length, 1);
  assert.equal(batches[0].length, 4096);
  queue.flushSync();
  assert.equal(batches[1].length, 5000 - 4096);
});

/** Runs `work` with stderr captured; returns what it wrote. */
async function captureStderr(work: () => Promise<void>): Promise<string> {
  const messages: string[] = [];
  const original = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((chunk: string) => messages.push(chunk) > 0) as unknown as typeof process.stderr.write;
  try {
    await work();
  } finally {
    process.stderr.write = original;
  }
  return messages.join("");
}

test("a store that fails counts the lost events, says why once, and the queue keeps working", async () => {
  const written: string[] = [];
  let fail = true;
  const store = {
    location: "/home/skein.db",
    appendEvents: async (events: readonly RunEvent[]) => {
      if (fail) throw new Error("disk full");
      written.push(...events.map((e) => e.id));
    },
  };
  const queue = new WriteBehindQueue(store);
  assert.equal(queue.notStored(), undefined);
  const stderr = await captureStderr(async () => {
    queue.push(log(1));
    queue.push(log(2));
    await queue.flush();
    queue.push(log(3));
    await queue.flush();
  });
  assert.equal(stderr, "skein: could not store run records: disk full\n");
  fail = false;
  queue.push(log(4));
  await queue.flush();
  assert.deepEqual(written, ["e4"]);
  const notStored = queue.notStored();
  assert.equal(notStored?.missing, 3);
  assert.equal(notStored?.message, "3 run record(s) were not stored in /home/skein.db: disk full");
});

test("a store that refuses some events of a batch counts only those", async () => {
  const store = {
    appendEvents: async () => {
      throw Object.assign(new Error("refused one"), { refusedEvents: 1 });
    },
  };
  const queue = new WriteBehindQueue(store);
  await captureStderr(async () => {
    for (let i = 0; i < 5; i++) queue.push(log(i));
    await queue.flush();
  });
  assert.equal(queue.notStored()?.missing, 1);
});

test("a synchronous store that is busy is written through its waiting path, in order, and nothing is lost", async () => {
  const written: string[] = [];
  let busy = true;
  const store = {
    appendEventsSync(events: readonly RunEvent[]) {
      if (busy) throw new Error("database is locked");
      written.push(...events.map((e) => e.id));
    },
    async appendEvents(events: readonly RunEvent[]) {
      await new Promise((resolve) => setTimeout(resolve, 30)); // the lock is released meanwhile
      busy = false;
      this.appendEventsSync(events);
    },
  };
  const queue = new WriteBehindQueue(store);
  queue.push(log(1));
  const flushed = queue.flush();
  queue.push(log(2)); // while the first batch waits: must not overtake it
  await flushed;
  assert.deepEqual(written, ["e1", "e2"]);
  assert.equal(queue.notStored(), undefined);
});

test("flushSync at exit writes the batch still waiting for a busy store, and what came after it", () => {
  const written: string[] = [];
  let attempts = 0;
  const store = {
    appendEventsSync(events: readonly RunEvent[]) {
      if (attempts++ === 0) throw new Error("database is locked");
      written.push(...events.map((e) => e.id));
    },
    appendEvents: () => new Promise<void>(() => undefined), // never returns before the process exits
  };
  const queue = new WriteBehindQueue(store);
  queue.push(log(1));
  void queue.flush();
  queue.push(log(2));
  queue.flushSync();
  assert.deepEqual(written, ["e1", "e2"]);
});
