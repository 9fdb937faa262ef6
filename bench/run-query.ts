// run-query: the explorer's query, "latest 50 runs of one flow", among 1,000,000 flow runs of 100 flows.
// Measured on the SQLite store directly, through the API server over it (GET /api/flow-runs, what the editor
// calls), and on PostgreSQL when SKEIN_BENCH_DATABASE_URL or SKEIN_TEST_DATABASE_URL is set. Median latency of
// QUERIES queries over different flows; JSON lines on stdout, progress on stderr. `-- --runs N` for a smaller set.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { newId } from "../protocol/ids.ts";
import { ApiClient } from "../client/api-client.ts";
import { flowRunsApi } from "../protocol/api/flow-runs.ts";
import { sqliteFile } from "../client/home.ts";
import { buildServer } from "../server/app.ts";
import { PostgresStore } from "../store/postgres/postgres-store.ts";
import { SqliteStore } from "../store/sqlite/sqlite-store.ts";
import type { Store } from "../store/types.ts";
import type { RunEvent } from "../protocol/run-events.ts";

const runsArg = process.argv.indexOf("--runs");
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 1_000_000;
const FLOWS = 100;
const QUERIES = 200;
const BASELINE_MS = 20;
const BATCH = 10_000;
const PG_URL = process.env.SKEIN_BENCH_DATABASE_URL ?? process.env.SKEIN_TEST_DATABASE_URL;

const log = (line: string): void => void process.stderr.write(`${line}\n`);
const emit = (metric: string, value: number) =>
  process.stdout.write(
    `${JSON.stringify({ bench: "run-query", metric, value: +value.toFixed(3), unit: "ms", baseline: BASELINE_MS, ratio: +(value / BASELINE_MS).toFixed(3) })}\n`,
  );

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** RUNS finished flow runs spread over FLOWS flows, one created event each (with its final state). */
async function fill(store: Store): Promise<void> {
  const start = Date.parse("2026-01-01T00:00:00.000Z");
  for (let offset = 0; offset < RUNS; offset += BATCH) {
    const batch: RunEvent[] = [];
    for (let i = offset; i < Math.min(RUNS, offset + BATCH); i++) {
      const timestamp = new Date(start + i * 1000).toISOString();
      batch.push({
        kind: "flow-run-created",
        id: newId(),
        timestamp,
        flowRunId: newId(),
        name: `run-${i}`,
        flowName: `flow-${i % FLOWS}`,
        parameters: { i },
        tags: [],
        pid: 1,
        state: { type: "COMPLETED", name: "Completed", timestamp },
      });
    }
    await store.appendEvents(batch);
    if (offset % 200_000 === 0) log(`  filled ${offset.toLocaleString("en")} runs`);
  }
}

async function latency(query: (flowName: string) => Promise<number>): Promise<number> {
  for (let i = 0; i < 20; i++) await query(`flow-${i % FLOWS}`); // warm-up
  const times: number[] = [];
  for (let i = 0; i < QUERIES; i++) {
    const flowName = `flow-${(i * 37) % FLOWS}`;
    const start = performance.now();
    const found = await query(flowName);
    times.push(performance.now() - start);
    if (found !== 50) throw new Error(`expected 50 runs of ${flowName}, got ${found}`);
  }
  return median(times);
}

async function main(): Promise<void> {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "skein-bench-query-"));
  const file = sqliteFile(home);
  const sqlite = new SqliteStore(file);
  try {
    log(`SQLite: ${RUNS.toLocaleString("en")} runs`);
    await fill(sqlite);
    emit(
      "sqlite-latest-50-ms",
      await latency(async (flowName) => (await sqlite.listFlowRuns({ flowName, limit: 50 })).length),
    );
    // As `skein server start` builds it: with the change feed that streams what local runs write to the file.
    const server = buildServer({
      store: sqlite,
      backend: "sqlite",
      sqliteFile: file,
      crashDetection: { enabled: false },
    });
    const url = await server.app.listen({ host: "127.0.0.1", port: 0 });
    const client = new ApiClient(url);
    emit(
      "api-sqlite-latest-50-ms",
      await latency(
        async (flowName) =>
          (await client.call(flowRunsApi.list, { query: { flowName, limit: 50, offset: 0 } })).flowRuns.length,
      ),
    );
    await client.close();
    await server.close();
  } finally {
    await sqlite.close();
    fs.rmSync(home, { recursive: true, force: true });
  }
  if (!PG_URL)
    return log("postgres skipped: set SKEIN_BENCH_DATABASE_URL (or SKEIN_TEST_DATABASE_URL) to a PostgreSQL URL");
  const schema = `skein_bench_${randomBytes(4).toString("hex")}`;
  const pg = await PostgresStore.connect(PG_URL, { schema });
  try {
    log(`PostgreSQL: ${RUNS.toLocaleString("en")} runs`);
    await fill(pg);
    await pg["pool"].query("ANALYZE flow_runs");
    emit(
      "postgres-latest-50-ms",
      await latency(async (flowName) => (await pg.listFlowRuns({ flowName, limit: 50 })).length),
    );
  } finally {
    await pg.dropSchema(schema);
    await pg.close();
  }
}

void main();
