// The flow runs alive in this process. While there are any, the process heartbeats them (from a thread of its own,
// heartbeat-thread.ts, so a blocked event loop does not stop the beats), polls the store for cancellation requests
// (so another process can cancel them), and turns SIGINT into Cancelled, SIGTERM and an uncaught exception or
// unhandled rejection into Crashed (with onCrashed hooks), and process.exit() into Crashed at exit, so a run never
// stays Running after its process was told to stop or fell over.
import { RunAbortedError, errorText } from "./errors.ts";
import { runHooksAtExit } from "./hooks.ts";
import { logRunFailure } from "./logging.ts";
import type { FlowRunState } from "./flow-run-state.ts";
import { emit, flushEventsSync, getStore } from "./runtime.ts";
import { newId } from "../protocol/ids.ts";
import { nextState, transitionRule } from "./states.ts";
import { HEARTBEAT_MS, heartbeatRuns, heartbeatsOnMainThread } from "./heartbeat-thread.ts";
import { DEAD_TASK_RUN_MESSAGE } from "../store/liveness.ts";

const POLL_MS = 200;
const HEARTBEAT_EVERY_POLLS = HEARTBEAT_MS / POLL_MS;
/** After an uncaught exception, how long crashed runs get to end (onCrashed hooks, last events) before exit. */
const CRASH_GRACE_MS = 10_000;

const active = new Map<string, FlowRunState>();
let poller: NodeJS.Timeout | undefined;
let polls = 0;
let signalsReceived = 0;

export function registerActiveRun(run: FlowRunState): void {
  active.set(run.id, run);
  if (active.size === 1) start();
  heartbeatRuns([...active.keys()]);
}

export function unregisterActiveRun(run: FlowRunState): void {
  active.delete(run.id);
  if (active.size === 0) stop();
  heartbeatRuns([...active.keys()]);
}

function start(): void {
  // A poll the store fails (busy, a server restarting, a refused key) is tried again at the next tick; the run's
  // events report a store that stays unusable (store/write-behind.ts), so here it must not crash the process.
  poller = setInterval(() => poll().catch(() => undefined), POLL_MS);
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  process.on("uncaughtException", onUncaught);
}

function stop(): void {
  clearInterval(poller);
  poller = undefined;
  process.off("SIGINT", onSignal);
  process.off("SIGTERM", onSignal);
  process.off("uncaughtException", onUncaught);
}

async function poll(): Promise<void> {
  const ids = [...active.keys()];
  if (ids.length === 0) return;
  const store = getStore();
  for (const id of await store.cancellationRequests(ids)) {
    active.get(id)?.abort(new RunAbortedError("Cancelled by request", "Cancelled"));
  }
  if (heartbeatsOnMainThread() && ++polls % HEARTBEAT_EVERY_POLLS === 0) await store.heartbeat(ids);
}

function onSignal(signal: NodeJS.Signals): void {
  signalsReceived++;
  const code = signal === "SIGINT" ? 130 : 143;
  if (signalsReceived > 1) process.exit(code); // a second signal: stop now (the exit handler still flushes events)
  process.exitCode = code;
  const reason =
    signal === "SIGINT"
      ? new RunAbortedError("Cancelled: the run process received SIGINT", "Cancelled")
      : new RunAbortedError("Crashed: the run process received SIGTERM", "Crashed");
  for (const run of active.values()) run.abort(reason);
}

/**
 * Cancels every run of this process as SIGINT does (Cancelled, onCancellation hooks, exit code 130), for a request
 * that comes another way: the editor's debug back-channel, where a signal would not reach a paused process's handler
 * any sooner and does not exist on Windows.
 */
export function cancelActiveRuns(why: string): void {
  if (active.size === 0) return;
  process.exitCode = 130;
  const reason = new RunAbortedError(`Cancelled: ${why}`, "Cancelled");
  for (const run of active.values()) run.abort(reason);
}

/**
 * An exception nothing caught, or a rejection nothing handled (Node raises it as one), while runs are alive: Node
 * would print it and exit 1 at once, leaving the runs Running and their onCrashed hooks unrun. Instead every run
 * ends Crashed with the error in its logs and runs its onCrashed hooks; the process exits 1 afterwards (a plain
 * script's `await flow()` rejects; `skein run` exits with this code), or after CRASH_GRACE_MS at the latest.
 */
function onUncaught(error: unknown, origin: NodeJS.UncaughtExceptionOrigin): void {
  const what = origin === "unhandledRejection" ? "an unhandled promise rejection" : "an uncaught exception";
  process.stderr.write(`Crashed by ${what}: ${errorText(error)}\n`);
  process.exitCode = 1;
  const reason = new RunAbortedError(`Crashed: the run process raised ${what}`, "Crashed", error);
  for (const run of active.values()) run.abort(reason);
  setTimeout(() => process.exit(1), CRASH_GRACE_MS).unref();
}

/** Cancels a flow run: at once if it runs in this process, else through the store for its own process to see. */
export async function cancelFlowRun(flowRunId: string): Promise<void> {
  const local = active.get(flowRunId);
  if (local) local.abort(new RunAbortedError("Cancelled by request", "Cancelled"));
  else await getStore().requestCancellation(flowRunId);
}

/**
 * The process is exiting (process.exit() in user code, a second signal, the crash grace running out) while runs
 * are unfinished: record them and their unfinished task runs Crashed (with the message a crash sweep gives task
 * runs whose process is gone), and run their onCrashed hooks, before the last flush, rather than leave them
 * Running. A run that already ended (process.exit() in an onCompletion hook) keeps its final state, since no rule
 * moves a run out of it. A run ended Crashed here makes the exit code 1 when the code would have said success
 * (`process.exit(0)` in a task): `skein run` exits non-zero for every run that did not complete.
 */
process.on("exit", (code) => {
  for (const run of active.values()) {
    if (!run.state || !transitionRule(run.state.name, "Crashed")) continue;
    if (code === 0) process.exitCode = 1;
    for (const taskRun of run.unfinishedTaskRuns) taskRun.crash(DEAD_TASK_RUN_MESSAGE);
    const message = `The run process exited (code ${code}) before the run finished`;
    logRunFailure(run.id, undefined, new RunAbortedError(message, "Crashed"));
    const state = nextState(run.state, "Crashed", message);
    run.state = state;
    emit({
      kind: "state",
      id: newId(),
      timestamp: state.timestamp,
      flowRunId: run.id,
      runKind: "flow",
      runId: run.id,
      state,
    });
    // 'exit' listeners are synchronous: the hooks run up to their first await, and their logs are stored below.
    const info = { id: run.id, name: run.name, parameters: run.parameters };
    runHooksAtExit(run.flow.options.onCrashed, run.flow, info, state, { flowRun: run });
  }
  flushEventsSync();
});
