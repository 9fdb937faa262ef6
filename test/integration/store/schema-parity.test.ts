// The SQLite and PostgreSQL stores must have one schema: the same migration versions, tables, columns, column
// types and nullability. PostgreSQL's `seq` (its stand-in for SQLite's implicit rowid) is the one difference.
import { test } from "node:test";
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { MIGRATIONS } from "../../../store/sqlite/migrations.ts";
import { PG_MIGRATIONS } from "../../../store/postgres/migrations.ts";
import { postgresBackend, PG_SKIP } from "../../fixtures/server/backends.ts";
import type { PostgresStore } from "../../../store/postgres/postgres-store.ts";

type Schema = Record<string, string[]>;

/** SQLite declared types and PostgreSQL types mapped onto the same few kinds. */
function kind(type: string): string {
  const t = type.toLowerCase();
  if (t === "text") return "text";
  if (["integer", "bigint", "int", "int4", "int8"].includes(t)) return "integer";
  if (["real", "double precision", "float8"].includes(t)) return "real";
  return t;
}

function sqliteSchema(): Schema {
  const db = new DatabaseSync(":memory:");
  db.exec("CREATE TABLE schema_version (version INTEGER NOT NULL)");
  for (const migration of MIGRATIONS) db.exec(migration);
  const schema: Schema = {};
  for (const { name } of db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as {
    name: string;
  }[]) {
    const columns = db.prepare(`PRAGMA table_info(${name})`).all() as {
      name: string;
      type: string;
      notnull: number;
      pk: number;
    }[];
    schema[name] = columns.map((c) => `${c.name} ${kind(c.type)}${c.notnull || c.pk ? " not null" : ""}`).sort();
  }
  db.close();
  return schema;
}

test("the PostgreSQL migrations are as many as the SQLite ones", () => {
  assert.equal(PG_MIGRATIONS.length, MIGRATIONS.length, "add the PostgreSQL twin of every SQLite migration");
});

test("SQLite and PostgreSQL have the same tables, columns, types and nullability", { skip: PG_SKIP }, async () => {
  const { store, dispose } = await postgresBackend.open();
  try {
    const rows = await (store as PostgresStore)["rows"](
      `SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns
       WHERE table_schema = current_schema() ORDER BY table_name, column_name`,
    );
    const pg: Schema = {};
    for (const row of rows) {
      if (row.column_name === "seq") continue;
      (pg[row.table_name] ??= []).push(
        `${row.column_name} ${kind(row.data_type)}${row.is_nullable === "NO" ? " not null" : ""}`,
      );
    }
    for (const table of Object.keys(pg)) pg[table].sort();
    assert.deepEqual(pg, sqliteSchema());
  } finally {
    await dispose();
  }
});
