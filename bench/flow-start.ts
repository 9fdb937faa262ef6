// flow-start: click-to-running. Wall time of `node dist/engine/cli.mjs run examples/hello.ts:hello` as a fresh
// process until it exits Completed. Baseline, in the same run: `node -e 0` (a bare Node start), timed alternately
// with it. Medians of `--runs N` (15). Needs `node scripts/build.mjs` first.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { emit, log, median, runCount } from "./common/report.ts";

const ROOT = path.resolve(import.meta.dirname, "..");
const CLI = path.join(ROOT, "dist/engine/cli.mjs");
const RUNS = runCount(15);

function timeProcess(args: string[], env: NodeJS.ProcessEnv): number {
  const start = performance.now();
  const result = spawnSync(process.execPath, args, { cwd: ROOT, env, encoding: "utf8" });
  const elapsed = performance.now() - start;
  if (result.status !== 0) throw new Error(`node ${args.join(" ")} exited ${result.status}: ${result.stderr}`);
  return elapsed;
}

if (!fs.existsSync(CLI)) {
  log(`flow-start needs the built engine: run 'node scripts/build.mjs' first (${path.relative(ROOT, CLI)} is missing)`);
  process.exit(1);
}

const home = fs.mkdtempSync(path.join(os.tmpdir(), "skein-bench-start-"));
const env = { ...process.env, SKEIN_HOME: home };
try {
  // Warm the OS file cache and the bundle cache in SKEIN_HOME, as a second click would.
  timeProcess([CLI, "run", "examples/hello.ts:hello"], env);
  const runs: number[] = [];
  const baseline: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    baseline.push(timeProcess(["-e", "0"], env));
    runs.push(timeProcess([CLI, "run", "examples/hello.ts:hello"], env));
    log(`run ${i + 1}/${RUNS}: ${runs.at(-1)!.toFixed(0)} ms (node -e 0: ${baseline.at(-1)!.toFixed(0)} ms)`);
  }
  emit("flow-start", "skein-run-hello", { value: median(runs), unit: "ms", baseline: median(baseline), runs: RUNS });
} finally {
  fs.rmSync(home, { recursive: true, force: true });
}
