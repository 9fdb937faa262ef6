// Heartbeats of this process's open flow runs, sent from a worker thread (heartbeat-worker.ts) with its own event
// loop and store connection, so a run whose code blocks the main thread for a while (a long synchronous
// computation) still heartbeats and is not taken for dead by a server on another machine. The main thread only
// tells the thread which runs are open; the thread starts with the first run and never keeps the process alive.
import { SHARE_ENV, Worker } from "node:worker_threads";
import { engineWorkerFile } from "./worker-file.ts";

/**
 * How often open flow runs heartbeat: a third of the staleness window after which a run on another machine is taken
 * for dead (store/liveness.ts HEARTBEAT_STALE_MS), so two missed beats are survived.
 */
export const HEARTBEAT_MS = 5_000;

/** What the main thread sends: the flow runs to heartbeat now (none: stay idle). */
export interface HeartbeatMessage {
  flowRunIds: string[];
}

let worker: Worker | undefined;
/** Set when the thread could not run: the main thread's poller heartbeats instead (heartbeatsOnMainThread). */
let failed = false;

/** Heartbeats exactly these runs from now on. */
export function heartbeatRuns(flowRunIds: readonly string[]): void {
  if (failed || (flowRunIds.length === 0 && !worker)) return;
  const message: HeartbeatMessage = { flowRunIds: [...flowRunIds] };
  thread().postMessage(message);
}

/** Whether the main thread must heartbeat itself, because the thread failed. */
export function heartbeatsOnMainThread(): boolean {
  return failed;
}

function thread(): Worker {
  if (worker) return worker;
  // SHARE_ENV: the thread opens the store SKEIN_HOME / SKEIN_API_URL name when it beats (a test harness changes them).
  worker = new Worker(engineWorkerFile("heartbeat-worker"), { env: SHARE_ENV });
  worker.unref();
  worker.on("error", (error) => {
    failed = true;
    worker = undefined;
    process.stderr.write(
      `skein: the heartbeat thread stopped (${error.message}); runs heartbeat from the main thread, which a blocked event loop stops\n`,
    );
  });
  return worker;
}
