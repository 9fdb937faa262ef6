// The timeout watchdog's thread (see timeout-watchdog.ts). The main thread arms a deadline when a guard with a
// timeout starts and disarms it when the guard settles. Past its deadline the main thread's own timer settles a
// guard at once if the event loop is free, so a deadline still armed a grace period later means the loop is
// blocked: this thread records the run as timed out and ends the process.
import fs from "node:fs";
import { parentPort, receiveMessageOnPort, type MessagePort } from "node:worker_threads";
import type { RunEvent } from "../protocol/run-events.ts";
import { errorMessage } from "./errors.ts";
import { skeinHome } from "../client/home.ts";
import { newId } from "../protocol/ids.ts";
import { nextState, transitionRule } from "./states.ts";
import type { ArmMessage, WatchdogMessage } from "./timeout-watchdog.ts";

/** How long past its deadline a guard may stay unsettled before the main thread counts as blocked. */
const BLOCKED_EVENT_LOOP_GRACE_MS = 1000;

/** The process must end even when the store does not answer (a server that is down and being retried). */
const RECORD_TIMEOUT_MS = 5000;

const port: MessagePort = parentPort!;
const armed = new Map<number, { guard: ArmMessage; timer: NodeJS.Timeout }>();
/** Set by the first deadline missed: others that pass while it is being recorded would only contradict it. */
let ending = false;

function receive(message: WatchdogMessage): void {
  if (message.kind === "arm") {
    const timer = setTimeout(
      () => check(message.id),
      Math.max(0, message.deadline + BLOCKED_EVENT_LOOP_GRACE_MS - Date.now()),
    );
    armed.set(message.id, { guard: message, timer });
  } else {
    clearTimeout(armed.get(message.id)?.timer);
    armed.delete(message.id);
  }
}

port.on("message", receive);

function check(id: number): void {
  // A disarm may wait in the port behind this timer: the guard settled just in time.
  for (let pending = receiveMessageOnPort(port); pending; pending = receiveMessageOnPort(port))
    receive(pending.message);
  const watched = armed.get(id);
  if (watched && !ending) {
    ending = true;
    void endBlockedRun(watched.guard);
  }
}

async function endBlockedRun(guard: ArmMessage): Promise<void> {
  const reason = `${guard.what} blocked the event loop past its timeout of ${guard.timeoutSeconds} s; Skein ended the run process`;
  let unrecorded = "";
  try {
    await Promise.race([
      record(guard, reason),
      new Promise((_, reject) =>
        setTimeout(() => reject(new Error(`no answer in ${RECORD_TIMEOUT_MS} ms`)), RECORD_TIMEOUT_MS),
      ),
    ]);
  } catch (error) {
    unrecorded = `; the store could not record it: ${errorMessage(error)}`;
  }
  // process.stderr of a worker goes through the main thread, which is blocked: write to the descriptor itself.
  fs.writeSync(2, `skein: ${reason} (pid ${process.pid})${unrecorded}\n`);
  // Not SIGTERM: its handler would need the blocked main thread.
  process.kill(process.pid, "SIGKILL");
}

/**
 * A task run ends TimedOut and its flow run Crashed, since the process ends with it; a flow run ends TimedOut. A
 * flow run that had already ended (a task run started by its onCompletion hook) keeps its final state.
 */
async function record(guard: ArmMessage, reason: string): Promise<void> {
  const { runKind, runId, flowRunId, state, flowRunState } = guard.run;
  const timedOut = nextState({ name: state }, "TimedOut", reason);
  const events: RunEvent[] = [
    { kind: "state", id: newId(), timestamp: timedOut.timestamp, flowRunId, runKind, runId, state: timedOut },
  ];
  if (runKind === "task" && transitionRule(flowRunState, "Crashed")) {
    const crashed = nextState({ name: flowRunState }, "Crashed", reason);
    events.push({
      kind: "state",
      id: newId(),
      timestamp: crashed.timestamp,
      flowRunId,
      runKind: "flow",
      runId: flowRunId,
      state: crashed,
    });
  }
  // Loaded only now: the store's client code is large, and most processes never need it here.
  const { openStore } = await import("../store/open-store.ts");
  const store = openStore(skeinHome());
  try {
    await store.appendEvents(events);
  } finally {
    await store.close();
  }
}
