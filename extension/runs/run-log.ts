// Where a run's lines go in the editor: a LogOutputChannel (`createOutputChannel(name, { log: true })`), each line
// at the level of the run log it comes from, so the channel's level filter and colours apply. The lines are those
// the CLI's text mode prints (protocol/run-event-text.ts), for runs and debug runs alike.
import type { LogLevel, RunEvent } from "../../protocol/run-events.ts";
import { createRunEventFormatter } from "../../protocol/run-event-text.ts";

/** The `09:00:00.123 | INFO     | ` start of a text-mode line (protocol/run-event-text.ts). */
const TIME_AND_LEVEL = /^\d\d:\d\d:\d\d\.\d{3} \| [A-Z]+ *\| /;

export interface RunLog {
  write(level: LogLevel, line: string): void;
}

/** The LogOutputChannel methods a run needs (a structural subset, so tests pass a fake). */
export interface LogChannel {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export function logChannelRunLog(channel: LogChannel): RunLog {
  return {
    write(level, line) {
      switch (level) {
        case "debug":
          return channel.debug(line);
        case "info":
          return channel.info(line);
        case "warning":
          return channel.warn(line);
        default:
          return channel.error(line); // error and critical
      }
    },
  };
}

/** The level a run event's line is shown at: a log's own level; a failed or crashed state as an error. */
export function levelOf(event: RunEvent): LogLevel {
  if (event.kind === "log") return event.level;
  if (event.kind === "state" && (event.state.type === "FAILED" || event.state.type === "CRASHED")) return "error";
  if (event.kind === "state" && event.state.type === "CANCELLED") return "warning";
  return "info";
}

/**
 * Writes each event's lines to the log and returns them: its text line, and the root flow run's result when it
 * completes with one.
 */
export function createRunLogWriter(log: RunLog): (event: RunEvent, rootFlowRunId: string | undefined) => string[] {
  const format = createRunEventFormatter();
  return (event, rootFlowRunId) => {
    const lines: string[] = [];
    const line = format(event);
    if (line !== undefined) {
      // The log channel stamps each line with its own time and level: give it the rest.
      log.write(levelOf(event), line.replace(TIME_AND_LEVEL, ""));
      lines.push(line);
    }
    if (
      event.kind === "state" &&
      event.runId === rootFlowRunId &&
      event.state.type === "COMPLETED" &&
      event.result !== undefined
    ) {
      const result = `Result: ${event.result}`;
      log.write("info", result);
      lines.push(result);
    }
    return lines;
  };
}
