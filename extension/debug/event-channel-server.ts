// The editor's end of the debug back-channel (protocol/event-channel.ts): a local socket (a Unix socket in the
// extension's storage, or a named pipe on Windows) that one debugged run process connects to and mirrors its run
// events to, one JSON line each. The editor writes `cancel` back when the user stops the debug session.
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { eventSocketPath, type EventChannelControl } from "../../protocol/event-channel.ts";
import type { RunEvent } from "../../protocol/run-events.ts";
import { RunEventReader } from "../runs/run-event-reader.ts";

/** Longest Unix socket path every platform accepts (sun_path is 104 bytes on macOS, 108 on Linux). */
const MAX_SOCKET_PATH = 100;

export class EventChannelServer {
  readonly socketPath: string;
  private readonly server: net.Server;
  private connection: net.Socket | undefined;
  private onClosed!: () => void;
  /** Resolves when the run process closed its end (it has flushed every event), or the channel was disposed. */
  readonly closed = new Promise<void>((resolve) => (this.onClosed = resolve));

  private constructor(socketPath: string, onEvents: (events: RunEvent[]) => void) {
    this.socketPath = socketPath;
    this.server = net.createServer((socket) => {
      // One run process per channel: a second connection is not ours.
      if (this.connection) return socket.destroy();
      this.connection = socket;
      const reader = new RunEventReader();
      const take = (items: ReturnType<RunEventReader["push"]>) => {
        const events = items.flatMap((item) => ("event" in item ? [item.event] : []));
        if (events.length > 0) onEvents(events);
      };
      socket.on("data", (chunk: Buffer) => take(reader.push(chunk.toString("utf8"))));
      socket.on("end", () => take(reader.end()));
      socket.on("error", () => undefined); // a killed process resets the connection: "close" follows
      socket.on("close", () => this.dispose());
    });
  }

  /** Listens on a fresh socket in `directory` (the OS's temp folder when that path would be too long). */
  static async listen(directory: string, onEvents: (events: RunEvent[]) => void): Promise<EventChannelServer> {
    const id = randomBytes(6).toString("hex");
    let socketPath = eventSocketPath(directory, id, process.platform);
    if (process.platform !== "win32") {
      if (Buffer.byteLength(socketPath) > MAX_SOCKET_PATH) socketPath = eventSocketPath(os.tmpdir(), id, "linux");
      fs.mkdirSync(path.dirname(socketPath), { recursive: true });
    }
    const channel = new EventChannelServer(socketPath, onEvents);
    await new Promise<void>((resolve, reject) => {
      channel.server.once("error", reject);
      channel.server.listen(socketPath, () => resolve());
    });
    return channel;
  }

  /** Whether a run process is connected and has not closed yet. */
  get open(): boolean {
    return this.connection !== undefined && !this.connection.destroyed;
  }

  /** Asks the run process to cancel its runs; it ends them Cancelled and exits. */
  cancel(): boolean {
    if (!this.open) return false;
    const message: EventChannelControl = { type: "cancel" };
    this.connection!.write(`${JSON.stringify(message)}\n`);
    return true;
  }

  dispose(): void {
    this.server.close();
    this.onClosed();
  }
}
