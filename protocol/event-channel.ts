// The debug back-channel between the extension and a run process started under the debugger (as vitest's VS Code
// extension does): under a debugger the process's stdout belongs to the Debug Console, so the extension listens on
// a local socket (a Unix socket, or a named pipe on Windows), names it in SKEIN_EVENTS_SOCKET, and the run process
// mirrors every run event to it as one JSON line, exactly what `--output jsonl` prints. The extension writes
// control lines back (cancel) on the same connection.

/** Path of the socket or named pipe the run process mirrors its events to. */
export const EVENTS_SOCKET_ENV = "SKEIN_EVENTS_SOCKET";

/**
 * Set to "1" by the extension when it starts a run under the debugger: a run paused at a breakpoint must not be
 * ended by its timeouts (see docs/engine.md, "Under the debugger").
 */
export const UNDER_DEBUGGER_ENV = "SKEIN_UNDER_DEBUGGER";

/** What the extension sends to the run process, one JSON object per line. */
export type EventChannelControl = { type: "cancel" };

export function isEventChannelControl(value: unknown): value is EventChannelControl {
  return typeof value === "object" && value !== null && (value as { type?: unknown }).type === "cancel";
}

/** The Unix socket path or Windows pipe name for one channel, inside `directory` (the extension's storage). */
export function eventSocketPath(directory: string, id: string, platform: string): string {
  // A Unix socket path must stay under ~100 bytes; a Windows pipe lives in its own namespace.
  if (platform === "win32") return `\\\\.\\pipe\\skein-events-${id}`;
  return `${directory.replace(/\/+$/, "")}/ev-${id}.sock`;
}
