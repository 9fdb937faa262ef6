// Run logs: getRunLogger() writes log events attached to the current flow run and task run; with logPrints,
// console.log inside a run becomes an info log of that run.
import { isoNow, newId } from "../protocol/ids.ts";
import { format } from "node:util";
import type { LogLevel } from "../protocol/run-events.ts";
import { currentScope, type RunScope } from "./context.ts";
import { emit } from "./runtime.ts";
import { SkeinError } from "./errors.ts";

export interface RunLogger {
  debug(...args: unknown[]): void;
  info(...args: unknown[]): void;
  warning(...args: unknown[]): void;
  /** Same as warning. */
  warn(...args: unknown[]): void;
  error(...args: unknown[]): void;
  critical(...args: unknown[]): void;
}

export function emitLog(scope: RunScope, level: LogLevel, message: string): void {
  emit({
    kind: "log",
    id: newId(),
    timestamp: isoNow(),
    flowRunId: scope.flowRun.id,
    taskRunId: scope.taskRun?.id,
    level,
    logger: scope.taskRun ? "skein.task_runs" : "skein.flow_runs",
    message,
  });
}

function loggerFor(scope: RunScope): RunLogger {
  const log =
    (level: LogLevel) =>
    (...args: unknown[]) =>
      emitLog(scope, level, format(...args));
  return {
    debug: log("debug"),
    info: log("info"),
    warning: log("warning"),
    warn: log("warning"),
    error: log("error"),
    critical: log("critical"),
  };
}

/** The logger of the run the caller is in. */
export function getRunLogger(): RunLogger {
  const scope = currentScope();
  if (!scope) throw new SkeinError("getRunLogger() was called outside a flow run: call it from a flow or a task");
  return loggerFor(scope);
}

let consoleCaptured = false;

/** Installed once, when the first run with logPrints starts: console.log in such runs becomes a run log. */
export function captureConsoleForLogPrints(): void {
  if (consoleCaptured) return;
  consoleCaptured = true;
  const original = console.log;
  console.log = (...args: unknown[]) => {
    const scope = currentScope();
    const logPrints = scope && (scope.taskRun?.logPrints ?? scope.flowRun.logPrints);
    if (logPrints) emitLog(scope, "info", format(...args));
    else original.apply(console, args);
  };
}
