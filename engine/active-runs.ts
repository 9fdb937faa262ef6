// The flow runs alive in this process. While there are any, the process heartbeats them, polls the store for
// cancellation requests (so another process can cancel them), and turns SIGINT into Cancelled and SIGTERM into
// Crashed, so a run never stays Running after its process was told to stop.
import { RunAbortedError } from "./errors.ts";
import type { FlowRunState } from "./flow-run-state.ts";
import { emit, flushEventsSync, getStore } from "./runtime.ts";
import { newId } from "../protocol/ids.ts";
import { nextState, transitionRule } from "./states.ts";

const POLL_MS = 200;
const HEARTBEAT_EVERY_POLLS = 25;

const active = new Map<string, FlowRunState>();
let poller: NodeJS.Timeout | undefined;
let polls = 0;
let signalsReceived = 0;

export function registerActiveRun(run: FlowRunState): void {
  active.set(run.id, run);
  if (active.size === 1) start();
}

export function unregisterActiveRun(run: FlowRunState): void {
  active.delete(run.id);
  if (active.size === 0) stop();
}

function start(): void {
  // A poll the store fails (busy, a server restarting, a refused key) is tried again at the next tick; the run's
  // events report a store that stays unusable (store/write-behind.ts), so here it must not crash the process.
  poller = setInterval(() => poll().catch(() => undefined), POLL_MS);
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
}

function stop(): void {
  clearInterval(poller);
  poller = undefined;
  process.off("SIGINT", onSignal);
  process.off("SIGTERM", onSignal);
}

async function poll(): Promise<void> {
  const ids = [...active.keys()];
  if (ids.length === 0) return;
  const store = getStore();
  for (const id of await store.cancellationRequests(ids)) {
    active.get(id)?.abort(new RunAbortedError("Cancelled by request", "Cancelled"));
  }
  if (++polls % HEARTBEAT_EVERY_POLLS === 0) await store.heartbeat(ids);
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

/** Cancels a flow run: at once if it runs in this process, else through the store for its own process to see. */
export async function cancelFlowRun(flowRunId: string): Promise<void> {
  const local = active.get(flowRunId);
  if (local) local.abort(new RunAbortedError("Cancelled by request", "Cancelled"));
  else await getStore().requestCancellation(flowRunId);
}

/**
 * The process is exiting (process.exit() in user code, an uncaught exception) while runs are unfinished: record
 * them Crashed before the last flush, rather than leave them Running. A run that already ended (process.exit() in
 * an onCompletion hook) keeps its final state, since no rule moves a run out of it.
 */
process.on("exit", (code) => {
  for (const run of active.values()) {
    if (!run.state || !transitionRule(run.state.name, "Crashed")) continue;
    const state = nextState(run.state, "Crashed", `The run process exited (code ${code}) before the run finished`);
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
  }
  flushEventsSync();
});
