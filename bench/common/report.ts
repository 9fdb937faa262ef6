// The one way a benchmark reports: each result is a figure and a baseline measured in the same run on the same
// machine (the physical floor of the same work, or its plain-Node equivalent), printed as one JSON line on stdout
// for bench/run.mjs to record. Machines are shared and noisy, so the ratio is what compares across machines.
//
// The ratio is always "how many times the baseline's cost": value / baseline for times and sizes, and
// baseline / value for rates (units ending in "/s"), so a ratio of 3 means three times the floor either way.
// `--runs N` (after `npm run bench -- NAME`) sets how many runs each median is taken over.

/** One line of progress on stderr (stdout carries only results). */
export function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

/** How many runs to take the median of: `--runs N`, else the bench's default. */
export function runCount(defaultRuns: number): number {
  const at = process.argv.indexOf("--runs");
  if (at < 0) return defaultRuns;
  const runs = Number(process.argv[at + 1]);
  if (!Number.isInteger(runs) || runs < 1)
    throw new Error(`--runs wants a whole number ≥ 1, got ${process.argv[at + 1]}`);
  return runs;
}

/** The value at fraction p of the sorted values (0.5: the median; for an even count, the upper middle). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) throw new Error("no values to take a percentile of");
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
}

export function median(values: readonly number[]): number {
  return percentile(values, 0.5);
}

export interface Figure {
  value: number;
  unit: string;
  /** The same work's floor, measured in this run (same unit). */
  baseline: number;
  /** How many runs (or samples) the value and baseline are medians or percentiles of. */
  runs: number;
}

/** Four significant digits: enough to compare, without pretending to more precision than a shared machine gives. */
function round(n: number, digits = 4): number {
  return Number(n.toPrecision(digits));
}

/** Prints one result of `bench` with its baseline and ratio. */
export function emit(bench: string, metric: string, figure: Figure): void {
  const { value, unit, baseline, runs } = figure;
  if (!(baseline > 0) || !Number.isFinite(value))
    throw new Error(`${bench} ${metric}: value ${value}, baseline ${baseline}`);
  const ratio = unit.endsWith("/s") ? baseline / value : value / baseline;
  const result = { bench, metric, value: round(value), unit, baseline: round(baseline), ratio: round(ratio, 3), runs };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

/** Runs a bench's main, reporting a failure on stderr with a non-zero exit code. */
export function runMain(main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    log(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exitCode = 1;
  });
}
