// flow-start: click-to-running. Median wall time of `node dist/engine/cli.mjs run examples/hello.ts:hello` as a
// fresh process until it exits Completed, against `node -e 0` (baseline). Needs `node scripts/build.mjs` first.
// Prints one JSON line on stdout; progress goes to stderr.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "..");
const CLI = path.join(ROOT, "dist/engine/cli.mjs");
const RUNS = 15;

function timeProcess(args: string[], env: NodeJS.ProcessEnv): number {
  const start = performance.now();
  const result = spawnSync(process.execPath, args, { cwd: ROOT, env, encoding: "utf8" });
  const elapsed = performance.now() - start;
  if (result.status !== 0) throw new Error(`node ${args.join(" ")} exited ${result.status}: ${result.stderr}`);
  return elapsed;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

if (!fs.existsSync(CLI)) {
  process.stderr.write(
    `flow-start needs the built engine: run 'node scripts/build.mjs' first (${path.relative(ROOT, CLI)} is missing)\n`,
  );
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
    process.stderr.write(
      `run ${i + 1}/${RUNS}: ${runs.at(-1)!.toFixed(0)} ms (node -e 0: ${baseline.at(-1)!.toFixed(0)} ms)\n`,
    );
  }
  const value = median(runs);
  const base = median(baseline);
  // Goal (benchmarks.md): < 300 ms median.
  console.log(
    JSON.stringify({
      bench: "flow-start",
      metric: "skein-run-hello",
      value: Math.round(value),
      unit: "ms",
      baseline: Math.round(base),
      ratio: Math.round((value / base) * 100) / 100,
    }),
  );
} finally {
  fs.rmSync(home, { recursive: true, force: true });
}
