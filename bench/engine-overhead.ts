// engine-overhead: orchestration cost per task. A flow awaits 10,000 trivial tasks one by one, every task run and
// state persisted to the embedded store (a temporary SKEIN_HOME); minus the same loop of bare async calls.
// Prints one JSON line per metric on stdout (median of several runs); progress goes to stderr.
import { flow, task, runFlow } from "../engine/index.ts";
import { startTestHarness } from "../engine/testing.ts";

const TASKS = 10_000;
const RUNS = 7;

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

function cpuMicros(usage: NodeJS.CpuUsage): number {
  return usage.user + usage.system;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function main(): Promise<void> {
  const harness = await startTestHarness();
  try {
    await runFlow(awaitAll, []); // warm-up: JIT, schema, prepared statements
    const perTask: number[] = [];
    const cpuPerTask: number[] = [];
    const baseline: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      let start = performance.now();
      let cpu = process.cpuUsage();
      await bareLoop();
      const bare = performance.now() - start;
      const bareCpu = cpuMicros(process.cpuUsage(cpu));
      start = performance.now();
      cpu = process.cpuUsage();
      const state = await runFlow(awaitAll, [], { returnState: true });
      const orchestrated = performance.now() - start;
      const orchestratedCpu = cpuMicros(process.cpuUsage(cpu));
      if (state.type !== "COMPLETED") throw new Error(`benchmark flow ended ${state.name}`);
      baseline.push((bare * 1000) / TASKS);
      perTask.push(((orchestrated - bare) * 1000) / TASKS);
      cpuPerTask.push((orchestratedCpu - bareCpu) / TASKS);
      process.stderr.write(
        `run ${run + 1}/${RUNS}: ${perTask.at(-1)!.toFixed(2)} µs/task wall, ${cpuPerTask.at(-1)!.toFixed(2)} µs/task CPU\n`,
      );
    }
    const [run] = await harness.flowRuns("engine-overhead");
    const persisted = (await harness.taskRuns(run.id)).length;
    if (persisted !== TASKS) throw new Error(`expected ${TASKS} persisted task runs, found ${persisted}`);
    const value = median(perTask);
    // Goal (benchmarks.md): ≤ 25 µs per task.
    console.log(
      JSON.stringify({ bench: "engine-overhead", metric: "overhead-per-task", value: round(value), unit: "µs" }),
    );
    // CPU time (user + system) is what orchestration costs; wall time also counts waiting for a busy machine's cores.
    console.log(
      JSON.stringify({
        bench: "engine-overhead",
        metric: "overhead-per-task-cpu",
        value: round(median(cpuPerTask)),
        unit: "µs",
      }),
    );
    console.log(
      JSON.stringify({
        bench: "engine-overhead",
        metric: "bare-call-per-task",
        value: round(median(baseline)),
        unit: "µs",
      }),
    );
  } finally {
    await harness.close();
  }
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : error}\n`);
  process.exit(1);
});
