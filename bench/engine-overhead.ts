// engine-overhead: orchestration cost per task. A flow awaits 10,000 trivial tasks one by one, every task run and
// state persisted to the embedded store (a temporary SKEIN_HOME); minus the same loop of bare async calls.
// Baseline, in the same run: the floor of that persistence, i.e. the same task-run, flow-run and state rows read
// back from the store and written straight to SQLite (node:sqlite) in as many transactions as the engine's
// write-behind queue committed (bench/common/sqlite-floor.ts). Wall and CPU time; medians of `--runs N` (7).
import { flow, runFlow, task } from "../engine/index.ts";
import { startTestHarness } from "../engine/testing.ts";
import { emit, log, median, runCount, runMain } from "./common/report.ts";
import { readRows, recordBatches, SqliteFloor } from "./common/sqlite-floor.ts";

const TASKS = 10_000;
const RUNS = runCount(7);

const trivial = async (i: number) => i + 1;
const trivialTask = task({ name: "trivial" }, trivial);
const awaitAll = flow({ name: "engine-overhead" }, async () => {
  let sum = 0;
  for (let i = 0; i < TASKS; i++) sum += await trivialTask(i);
  return sum;
});

async function bareLoop(): Promise<number> {
  let sum = 0;
  for (let i = 0; i < TASKS; i++) sum += await trivial(i);
  return sum;
}

/** Wall milliseconds and CPU microseconds (user + system; wall also counts waiting for a busy machine's cores). */
async function timed(work: () => unknown): Promise<{ wall: number; cpu: number }> {
  const start = performance.now();
  const cpu = process.cpuUsage();
  await work();
  const used = process.cpuUsage(cpu);
  return { wall: performance.now() - start, cpu: used.user + used.system };
}

runMain(async () => {
  const harness = await startTestHarness();
  const batches = recordBatches(harness.store);
  let floor: SqliteFloor | undefined;
  try {
    /** One engine run, then the same rows straight into the floor file; both per task, in µs. */
    const measure = async () => {
      batches.length = 0;
      const bare = await timed(bareLoop);
      let runId = "";
      const orchestrated = await timed(async () => {
        const state = await runFlow(awaitAll, [], { returnState: true });
        if (state.type !== "COMPLETED") throw new Error(`benchmark flow ended ${state.name}`);
        runId = state.runId;
      });
      const persisted = (await harness.taskRuns(runId)).length; // also flushes the last batch
      if (persisted !== TASKS) throw new Error(`expected ${TASKS} persisted task runs, found ${persisted}`);
      floor ??= new SqliteFloor(harness.store.location);
      const rows = readRows(harness.store.location, runId);
      const floorCpu = process.cpuUsage();
      const floorWall = floor.write(rows, batches.length);
      const floorUsed = process.cpuUsage(floorCpu);
      return {
        wall: ((orchestrated.wall - bare.wall) * 1000) / TASKS,
        cpu: (orchestrated.cpu - bare.cpu) / TASKS,
        floorWall: (floorWall * 1000) / TASKS,
        floorCpu: (floorUsed.user + floorUsed.system) / TASKS,
        batches: batches.length,
      };
    };
    await measure(); // warm-up: JIT, schema, prepared statements, on both sides
    const runs: Awaited<ReturnType<typeof measure>>[] = [];
    for (let run = 0; run < RUNS; run++) {
      const r = await measure();
      runs.push(r);
      log(
        `run ${run + 1}/${RUNS}: ${r.wall.toFixed(2)} µs/task wall, ${r.cpu.toFixed(2)} CPU; floor ${r.floorWall.toFixed(2)} wall, ${r.floorCpu.toFixed(2)} CPU (${r.batches} transactions)`,
      );
    }
    const of = (key: "wall" | "cpu" | "floorWall" | "floorCpu") => median(runs.map((r) => r[key]));
    emit("engine-overhead", "overhead-per-task", {
      value: of("wall"),
      unit: "µs",
      baseline: of("floorWall"),
      runs: RUNS,
    });
    emit("engine-overhead", "overhead-per-task-cpu", {
      value: of("cpu"),
      unit: "µs",
      baseline: of("floorCpu"),
      runs: RUNS,
    });
  } finally {
    floor?.close();
    await harness.close();
  }
});
