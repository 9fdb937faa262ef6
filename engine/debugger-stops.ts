// Under the editor's debugger (UNDER_DEBUGGER_ENV), a stop asked for while the run is paused at a breakpoint must
// win over the code that was paused. The stop (the back-channel's `cancel`, SIGINT, a cancellation request) waits
// in the process's I/O queue while the debugger holds the main thread; when the debugger lets go, the paused code
// runs on first, and a synchronous task body with the promise continuations after it would finish the whole flow
// before the event loop reads that queue: the run would end Completed though the user stopped it. So under the
// debugger, before a task run's outcome reaches its flow and before a flow run completes, the engine lets the event
// loop poll for I/O once, and a stop that arrived during the pause takes effect there.
import { UNDER_DEBUGGER_ENV } from "../protocol/event-channel.ts";

/** Read at each call, not once: the test harness sets the environment after the engine loaded. */
export function underDebugger(): boolean {
  return process.env[UNDER_DEBUGGER_ENV] === "1";
}

/**
 * Resolves once the event loop has polled for I/O: two check phases apart, since the first may come in the same
 * turn as the I/O callback that was running when the debugger paused.
 */
export function takePendingStops(): Promise<void> {
  return new Promise((resolve) => setImmediate(() => setImmediate(resolve)));
}
