// Output whose reader went away. Node ignores SIGPIPE, so a write to a pipe whose reader has closed (`skein run … |
// head -1`) fails with EPIPE, raised as an 'error' event on process.stdout or process.stderr; unhandled, that event
// is an uncaught exception, which crashes the flow run that was printing and kills a listing command with a stack.
// As other command-line tools do, the process instead stops caring about that stream and goes on: a run ends its
// real way with its events still stored, and a command ends with the exit code of what it did.
let installed = false;

/** From now on, a closed reader of stdout or stderr (EPIPE) is ignored; any other error on them is raised as before. */
export function ignoreClosedOutput(): void {
  if (installed) return;
  installed = true;
  for (const stream of [process.stdout, process.stderr]) {
    // process.stdout is never destroyed, so every later write fails the same way: the listener stays.
    stream.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code !== "EPIPE") throw error;
    });
  }
}
