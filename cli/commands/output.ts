// How the operations commands answer: aligned tables for people, `--json` for scripts. Failures throw one
// readable line; the CLI entry prints it and exits non-zero.
import { LOG_LEVELS, type LogLevel } from "../../protocol/run-events.ts";
import type { LogRecord } from "../../store/types.ts";

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function printLine(line = ""): void {
  process.stdout.write(`${line}\n`);
}

/** Columns padded to their widest cell; the last column is left unpadded. */
export function printTable(headers: string[], rows: (string | number | null | undefined)[][]): void {
  const cells = [
    headers,
    ...rows.map((row) => row.map((cell) => (cell === null || cell === undefined ? "" : String(cell)))),
  ];
  const widths = headers.map((_, i) => Math.max(...cells.map((row) => row[i]?.length ?? 0)));
  for (const row of cells)
    printLine(
      row
        .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i])))
        .join("  ")
        .trimEnd(),
    );
  if (rows.length === 0) printLine("(none)");
}

export function shortTime(iso: string | null | undefined): string {
  return iso ? iso.replace("T", " ").slice(0, 19) : "";
}

/** A stored log line as `time | LEVEL | message`. */
export function logLine(log: LogRecord): string {
  return `${shortTime(log.timestamp)} | ${log.level.toUpperCase().padEnd(8)} | ${log.message}`;
}

/** The index in LOG_LEVELS of a `--level` value (0 when none); an unknown level is an error naming the choices. */
export function minimumLevel(level: string | undefined): number {
  if (level === undefined) return 0;
  if (!LOG_LEVELS.includes(level as LogLevel))
    throw new Error(`--level must be one of ${LOG_LEVELS.join(", ")}, got '${level}'`);
  return LOG_LEVELS.indexOf(level as LogLevel);
}
