// The floor of persisting run records in SQLite, for benches that compare the engine or the store against it:
// the very rows the store wrote, read back from its file (untimed), written straight with node:sqlite prepared
// INSERTs into a fresh file with the same schema (tables, indexes, triggers copied from sqlite_master) and the
// store's connection settings, in as many transactions as the store committed. What it leaves out is exactly what
// the product adds: building rows from events, JSON, bookkeeping, and (for the engine) orchestration.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { DatabaseSync, type SQLInputValue } from "node:sqlite";

/** The embedded store's per-connection settings (store/sqlite/sqlite-store.ts), so the floor pays the same syncs. */
const STORE_PRAGMAS =
  "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY; PRAGMA wal_autocheckpoint = 4000;";

export interface TableRows {
  table: string;
  columns: string[];
  rows: SQLInputValue[][];
}

function tableNames(db: DatabaseSync): string[] {
  const rows = db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY rowid")
    .all() as { name: string }[];
  return rows.map((row) => row.name);
}

/** Which column ties a table's rows to one flow run, if any. */
function flowRunColumn(table: string, columns: string[]): string | undefined {
  if (table === "flow_runs") return "id";
  return ["flow_run_id", "run_id"].find((column) => columns.includes(column));
}

/**
 * The non-empty tables of a store file, as rows of values. With `flowRunId`, only that flow run's rows (tables
 * with no flow run column are left out).
 */
export function readRows(file: string, flowRunId?: string): TableRows[] {
  const db = new DatabaseSync(file, { readOnly: true });
  try {
    const tables: TableRows[] = [];
    for (const table of tableNames(db)) {
      const columns = (db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((c) => c.name);
      const filter = flowRunId === undefined ? undefined : flowRunColumn(table, columns);
      if (flowRunId !== undefined && !filter) continue;
      const select = db.prepare(`SELECT * FROM ${table}${filter ? ` WHERE ${filter} = ?` : ""}`);
      select.setReturnArrays(true);
      const rows = (filter ? select.all(flowRunId!) : select.all()) as unknown as SQLInputValue[][];
      if (rows.length) tables.push({ table, columns, rows });
    }
    return tables;
  } finally {
    db.close();
  }
}

/** A fresh SQLite file shaped like a store's, to write rows into straight. */
export class SqliteFloor {
  private readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), "skein-bench-floor-"));
  private readonly db = new DatabaseSync(path.join(this.dir, "floor.db"));

  constructor(schemaOf: string) {
    this.db.exec(STORE_PRAGMAS);
    const source = new DatabaseSync(schemaOf, { readOnly: true });
    try {
      const schema = source
        .prepare("SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' ORDER BY rowid")
        .all() as { sql: string }[];
      for (const { sql } of schema) this.db.exec(sql);
    } finally {
      source.close();
    }
  }

  /** Milliseconds to insert `tables` in `transactions` transactions (each takes its share of every table). */
  write(tables: readonly TableRows[], transactions: number): number {
    const inserts = tables.map(({ table, columns }) =>
      this.db.prepare(`INSERT INTO ${table} (${columns.join(", ")}) VALUES (${columns.map(() => "?").join(", ")})`),
    );
    const started = performance.now();
    for (let t = 0; t < transactions; t++) {
      this.db.exec("BEGIN IMMEDIATE");
      tables.forEach(({ rows }, i) => {
        const share = Math.ceil(rows.length / transactions);
        for (const row of rows.slice(t * share, (t + 1) * share)) inserts[i].run(...row);
      });
      this.db.exec("COMMIT");
    }
    return performance.now() - started;
  }

  close(): void {
    this.db.close();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * Records the size of every batch a store is sent (the engine's write-behind queue decides them), so the floor
 * can commit as often. Wraps the store object's write method (the synchronous one when it has it, which the
 * asynchronous one calls); the queue looks it up on each call.
 */
export function recordBatches(store: object): number[] {
  const sizes: number[] = [];
  const target = store as Record<string, unknown>;
  const method = typeof target.appendEventsSync === "function" ? "appendEventsSync" : "appendEvents";
  const original = target[method] as (events: readonly unknown[]) => unknown;
  target[method] = (events: readonly unknown[]) => {
    sizes.push(events.length);
    return original.call(store, events);
  };
  return sizes;
}
