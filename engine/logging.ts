// Run logs: getRunLogger() writes log events attached to the current flow run and task run; with logPrints,
// console.log inside a run becomes an info log of that run. A run's failure is logged with its traceback. A flow
// run started from a plain script prints its run lines to stdout, as `skein run` does. SKEIN_LOGGING_LEVEL sets the
// lowest level recorded (and so printed), like Prefect's PREFECT_LOGGING_LEVEL.
import { isoNow, newId } from "../protocol/ids.ts";
import { format } from "node:util";
import { LOG_LEVELS, type LogLevel } from "../protocol/run-events.ts";
import { currentScope, type RunScope } from "./context.ts";
import { emit, onRunEvent } from "./runtime.ts";
import type { RunEvent } from "../protocol/run-events.ts";
import { createRunEventFormatter } from "../protocol/run-event-text.ts";
import { RunAbortedError, SkeinError, errorMessage, errorText } from "./errors.ts";
import { ignoreClosedOutput } from "./closed-output.ts";

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
  emitRunLog(scope.flowRun.id, scope.taskRun?.id, level, message);
}

/** The level logs have when SKEIN_LOGGING_LEVEL is not set. */
const DEFAULT_LOGGING_LEVEL: LogLevel = "info";
let levelSetting: { text: string | undefined; minimum: number } | undefined;

/** The index in LOG_LEVELS of the lowest level recorded; an unknown SKEIN_LOGGING_LEVEL is an error naming the choices. */
export function minimumLogLevel(): number {
  const text = process.env.SKEIN_LOGGING_LEVEL || undefined;
  if (levelSetting && levelSetting.text === text) return levelSetting.minimum;
  const level = (text ?? DEFAULT_LOGGING_LEVEL).toLowerCase();
  const minimum = LOG_LEVELS.indexOf(level as LogLevel);
  if (minimum < 0) throw new SkeinError(`SKEIN_LOGGING_LEVEL must be one of ${LOG_LEVELS.join(", ")}, got '${text}'`);
  levelSetting = { text, minimum };
  return minimum;
}

function emitRunLog(flowRunId: string, taskRunId: string | undefined, level: LogLevel, message: string): void {
  if (LOG_LEVELS.indexOf(level) < minimumLogLevel()) return;
  emit({
    kind: "log",
    id: newId(),
    timestamp: isoNow(),
    flowRunId,
    taskRunId,
    level,
    logger: taskRunId ? "skein.task_runs" : "skein.flow_runs",
    message,
  });
}

/**
 * A run that ends Failed, TimedOut or Crashed keeps why in its logs, with the traceback, not only in the terminal:
 * the run explorer and `flow-run logs` show what is stored.
 */
export function logRunFailure(flowRunId: string, taskRunId: string | undefined, error: unknown): void {
  emitRunLog(flowRunId, taskRunId, "error", failureText(error));
}

/** Errors whose traceback a run has logged: a flow failing with its task run's error names it in one line. */
const loggedErrors = new WeakSet<object>();

function failureText(error: unknown): string {
  if (error instanceof RunAbortedError)
    return error.cause === undefined ? error.message : `${error.message}\n${errorText(error.cause)}`;
  if (typeof error !== "object" || error === null) return `Encountered exception during execution: ${errorText(error)}`;
  if (loggedErrors.has(error))
    return `Encountered exception during execution: ${errorMessage(error)} (traceback above)`;
  loggedErrors.add(error);
  return `Encountered exception during execution:\n${errorText(error)}`;
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

/**
 * Installed once, when the first flow run or task run with logPrints starts: console.log in such runs becomes a run
 * log. A task run's logPrints, when set, overrides its flow run's.
 */
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

/** Names of the flow runs this process runs but did not create (a worker's deployment run, a retry), by id. */
const existingRunNames = new Map<string, string>();

/**
 * Lets the run lines name a flow run made elsewhere, which sends no flow-run-created event here, while it runs;
 * returns what forgets the name when it ends (a warm runner process runs many runs).
 */
export function nameExistingRun(flowRunId: string, name: string): () => void {
  existingRunNames.set(flowRunId, name);
  return () => existingRunNames.delete(flowRunId);
}

/** `time | LEVEL | run - message` lines for run events (the ones `skein run` prints), each handed to `write`. */
export function createTextPrinter(write: (line: string) => void): (event: RunEvent) => void {
  const format = createRunEventFormatter((flowRunId) => existingRunNames.get(flowRunId));
  return (event) => {
    const line = format(event);
    if (line !== undefined) write(line);
  };
}

let runOutput: "unclaimed" | "claimed" | "printing" = "unclaimed";

/** `skein run` and the test harness show (or read) run events their own way: the engine prints nothing itself. */
export function claimRunOutput(): void {
  if (runOutput === "unclaimed") runOutput = "claimed";
}

/**
 * Called as a top-level flow run starts: in a plain script (`node etl.ts` calling the flow), where nothing else
 * shows run events, its lines (and logPrints' console.log) go to stdout as under `skein run`.
 */
export function printRunLinesUnlessClaimed(): void {
  if (runOutput !== "unclaimed") return;
  runOutput = "printing";
  ignoreClosedOutput(); // `node etl.ts | head -1` must not crash the run that prints
  onRunEvent(createTextPrinter((line) => process.stdout.write(`${line}\n`)));
}
