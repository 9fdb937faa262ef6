// Which log lines the log view shows: a minimum level, one task run, and a search text (a plain, case-insensitive
// substring of the message without its colour codes: linear time, never a user regex). Pure, so the rules are
// tested without a browser.
import { LOG_LEVELS, type LogLevel } from "../../protocol/run-events.ts";
import type { SnapshotLog } from "../../protocol/run-snapshot.ts";

export interface LogFilter {
  minimumLevel: LogLevel;
  /** Only this task run's lines; undefined: every line. */
  taskRunId?: string;
  /** Lines whose message contains this text, ignoring case; "" matches every line. */
  text: string;
}

export const NO_LOG_FILTER: LogFilter = { minimumLevel: "debug", text: "" };

export function levelRank(level: LogLevel): number {
  const rank = LOG_LEVELS.indexOf(level);
  // A level from a newer engine counts as info rather than disappearing.
  return rank < 0 ? 1 : rank;
}

/**
 * Tests lines against one filter. `plainLowerCase(index)` gives line `index`'s message without escape codes, in
 * lower case; the view caches it so changing the search text does not parse every line again.
 */
export class LogMatcher {
  private readonly minimumRank: number;
  private readonly needle: string;

  constructor(
    private readonly filter: LogFilter,
    private readonly plainLowerCase: (index: number) => string,
  ) {
    this.minimumRank = levelRank(filter.minimumLevel);
    this.needle = filter.text.toLowerCase();
  }

  matches(log: SnapshotLog, index: number): boolean {
    if (levelRank(log.level) < this.minimumRank) return false;
    if (this.filter.taskRunId !== undefined && log.taskRunId !== this.filter.taskRunId) return false;
    return this.needle === "" || this.plainLowerCase(index).includes(this.needle);
  }
}
