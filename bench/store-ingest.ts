// store-ingest: run events stored per second, in batches as the engine's write-behind queue sends them.
// SQLite: 1,000,000 events into a fresh file; PostgreSQL: 200,000 events into a fresh schema (needs
// SKEIN_BENCH_DATABASE_URL or SKEIN_TEST_DATABASE_URL); and 200,000 events through the API server (HttpStore →
// server → SQLite), the path of a run process with SKEIN_API_URL. Events are a realistic mix (flow run, task run
// created, Running, a log line, Completed). Baseline, in the same run: the same rows, read back from what the
// store wrote, inserted straight (node:sqlite prepared INSERTs, bench/common/sqlite-floor.ts; PostgreSQL
// multi-row INSERTs, bench/common/postgres-floor.ts) in as many transactions as the store committed, as events
// per second of the same events. Medians of `--runs N` (3).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { HttpStore } from "../store/http/http-store.ts";
import { sqliteFile } from "../client/home.ts";
import { buildServer } from "../server/app.ts";
import { PostgresStore } from "../store/postgres/postgres-store.ts";
import { SqliteStore } from "../store/sqlite/sqlite-store.ts";
import type { Store } from "../store/types.ts";
import type { RunEvent } from "../protocol/run-events.ts";
import { Clock, flowRunEvents } from "../test/fixtures/server/events.ts";
import { postgresFloor } from "./common/postgres-floor.ts";
import { emit, log, median, runCount, runMain } from "./common/report.ts";
import { readRows, SqliteFloor } from "./common/sqlite-floor.ts";

const RUNS = runCount(3);
const BATCH = 4096;
const TASKS_PER_FLOW_RUN = 1000;
const PG_URL = process.env.SKEIN_BENCH_DATABASE_URL ?? process.env.SKEIN_TEST_DATABASE_URL;

/** Events per second of the store, and of the floor writing the same rows. */
interface Rates {
  store: number;
  floor: number;
}

const transactions = (total: number) => Math.ceil(total / BATCH);
const perSecond = (total: number, ms: number) => total / (ms / 1000);

/** Batches of events, generated a flow run at a time so a million events never sit in memory at once. */
function* batches(total: number): Generator<RunEvent[]> {
  const clock = new Clock();
  let produced = 0;
  let pending: RunEvent[] = [];
  while (produced < total) {
    for (const event of flowRunEvents({ tasks: TASKS_PER_FLOW_RUN, logsPerTask: 1, clock })) {
      pending.push(event);
      if (++produced === total) break;
      if (pending.length === BATCH) {
        yield pending;
        pending = [];
      }
    }
  }
  if (pending.length) yield pending;
}

/** Events per second of appending `total` events; generation is not timed. */
async function ingest(store: Store, total: number): Promise<number> {
  let elapsed = 0;
  for (const batch of batches(total)) {
    const start = performance.now();
    await store.appendEvents(batch);
    elapsed += performance.now() - start;
  }
  return perSecond(total, elapsed);
}

/** The same rows as the SQLite file holds, written straight into a fresh one. */
function sqliteFloor(file: string, total: number): number {
  const rows = readRows(file);
  const floor = new SqliteFloor(file);
  try {
    return perSecond(total, floor.write(rows, transactions(total)));
  } finally {
    floor.close();
  }
}

async function sqlite(total: number): Promise<Rates> {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "skein-bench-ingest-"));
  const store = new SqliteStore(sqliteFile(home));
  try {
    return { store: await ingest(store, total), floor: sqliteFloor(store.location, total) };
  } finally {
    await store.close();
    fs.rmSync(home, { recursive: true, force: true });
  }
}

async function postgres(total: number): Promise<Rates> {
  const schema = `skein_bench_${randomBytes(4).toString("hex")}`;
  const store = await PostgresStore.connect(PG_URL!, { schema });
  try {
    const rate = await ingest(store, total);
    return { store: rate, floor: perSecond(total, await postgresFloor(PG_URL!, schema, transactions(total))) };
  } finally {
    await store.dropSchema(schema);
    await store.close();
  }
}

async function throughServer(total: number): Promise<Rates> {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "skein-bench-ingest-"));
  const file = sqliteFile(home);
  const backing = new SqliteStore(file);
  // As `skein server start` builds it: with the change feed that streams what local runs write to the file.
  const server = buildServer({
    store: backing,
    backend: "sqlite",
    sqliteFile: file,
    crashDetection: { enabled: false },
  });
  const url = await server.app.listen({ host: "127.0.0.1", port: 0 });
  const store = new HttpStore(url);
  try {
    return { store: await ingest(store, total), floor: sqliteFloor(file, total) };
  } finally {
    await store.close();
    await server.close();
    await backing.close();
    fs.rmSync(home, { recursive: true, force: true });
  }
}

async function measure(metric: string, description: string, run: () => Promise<Rates>): Promise<void> {
  const runs: Rates[] = [];
  const k = (rate: number) => `${Math.round(rate / 1000).toLocaleString("en")}k`;
  for (let i = 0; i < RUNS; i++) {
    runs.push(await run());
    log(`${description} run ${i + 1}/${RUNS}: ${k(runs[i].store)} events/s, floor ${k(runs[i].floor)} events/s`);
  }
  emit("store-ingest", metric, {
    value: median(runs.map((r) => r.store)),
    unit: "events/s",
    baseline: median(runs.map((r) => r.floor)),
    runs: RUNS,
  });
}

async function main(): Promise<void> {
  await measure("sqlite-events-per-second", "sqlite 1,000,000 events", () => sqlite(1_000_000));
  if (PG_URL) await measure("postgres-events-per-second", "postgres 200,000 events", () => postgres(200_000));
  else log("postgres skipped: set SKEIN_BENCH_DATABASE_URL (or SKEIN_TEST_DATABASE_URL) to a PostgreSQL URL");
  await measure("api-sqlite-events-per-second", "through the API server, 200,000 events", () => throughServer(200_000));
}

runMain(main);
