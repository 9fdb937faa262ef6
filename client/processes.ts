// Whether a process lives on this machine: the one check behind the server file, crash sweeps and `skein server`.

/** Whether the process with this pid lives on this machine. */
export function isProcessAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
