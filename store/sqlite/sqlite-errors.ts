// What went wrong with a store's SQLite file, said so a user can act: the file, SQLite's own cause (with its
// code, so "disk full" reads as such), and what to do about it. Also which failures are only a busy file.
import path from "node:path";

/** The primary result codes (https://sqlite.org/rescode.html) Skein explains; extended codes keep them in their low byte. */
const SQLITE_BUSY = 5;
const SQLITE_LOCKED = 6;
const HINTS: Record<number, { name: string; hint: (file: string) => string }> = {
  3: { name: "SQLITE_PERM", hint: (file) => writableHint(file) },
  8: { name: "SQLITE_READONLY", hint: (file) => writableHint(file) },
  10: {
    name: "SQLITE_IOERR",
    hint: (file) => `check the disk holding ${path.dirname(file)} (full, removed or failing)`,
  },
  11: { name: "SQLITE_CORRUPT", hint: (file) => damagedHint(file) },
  13: {
    name: "SQLITE_FULL",
    hint: (file) =>
      `disk full: free space on the disk holding ${path.dirname(file)}, or set SKEIN_HOME to another disk`,
  },
  14: { name: "SQLITE_CANTOPEN", hint: (file) => writableHint(file) },
  26: { name: "SQLITE_NOTADB", hint: (file) => damagedHint(file) },
};

/** The store file cannot be used or written as asked; the message names the file, the cause and the fix. */
export class SqliteStoreError extends Error {
  override name = "SqliteStoreError";
  constructor(
    readonly file: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** `doing` says what failed, e.g. "open" or "write to". */
export function sqliteStoreError(file: string, doing: string, error: unknown): SqliteStoreError {
  if (error instanceof SqliteStoreError) return error;
  const known = HINTS[primaryCode(error) ?? -1];
  const cause = error instanceof Error ? error.message : String(error);
  const hint = known ? known.hint(file) : ioHint(error, file);
  return new SqliteStoreError(
    file,
    `cannot ${doing} the Skein store ${file}: ${cause}${known ? ` (${known.name})` : ""}${hint ? `; ${hint}` : ""}`,
    { cause: error },
  );
}

/** Another connection holds the write lock: waiting and trying again will do. */
export function isBusy(error: unknown): boolean {
  const code = primaryCode(error);
  return code === SQLITE_BUSY || code === SQLITE_LOCKED;
}

function primaryCode(error: unknown): number | undefined {
  const code = (error as { errcode?: unknown })?.errcode;
  return typeof code === "number" ? code & 0xff : undefined;
}

/** Errors from the file system around SQLite (creating SKEIN_HOME, the store file). */
function ioHint(error: unknown, file: string): string | undefined {
  const code = (error as NodeJS.ErrnoException)?.code;
  if (code === "EACCES" || code === "EPERM" || code === "EROFS") return writableHint(file);
  if (code === "ENOSPC") return HINTS[13].hint(file);
  return undefined;
}

function writableHint(file: string): string {
  const home = path.dirname(file);
  return `${home} and the files in it must be writable by this user (e.g. 'chmod u+rwx ${home}', not a read-only disk), or set SKEIN_HOME to another directory`;
}

function damagedHint(file: string): string {
  return `the file is not a Skein store or is damaged: move it aside ('mv ${file} ${file}.bad') to start a new store, or restore it from a backup`;
}
