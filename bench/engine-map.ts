// engine-map: fan-out. t.map over 100,000 items with taskConcurrency 64, every task run persisted to the embedded
// store (a temporary SKEIN_HOME). Reports the medians of wall time and peak RSS over fresh-process runs.
// Prints one JSON line per metric on stdout; progress goes to stderr.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { flow, task, runFlow } from "../engine/index.ts";
import { startTestHarness } from "../engine/testing.ts";

const ITEMS = 100_000;
const RUNS = 3;

const square = task({ name: "square" }, async (n: number) => n * n);
const fanOut = flow({ name: "engine-map", taskConcurrency: 64 }, async (items: number[]) => {
  const futures = square.map(items);
  let sum = 0;
  for (const future of futures) sum += await future.result();
  return sum;
});

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** One measured run in this process: prints {wall, peakRss} for the parent. */
async function measureOnce(): Promise<void> {
  const harness = await startTestHarness();
  try {
    const items = Array.from({ length: ITEMS }, (_, i) => i);
    const start = performance.now();
    const state = await runFlow(fanOut, [items], { returnState: true });
    const wall = (performance.now() - start) / 1000;
    const peakRss = process.resourceUsage().maxRSS * 1024;
    if (state.type !== "COMPLETED") throw new Error(`benchmark flow ended ${state.name}`);
    const persisted = (await harness.taskRuns(state.runId)).filter((run) => run.state.type === "COMPLETED").length;
    if (persisted !== ITEMS) throw new Error(`expected ${ITEMS} persisted completed task runs, found ${persisted}`);
    process.stdout.write(JSON.stringify({ wall, peakRss }));
  } finally {
    await harness.close();
  }
}

/** Each run is a fresh process, so peak RSS is that run's alone. */
async function main(): Promise<void> {
  const wall: number[] = [];
  const rss: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const child = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), "--once"], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
    });
    if (child.status !== 0) throw new Error(`measured run ${run + 1} failed (exit ${child.status})`);
    const result = JSON.parse(child.stdout) as { wall: number; peakRss: number };
    wall.push(result.wall);
    rss.push(result.peakRss / 2 ** 20);
    process.stderr.write(
      `run ${run + 1}/${RUNS}: ${result.wall.toFixed(2)} s, peak RSS ${rss.at(-1)!.toFixed(0)} MB\n`,
    );
  }
  // Goals (benchmarks.md): < 10 s wall, peak RSS < 500 MB.
  console.log(
    JSON.stringify({
      bench: "engine-map",
      metric: "wall-100k-mapped",
      value: Math.round(median(wall) * 100) / 100,
      unit: "s",
    }),
  );
  console.log(JSON.stringify({ bench: "engine-map", metric: "peak-rss", value: Math.round(median(rss)), unit: "MB" }));
}

(process.argv.includes("--once") ? measureOnce() : main()).catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : error}\n`);
  process.exit(1);
});
