// The SQLite file of a store, opened for several processes at once (WAL: others read runs while they run), with
// its prepared statements kept for reuse and write transactions that wait for the lock instead of failing.
// SQLite's counterpart of the pg.Pool and transaction the PostgreSQL store holds.
import fs from "node:fs";
import path from "node:path";
import { DatabaseSync, type StatementSync } from "node:sqlite";
import { ensureHome, PRIVATE_FILE_MODE } from "../../client/home.ts";
import { SqliteStoreError } from "./sqlite-errors.ts";

export class SqliteDatabase {
  readonly db: DatabaseSync;
  private readonly statements = new Map<string, StatementSync>();
  /** The file existed with 0 bytes and nothing beside it: a new store is made in it (the caller says so). */
  readonly wasEmptyFile: boolean;

  constructor(file: string) {
    ensureHome(path.dirname(file));
    this.wasEmptyFile = checkEmptyFile(file);
    // SQLite gives the -wal and -shm files the mode of the database file.
    if (!this.wasEmptyFile) createPrivateFile(file);
    this.db = new DatabaseSync(file, { timeout: 5000 });
    this.db.exec(
      "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY; PRAGMA wal_autocheckpoint = 4000;",
    );
  }

  /** The prepared statement of this SQL text, prepared once. For SQL built per call, use `db.prepare`. */
  sql(text: string): StatementSync {
    let statement = this.statements.get(text);
    if (!statement) {
      statement = this.db.prepare(text);
      this.statements.set(text, statement);
    }
    return statement;
  }

  /** BEGIN IMMEDIATE takes the write lock up front, so concurrent writers wait instead of failing mid-way. */
  transaction<T>(work: () => T): T {
    this.db.exec("BEGIN IMMEDIATE");
    try {
      const result = work();
      this.db.exec("COMMIT");
      return result;
    } catch (error) {
      // SQLite has already rolled back after some failures (SQLITE_FULL, SQLITE_IOERR): a second ROLLBACK would
      // fail with "no transaction is active" and hide the real cause.
      if (this.db.isTransaction) this.db.exec("ROLLBACK");
      throw error;
    }
  }

  close(): void {
    if (this.db.isOpen) this.db.close();
  }
}

/**
 * True when `file` is 0 bytes and truly empty: no write-ahead log beside it holds data. A 0-byte file with such
 * a log is a store cut short (a failed copy, a truncated file), not a new one: refuse it rather than start over
 * on top of it. (A rollback journal is no such sign: a process creating the store writes one before its first
 * page, and SQLite rolls a dead creator's journal back to the empty file it was. A WAL is written only once the
 * file has its header.)
 */
function checkEmptyFile(file: string): boolean {
  const size = fs.statSync(file, { throwIfNoEntry: false })?.size;
  if (size !== 0) return false;
  const walSize = fs.statSync(`${file}-wal`, { throwIfNoEntry: false })?.size ?? 0;
  if (walSize > 0) {
    throw new SqliteStoreError(
      file,
      `the Skein store ${file} is empty (0 bytes) but ${path.basename(file)}-wal beside it holds ${walSize} bytes: the store was cut short, not new. ` +
        `Restore ${path.basename(file)} from a backup, or move both files aside to start a new store`,
    );
  }
  return true;
}

function createPrivateFile(file: string): void {
  try {
    fs.closeSync(fs.openSync(file, "wx", PRIVATE_FILE_MODE));
  } catch {
    // It exists already, or cannot be created: then SQLite's open fails, and the caller explains why.
  }
}
