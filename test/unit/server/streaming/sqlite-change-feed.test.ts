// The SQLite change feed (server/streaming/sqlite-change-feed.ts) against a real file that another connection writes,
// as a `skein run` without a server does: a write is picked up, and a poll while nothing was committed reads no
// table, only `PRAGMA data_version` (counted through the feed's onQuery hook); rows that take the rowids of deleted
// rows are still read.
import assert from "node:assert/strict";
import path from "node:path";
import { after, before, test } from "node:test";
import type { RunEvent } from "../../../../protocol/run-events.ts";
import { SqliteChangeFeed } from "../../../../server/streaming/sqlite-change-feed.ts";
import { SqliteStore } from "../../../../store/sqlite/sqlite-store.ts";
import { flowRunEvents } from "../../../fixtures/server/events.ts";
import { tempHome } from "../../../fixtures/temp-home.ts";

let writer: SqliteStore;
let feed: SqliteChangeFeed;
const published: RunEvent[] = [];
const queries: string[] = [];

before(async () => {
  const file = path.join(tempHome(), "skein.db");
  writer = new SqliteStore(file);
  // The run before the feed started is not replayed.
  await writer.appendEvents(flowRunEvents({ tasks: 1 }));
  feed = new SqliteChangeFeed(file, (events) => published.push(...events), { onQuery: (sql) => queries.push(sql) });
  // A long interval: the test polls by hand.
  feed.start(3_600_000);
});
after(async () => {
  feed?.stop();
  await writer?.close();
});

/** Polls once; returns the statements it ran and the events it published. */
function pollOnce(): { sql: string[]; events: number } {
  queries.length = 0;
  const events = feed.poll();
  return { sql: [...queries], events };
}

test("an idle poll asks only whether another connection committed", () => {
  assert.deepEqual(pollOnce(), { sql: ["PRAGMA data_version"], events: 0 });
  assert.deepEqual(pollOnce(), { sql: ["PRAGMA data_version"], events: 0 });
  assert.equal(published.length, 0, "what was stored before the feed started is not replayed");
});

test("a write by another connection is read and published once, then polls are idle again", async () => {
  const events = flowRunEvents({ tasks: 3, logsPerTask: 2 });
  await writer.appendEvents(events);
  const busy = pollOnce();
  assert.ok(busy.sql.length > 1, "it read the tables");
  assert.equal(busy.events, events.length);
  const key = (e: RunEvent) => (e.kind === "artifact" ? `artifact:${e.artifactId}` : e.id);
  assert.deepEqual(published.map(key).sort(), events.map(key).sort());
  assert.deepEqual(pollOnce(), { sql: ["PRAGMA data_version"], events: 0 });
});

test("a run's later writes (a state, a log) are picked up by the next poll", async () => {
  const events = flowRunEvents({ tasks: 1 });
  await writer.appendEvents(events.slice(0, 3));
  published.length = 0;
  assert.ok(pollOnce().events > 0);
  await writer.appendEvents(events.slice(3));
  assert.equal(pollOnce().events, events.length - 3);
  assert.deepEqual(pollOnce().sql, ["PRAGMA data_version"]);
});

test("a run written after the newest run was deleted is published whole, though its rows reuse the deleted rowids", async () => {
  const doomed = flowRunEvents({ tasks: 2, logsPerTask: 3 });
  await writer.appendEvents(doomed);
  pollOnce();
  // Finished, then deleted: its flow run, states, logs and artifacts were the newest rows of their tables.
  assert.ok(await writer.deleteFlowRun(doomed[0].flowRunId));
  const next = flowRunEvents({ tasks: 1, logsPerTask: 2 });
  await writer.appendEvents(next);
  published.length = 0;
  pollOnce();
  const key = (e: RunEvent) => (e.kind === "artifact" ? `artifact:${e.artifactId}` : e.id);
  assert.deepEqual(published.map(key).sort(), next.map(key).sort());
  assert.deepEqual(pollOnce().sql, ["PRAGMA data_version"]);
});

test("a feed started on a store whose runs are then all deleted publishes the next run whole", async () => {
  const file = path.join(tempHome(), "skein.db");
  const store = new SqliteStore(file);
  const old = [flowRunEvents({ tasks: 2, logsPerTask: 3 }), flowRunEvents({ tasks: 1, logsPerTask: 2 })];
  for (const events of old) await store.appendEvents(events);
  const seen: RunEvent[] = [];
  const fresh = new SqliteChangeFeed(file, (events) => seen.push(...events));
  fresh.start(3_600_000);
  try {
    // `skein flow-run delete --older-than 0s`: every table empties, and the next rows start again at rowid 1.
    for (const events of old) assert.ok(await store.deleteFlowRun(events[0].flowRunId));
    const next = flowRunEvents({ tasks: 2, logsPerTask: 2 });
    await store.appendEvents(next);
    fresh.poll();
    const key = (e: RunEvent) => (e.kind === "artifact" ? `artifact:${e.artifactId}` : e.id);
    assert.deepEqual(seen.map(key).sort(), next.map(key).sort());
  } finally {
    fresh.stop();
    await store.close();
  }
});
