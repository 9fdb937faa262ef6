// run-query: the explorer's query, "latest 50 runs of one flow", among 1,000,000 flow runs of 100 flows.
// Measured on the SQLite store directly, through the API server over it (GET /api/flow-runs, what the editor
// calls), and on PostgreSQL when SKEIN_BENCH_DATABASE_URL or SKEIN_TEST_DATABASE_URL is set. Baseline, in the
// same run: the equivalent raw indexed SQL query (prepared once, rows left unconverted) on its own connection to
// the same database, alternated query by query with the measured one. Median latency of `--runs N` (200)
// queries over different flows. `-- --flow-runs N` for a smaller set than 1,000,000 flow runs.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { DatabaseSync } from "node:sqlite";
import pg from "pg";
import { newId } from "../protocol/ids.ts";
import { ApiClient } from "../client/api-client.ts";
import { flowRunsApi } from "../protocol/api/flow-runs.ts";
import { sqliteFile } from "../client/home.ts";
import { buildServer } from "../server/app.ts";
import { PostgresStore } from "../store/postgres/postgres-store.ts";
import { SqliteStore } from "../store/sqlite/sqlite-store.ts";
import type { Store } from "../store/types.ts";
import type { RunEvent } from "../protocol/run-events.ts";
import { emit, log, median, runCount, runMain } from "./common/report.ts";

const sizeArg = process.argv.indexOf("--flow-runs");
const RUNS = sizeArg > 0 ? Number(process.argv[sizeArg + 1]) : 1_000_000;
const FLOWS = 100;
const QUERIES = runCount(200);
const BATCH = 10_000;
const PG_URL = process.env.SKEIN_BENCH_DATABASE_URL ?? process.env.SKEIN_TEST_DATABASE_URL;

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

type Query = (flowName: string) => Promise<number>;

/** Median latency of `query` and of the raw SQL `baseline`, alternated so both see the machine as it is. */
async function latency(metric: string, query: Query, baseline: Query): Promise<void> {
  const time = async (run: Query, flowName: string, into: number[]) => {
    const start = performance.now();
    const found = await run(flowName);
    into.push(performance.now() - start);
    if (found !== 50) throw new Error(`expected 50 runs of ${flowName}, got ${found}`);
  };
  for (let i = 0; i < 20; i++) await time(query, `flow-${i % FLOWS}`, []); // warm-up
  for (let i = 0; i < 20; i++) await time(baseline, `flow-${i % FLOWS}`, []);
  const [times, baselineTimes] = [[], []] as number[][];
  for (let i = 0; i < QUERIES; i++) {
    const flowName = `flow-${(i * 37) % FLOWS}`;
    await time(query, flowName, times);
    await time(baseline, flowName, baselineTimes);
  }
  emit("run-query", metric, { value: median(times), unit: "ms", baseline: median(baselineTimes), runs: QUERIES });
}

/** The explorer's query as plain SQL on its own SQLite connection. */
function rawSqlite(file: string): { query: Query; close(): void } {
  const db = new DatabaseSync(file, { readOnly: true });
  const latest = db.prepare(
    "SELECT * FROM flow_runs WHERE flow_name = ? ORDER BY created_at DESC, rowid DESC LIMIT 50",
  );
  return { query: async (flowName) => latest.all(flowName).length, close: () => db.close() };
}

async function main(): Promise<void> {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "skein-bench-query-"));
  const file = sqliteFile(home);
  const sqlite = new SqliteStore(file);
  try {
    log(`SQLite: ${RUNS.toLocaleString("en")} runs`);
    await fill(sqlite);
    const raw = rawSqlite(file);
    await latency(
      "sqlite-latest-50-ms",
      async (flowName) => (await sqlite.listFlowRuns({ flowName, limit: 50 })).length,
      raw.query,
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
    await latency(
      "api-sqlite-latest-50-ms",
      async (flowName) =>
        (await client.call(flowRunsApi.list, { query: { flowName, limit: 50, offset: 0 } })).flowRuns.length,
      raw.query,
    );
    raw.close();
    await client.close();
    await server.close();
  } finally {
    await sqlite.close();
    fs.rmSync(home, { recursive: true, force: true });
  }
  if (!PG_URL)
    return log("postgres skipped: set SKEIN_BENCH_DATABASE_URL (or SKEIN_TEST_DATABASE_URL) to a PostgreSQL URL");
  const schema = `skein_bench_${randomBytes(4).toString("hex")}`;
  const store = await PostgresStore.connect(PG_URL, { schema });
  const raw = new pg.Client({ connectionString: PG_URL, options: `-c search_path=${schema}` });
  await raw.connect();
  try {
    log(`PostgreSQL: ${RUNS.toLocaleString("en")} runs`);
    await fill(store);
    await raw.query("ANALYZE flow_runs");
    await latency(
      "postgres-latest-50-ms",
      async (flowName) => (await store.listFlowRuns({ flowName, limit: 50 })).length,
      async (flowName) =>
        (
          await raw.query({
            name: "latest-50",
            text: "SELECT * FROM flow_runs WHERE flow_name = $1 ORDER BY created_at DESC, seq DESC LIMIT 50",
            values: [flowName],
          })
        ).rowCount ?? 0,
    );
  } finally {
    await raw.end();
    await store.dropSchema(schema);
    await store.close();
  }
}

runMain(main);
