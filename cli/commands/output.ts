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

/**
 * Which columns of a table may be cut (with an ellipsis) so that its rows fit the terminal: `names` first, the
 * widest of them first, then `ids`, whose text users copy into other commands.
 */
export interface TableFit {
  names: number[];
  ids: number[];
}

/** No column is cut shorter than this. */
const MIN_CUT_WIDTH = 12;
const COLUMN_GAP = "  ";

/** Columns padded to their widest cell; the last column is left unpadded. With `fit`, rows fit the terminal. */
export function printTable(headers: string[], rows: (string | number | null | undefined)[][], fit?: TableFit): void {
  const cells = [
    headers,
    ...rows.map((row) => row.map((cell) => (cell === null || cell === undefined ? "" : String(cell)))),
  ];
  const widths = headers.map((_, i) => Math.max(...cells.map((row) => row[i]?.length ?? 0)));
  if (fit) fitWidths(widths, fit, terminalWidth() - COLUMN_GAP.length * (widths.length - 1));
  for (const row of cells)
    printLine(
      row
        .map((cell, i) => {
          const shown = cell.length > widths[i] ? `${cell.slice(0, widths[i] - 1)}…` : cell;
          return i === row.length - 1 ? shown : shown.padEnd(widths[i]);
        })
        .join(COLUMN_GAP)
        .trimEnd(),
    );
  if (rows.length === 0) printLine("(none)");
}

/** The terminal's width, or 120 columns when stdout is a pipe or a file. */
function terminalWidth(): number {
  return process.stdout.isTTY && process.stdout.columns ? process.stdout.columns : 120;
}

/** Narrows the cuttable columns, one character at a time from the widest, until their sum fits `available`. */
function fitWidths(widths: number[], fit: TableFit, available: number): void {
  let excess = widths.reduce((sum, width) => sum + width, 0) - available;
  for (const group of [fit.names, fit.ids]) {
    while (excess > 0) {
      const widest = group.reduce<number | undefined>(
        (best, i) => (widths[i] > MIN_CUT_WIDTH && (best === undefined || widths[i] > widths[best]) ? i : best),
        undefined,
      );
      if (widest === undefined) break;
      widths[widest]--;
      excess--;
    }
  }
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
