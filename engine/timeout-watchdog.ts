// Timeouts the event loop cannot enforce. A function that blocks the main thread synchronously (`while (true) {}`,
// a long computation) never lets its guard's timer fire, so a worker thread with its own event loop watches the
// deadlines of guarded runs. Should a deadline pass with the main thread silent, the worker records the run as
// timed out in the store and ends the process: a blocked thread cannot be stopped any other way
// (timeout-watchdog-worker.ts). Only guards with a timeout arm it; the worker starts on the first one.
import { SHARE_ENV, Worker } from "node:worker_threads";
import type { RunKind } from "../protocol/run-events.ts";
import type { StateName } from "../protocol/states.ts";
import { flushEventsSync } from "./runtime.ts";
import { maskSecrets } from "./masking.ts";
import { engineWorkerFile } from "./worker-file.ts";

/** The run a guard stands for, so the worker can record how it ended. */
export interface WatchedRun {
  runKind: RunKind;
  runId: string;
  flowRunId: string;
  /** Its state while guarded, and its flow run's (the same for a flow run): where the recorded moves start. */
  state: StateName;
  flowRunState: StateName;
}

export interface ArmMessage {
  kind: "arm";
  id: number;
  /** Epoch milliseconds. */
  deadline: number;
  /** What timed out, e.g. `Task run 'load-0'`. */
  what: string;
  timeoutSeconds: number;
  run: WatchedRun;
}

export interface DisarmMessage {
  kind: "disarm";
  id: number;
}

export type WatchdogMessage = ArmMessage | DisarmMessage;

let worker: Worker | undefined;
let lastId = 0;

/** Watches one guard's deadline; returns the id to disarm it with when the guard settles. */
export function armWatchdog(what: string, timeoutSeconds: number, run: WatchedRun): number {
  // Should the run block, the worker records its end against what the store holds: the run's creation and its
  // Running state must be stored first, not left in the write-behind queue of a thread that never runs again.
  flushEventsSync();
  const message: ArmMessage = {
    kind: "arm",
    id: ++lastId,
    deadline: Date.now() + timeoutSeconds * 1000,
    // The worker writes this into a state and to stderr itself, past emit: a run name may hold a secret.
    what: maskSecrets(what),
    timeoutSeconds,
    run,
  };
  watchdog().postMessage(message);
  return message.id;
}

export function disarmWatchdog(id: number): void {
  const message: DisarmMessage = { kind: "disarm", id };
  worker?.postMessage(message);
}

function watchdog(): Worker {
  if (worker) return worker;
  // SHARE_ENV: the worker reads the store's settings (SKEIN_HOME, SKEIN_API_URL) as they are when it records, not a
  // copy from when it started; a test harness changes them after the first run.
  worker = new Worker(engineWorkerFile("timeout-watchdog-worker"), { env: SHARE_ENV });
  // The watchdog serves runs; it must never be what keeps a finished process alive.
  worker.unref();
  // Without the watchdog, timeouts still hold for code that yields; a run must not fail because it could not start.
  worker.on("error", (error) =>
    process.stderr.write(
      `skein: the timeout watchdog stopped (${error.message}); a run that blocks the event loop past its timeout will not be ended\n`,
    ),
  );
  return worker;
}
