// engine-map: fan-out. t.map over 100,000 items with taskConcurrency 64, every task run persisted to the embedded
// store (a temporary SKEIN_HOME): wall time and peak RSS. Baseline, in the same run: a fresh process doing the
// floor of the same work, i.e. the same rows (read back from the engine's store, untimed) written straight to
// SQLite in as many transactions as the engine committed (bench/common/sqlite-floor.ts), then a bare map of the
// same 100,000 trivial async calls at most 64 at a time; its wall time and its peak RSS (which holds those rows).
// Every measurement is a fresh process, so peak RSS is that run's alone. Medians of `--runs N` (3).
import { spawnSync } from "node:child_process";
import { DatabaseSync } from "node:sqlite";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { flow, runFlow, task } from "../engine/index.ts";
import { startTestHarness } from "../engine/testing.ts";
import { emit, log, median, runCount, runMain } from "./common/report.ts";
import { readRows, recordBatches, SqliteFloor } from "./common/sqlite-floor.ts";

const ITEMS = 100_000;
const CONCURRENCY = 64;
const RUNS = runCount(3);

const square = async (n: number) => n * n;
const squareTask = task({ name: "square" }, square);
const fanOut = flow({ name: "engine-map", taskConcurrency: CONCURRENCY }, async (items: number[]) => {
  const futures = squareTask.map(items);
  let sum = 0;
  for (const future of futures) sum += await future.result();
  return sum;
});

interface Measured {
  wall: number;
  peakRss: number;
  batches?: number;
}

const items = () => Array.from({ length: ITEMS }, (_, i) => i);
const peakRss = () => process.resourceUsage().maxRSS * 1024;

/** The engine's run: prints what it measured, and leaves a copy of its store at `copy` for the floor. */
async function engineRun(copy: string): Promise<Measured> {
  const harness = await startTestHarness();
  const batches = recordBatches(harness.store);
  try {
    const start = performance.now();
    const state = await runFlow(fanOut, [items()], { returnState: true });
    const wall = (performance.now() - start) / 1000;
    const measured = { wall, peakRss: peakRss() };
    if (state.type !== "COMPLETED") throw new Error(`benchmark flow ended ${state.name}`);
    const persisted = (await harness.taskRuns(state.runId)).filter((run) => run.state.type === "COMPLETED").length;
    if (persisted !== ITEMS) throw new Error(`expected ${ITEMS} persisted completed task runs, found ${persisted}`);
    const db = new DatabaseSync(harness.store.location);
    db.prepare("VACUUM INTO ?").run(copy);
    db.close();
    return { ...measured, batches: batches.length };
  } finally {
    await harness.close();
  }
}

/** The bare equivalent of the mapped tasks: trivial async calls, at most `CONCURRENCY` in flight. */
async function bareMap(values: number[]): Promise<number> {
  let next = 0;
  let sum = 0;
  const worker = async () => {
    while (next < values.length) sum += await square(values[next++]);
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return sum;
}

/** The floor: the engine's rows written straight to SQLite in its number of transactions, then the bare map. */
async function floorRun(copy: string, batches: number): Promise<Measured> {
  const rows = readRows(copy);
  const floor = new SqliteFloor(copy);
  try {
    const start = performance.now();
    floor.write(rows, batches);
    await bareMap(items());
    return { wall: (performance.now() - start) / 1000, peakRss: peakRss() };
  } finally {
    floor.close();
  }
}

function child(args: string[]): Measured {
  const run = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), ...args], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  });
  if (run.status !== 0) throw new Error(`${args[0]} run failed (exit ${run.status})`);
  return JSON.parse(run.stdout) as Measured;
}

async function main(): Promise<void> {
  const [engine, floor] = [[], []] as Measured[][];
  for (let run = 0; run < RUNS; run++) {
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "skein-bench-map-"));
    try {
      const copy = path.join(scratch, "engine.db");
      engine.push(child(["--engine", copy]));
      floor.push(child(["--floor", copy, String(engine[run].batches)]));
    } finally {
      fs.rmSync(scratch, { recursive: true, force: true });
    }
    const mb = (m: Measured) => (m.peakRss / 2 ** 20).toFixed(0);
    log(
      `run ${run + 1}/${RUNS}: ${engine[run].wall.toFixed(2)} s, peak RSS ${mb(engine[run])} MB (${engine[run].batches} transactions); floor ${floor[run].wall.toFixed(2)} s, ${mb(floor[run])} MB`,
    );
  }
  const of = (runs: Measured[], key: "wall" | "peakRss") => median(runs.map((m) => m[key]));
  emit("engine-map", "wall-100k-mapped", {
    value: of(engine, "wall"),
    unit: "s",
    baseline: of(floor, "wall"),
    runs: RUNS,
  });
  const mb = (runs: Measured[]) => of(runs, "peakRss") / 2 ** 20;
  emit("engine-map", "peak-rss", { value: mb(engine), unit: "MB", baseline: mb(floor), runs: RUNS });
}

const [mode, copy, batches] = process.argv.slice(2);
runMain(async () => {
  if (mode === "--engine") process.stdout.write(JSON.stringify(await engineRun(copy)));
  else if (mode === "--floor") process.stdout.write(JSON.stringify(await floorRun(copy, Number(batches))));
  else await main();
});
