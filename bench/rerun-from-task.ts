// rerun-from-task: a failed 1,000-task flow (bench/flows/thousand-tasks.ts: 999 tasks, then one that fails) rerun
// from its failed task with `skein flow-run rerun RUN --from-task TASK_RUN`, reusing the 999 stored results, as a
// fresh process until it exits Completed. Baseline, in the same run and timed alternately with it: flow-start
// (`skein run examples/hello.ts:hello`, a fresh process); goal: ratio < 2. Also reported against the same
// baseline: the whole 1,000-task flow run from scratch, which the rerun saves only the task bodies of (they are
// trivial here: the figure is what reuse costs). Medians of `--runs N` (9). Needs `node scripts/build.mjs` first.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { SqliteStore } from "../store/sqlite/sqlite-store.ts";
import { emit, log, median, runCount, runMain } from "./common/report.ts";

const ROOT = path.resolve(import.meta.dirname, "..");
const CLI = path.join(ROOT, "dist/engine/cli.mjs");
const FLOW = "bench/flows/thousand-tasks.ts:thousandTasks";
const RUNS = runCount(9);

function skein(args: string[], env: NodeJS.ProcessEnv, expectedStatus = 0): { ms: number; stdout: string } {
  const start = performance.now();
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, env, encoding: "utf8" });
  const ms = performance.now() - start;
  if (result.status !== expectedStatus) {
    throw new Error(`skein ${args.join(" ")} exited ${result.status}, not ${expectedStatus}: ${result.stderr}`);
  }
  return { ms, stdout: result.stdout };
}

runMain(async () => {
  if (!fs.existsSync(CLI))
    throw new Error("rerun-from-task needs the built engine: run 'node scripts/build.mjs' first");
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "skein-bench-rerun-"));
  const env = { ...process.env, SKEIN_HOME: home, SKEIN_API_URL: "" };
  const marker = path.join(home, "marker");
  try {
    // The failed run, once: 999 tasks completed, the last failed.
    skein(["run", FLOW], env, 1);
    const store = new SqliteStore(path.join(home, "skein.db"));
    const [failed] = await store.listFlowRuns({ flowName: "thousand-tasks", limit: 1 });
    const finish = (await store.listTaskRuns(failed.id)).find((run) => run.name === "finish-0");
    await store.close();
    if (finish?.state.name !== "Failed") throw new Error("the first run did not fail at its last task");
    fs.writeFileSync(marker, "");
    const rerunArgs = ["flow-run", "rerun", failed.id, "--from-task", finish.id];
    // Warm the OS file cache and the bundle cache in SKEIN_HOME, as a second click would.
    skein(["run", "examples/hello.ts:hello"], env);
    const warm = skein(rerunArgs, env);
    if (!warm.stdout.includes("reusing 999 stored results")) throw new Error(`not 999 reused: ${warm.stdout}`);
    const reruns: number[] = [];
    const fullRuns: number[] = [];
    const flowStarts: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      flowStarts.push(skein(["run", "examples/hello.ts:hello"], env).ms);
      reruns.push(skein(rerunArgs, env).ms);
      fullRuns.push(skein(["run", FLOW], env).ms);
      log(
        `run ${i + 1}/${RUNS}: rerun ${reruns.at(-1)!.toFixed(0)} ms, full run ${fullRuns.at(-1)!.toFixed(0)} ms ` +
          `(flow-start ${flowStarts.at(-1)!.toFixed(0)} ms)`,
      );
    }
    const baseline = median(flowStarts);
    emit("rerun-from-task", "rerun-1000-from-failed", { value: median(reruns), unit: "ms", baseline, runs: RUNS });
    emit("rerun-from-task", "full-run-1000", { value: median(fullRuns), unit: "ms", baseline, runs: RUNS });
  } finally {
    fs.rmSync(home, { recursive: true, force: true });
  }
});
