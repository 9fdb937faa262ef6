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

test("a store that fails loses the batch with a message, and the queue keeps working", async () => {
  const written: string[] = [];
  let fail = true;
  const store = {
    appendEvents: async (events: readonly RunEvent[]) => {
      if (fail) throw new Error("disk full");
      written.push(...events.map((e) => e.id));
    },
  };
  const queue = new WriteBehindQueue(store);
  const messages: string[] = [];
  const original = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((chunk: string) => messages.push(chunk) > 0) as unknown as typeof process.stderr.write;
  try {
    queue.push(log(1));
    await queue.flush();
  } finally {
    process.stderr.write = original;
  }
  assert.match(messages.join(""), /could not store 1 run events: disk full/);
  fail = false;
  queue.push(log(2));
  await queue.flush();
  assert.deepEqual(written, ["e2"]);
});
