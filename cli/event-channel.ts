// The run process's end of the debug back-channel (protocol/event-channel.ts): when SKEIN_EVENTS_SOCKET names a
// socket, every run event is mirrored there as one JSON line, and a `cancel` line from the editor cancels the runs
// of this process as SIGINT would. Lossless: close() resolves only once everything written has been flushed to the
// editor. The channel is open (connected, reading) before the run starts: a run paused at a breakpoint before the
// connection completed would otherwise read the editor's `cancel` only after the flow had finished
// (engine/debugger-stops.ts).
import net from "node:net";
import type { RunEvent } from "../protocol/run-events.ts";
import { EVENTS_SOCKET_ENV, isEventChannelControl } from "../protocol/event-channel.ts";
import { cancelActiveRuns } from "../engine/active-runs.ts";

export interface EventChannel {
  send(event: RunEvent): void;
  /** Flushes what was sent and closes the connection. */
  close(): Promise<void>;
}

/**
 * The channel SKEIN_EVENTS_SOCKET names, once connected (or once it failed: the run goes on without it), or
 * undefined when the editor asked for none.
 */
export async function openEventChannel(env: NodeJS.ProcessEnv = process.env): Promise<EventChannel | undefined> {
  const socketPath = env[EVENTS_SOCKET_ENV];
  if (!socketPath) return undefined;
  const socket = net.createConnection(socketPath);
  const settled = new Promise<void>((resolve) => {
    socket.once("connect", resolve);
    socket.once("error", () => resolve());
  });
  let broken = false;
  socket.on("error", (error) => {
    // The run goes on without its mirror; the editor says that it lost the events.
    if (!broken) process.stderr.write(`skein: the editor's event channel ${socketPath} failed: ${error.message}\n`);
    broken = true;
  });
  let pending = "";
  socket.on("data", (chunk: Buffer) => {
    const lines = (pending + chunk.toString("utf8")).split("\n");
    pending = lines.pop() ?? "";
    for (const line of lines) {
      let message: unknown;
      try {
        message = JSON.parse(line);
      } catch {
        continue; // not ours: the channel carries nothing else
      }
      if (isEventChannelControl(message)) cancelActiveRuns("the editor stopped the debug session");
    }
  });
  await settled;
  // The channel must never be what keeps a finished run process alive (but it does while it connects).
  socket.unref();
  return {
    send(event) {
      if (!broken) socket.write(`${JSON.stringify(event)}\n`);
    },
    close() {
      if (broken || socket.destroyed) return Promise.resolve();
      // Held while flushing: an unref'd socket would let the process exit with lines still queued.
      socket.ref();
      return new Promise<void>((resolve) => {
        socket.once("close", () => resolve());
        socket.end();
      });
    },
  };
}
