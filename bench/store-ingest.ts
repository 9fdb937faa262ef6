// store-ingest: run events stored per second, in batches as the engine's write-behind queue sends them.
// SQLite: 1,000,000 events into a fresh file; PostgreSQL: 200,000 events into a fresh schema (needs
// SKEIN_BENCH_DATABASE_URL or SKEIN_TEST_DATABASE_URL); and 200,000 events through the API server (HttpStore →
// server → SQLite), the path of a run process with SKEIN_API_URL. Events are a realistic mix (flow run, task run
// created, Running, a log line, Completed). Median of RUNS; JSON lines on stdout, progress on stderr.
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

const RUNS = 3;
const BATCH = 4096;
const TASKS_PER_FLOW_RUN = 1000;
const PG_URL = process.env.SKEIN_BENCH_DATABASE_URL ?? process.env.SKEIN_TEST_DATABASE_URL;

const log = (line: string): void => void process.stderr.write(`${line}\n`);
const emit = (metric: string, value: number, unit: string, baseline?: number) =>
  process.stdout.write(
    `${JSON.stringify({ bench: "store-ingest", metric, value: Math.round(value), unit, ...(baseline ? { baseline, ratio: +(value / baseline).toFixed(2) } : {}) })}\n`,
  );

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

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
  return total / (elapsed / 1000);
}

async function sqlite(total: number): Promise<number> {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "skein-bench-ingest-"));
  const store = new SqliteStore(sqliteFile(home));
  try {
    return await ingest(store, total);
  } finally {
    await store.close();
    fs.rmSync(home, { recursive: true, force: true });
  }
}

async function postgres(total: number): Promise<number> {
  const schema = `skein_bench_${randomBytes(4).toString("hex")}`;
  const store = await PostgresStore.connect(PG_URL!, { schema });
  try {
    return await ingest(store, total);
  } finally {
    await store.dropSchema(schema);
    await store.close();
  }
}

async function throughServer(total: number): Promise<number> {
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
    return await ingest(store, total);
  } finally {
    await store.close();
    await server.close();
    await backing.close();
    fs.rmSync(home, { recursive: true, force: true });
  }
}

async function measure(name: string, run: () => Promise<number>): Promise<number> {
  const rates: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    rates.push(await run());
    log(`${name} run ${i + 1}/${RUNS}: ${Math.round(rates[i]).toLocaleString("en")} events/s`);
  }
  return median(rates);
}

async function main(): Promise<void> {
  emit(
    "sqlite-events-per-second",
    await measure("sqlite 1,000,000 events", () => sqlite(1_000_000)),
    "events/s",
    100_000,
  );
  if (PG_URL)
    emit(
      "postgres-events-per-second",
      await measure("postgres 200,000 events", () => postgres(200_000)),
      "events/s",
      30_000,
    );
  else log("postgres skipped: set SKEIN_BENCH_DATABASE_URL (or SKEIN_TEST_DATABASE_URL) to a PostgreSQL URL");
  emit(
    "api-sqlite-events-per-second",
    await measure("through the API server, 200,000 events", () => throughServer(200_000)),
    "events/s",
  );
}

void main();
