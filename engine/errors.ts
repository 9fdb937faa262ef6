// Errors the engine raises, each saying what happened and, where there is one, the fix; and how any thrown value
// reads in states, logs and the terminal.
import { safeJsonText } from "./results/safe-json.ts";

export class SkeinError extends Error {
  override name = "SkeinError";
}

export class TaskOutsideFlowError extends SkeinError {
  override name = "TaskOutsideFlowError";
  constructor(taskName: string) {
    super(
      `Task '${taskName}' was called outside a flow run. Call it from inside a flow, ` +
        `or call ${taskName}.fn(...) to run the bare function without orchestration.`,
    );
  }
}

/** The run went past its timeoutSeconds. `runId` names the run whose timeout it was (a task run or a flow run). */
export class RunTimeoutError extends SkeinError {
  override name = "TimeoutError";
  constructor(
    readonly what: string,
    seconds: number,
    readonly runId: string,
  ) {
    super(`${what} exceeded its timeout of ${seconds}s`);
  }
}

/**
 * Why a run is being stopped from outside: cancellation (user, another process, SIGINT) or a crash (SIGTERM, an
 * uncaught exception, whose error is the `cause`).
 */
export class RunAbortedError extends SkeinError {
  override name = "RunAbortedError";
  constructor(
    message: string,
    readonly outcome: "Cancelled" | "Crashed",
    cause?: unknown,
  ) {
    super(message, cause === undefined ? undefined : { cause });
  }
}

/** An upstream task run did not complete, so this one never ran. */
export class UpstreamNotReadyError extends SkeinError {
  override name = "UpstreamNotReadyError";
  constructor(
    readonly taskRunName: string,
    readonly upstreamName: string,
  ) {
    super(`Task run '${taskRunName}' did not run: upstream task run '${upstreamName}' did not complete`);
  }
}

export class UnpersistableResultError extends SkeinError {
  override name = "UnpersistableResultError";
}

export class ParameterError extends SkeinError {
  override name = "ParameterError";
}

/** A finished run's state, thrown when its result is asked for but it did not complete. */
export class RunStateError extends SkeinError {
  override name = "RunStateError";
}

/** A thrown value that is not an Error is shown as JSON, cut to this many characters. */
const THROWN_VALUE_MAX_CHARS = 2000;

export function errorText(error: unknown): string {
  if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`;
  return thrownValueText(error);
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : thrownValueText(error);
}

/** `throw { code: 42 }` reads `{"code":42}`, not `[object Object]`. */
function thrownValueText(value: unknown): string {
  if (typeof value !== "object" || value === null) return String(value);
  let text: string;
  try {
    text = safeJsonText(value);
  } catch {
    return Object.prototype.toString.call(value); // a toJSON or getter that throws
  }
  return text.length > THROWN_VALUE_MAX_CHARS
    ? `${text.slice(0, THROWN_VALUE_MAX_CHARS)}... (${text.length} characters)`
    : text;
}
