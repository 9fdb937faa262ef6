// How the `skein` command ends. process.exit() drops what is still queued for a pipe (stdout read by `| cat`, the
// extension, a script), so every exit waits until stdout and stderr have handed all their bytes to the OS.
import type { Writable } from "node:stream";

/** Exits with `code` once everything written to stdout and stderr so far has left the process. */
export async function exitAfterOutput(code: number): Promise<never> {
  await Promise.all([drained(process.stdout), drained(process.stderr)]);
  process.exit(code);
}

/** Resolves when the stream's queued writes are done (or failed: a reader that went away cannot take more). */
function drained(stream: Writable): Promise<void> {
  if (stream.writableLength === 0 || stream.destroyed) return Promise.resolve();
  // Writes complete in order, so an empty write's callback runs after every earlier one.
  return new Promise((resolve) => stream.write("", () => resolve()));
}
