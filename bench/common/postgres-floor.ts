// The floor of persisting run records in PostgreSQL, for store-ingest: the very rows the store wrote, read back
// from its schema as text (untimed), written straight into tables made `LIKE` the store's (same columns, defaults,
// identity columns and indexes; no foreign keys) with one INSERT … SELECT FROM unnest(one text array per column)
// per table per transaction (the fastest plain multi-row INSERT; COPY needs a streaming add-on), in as many
// transactions as the store committed. What it leaves out is what the product adds: building rows from events, JSON, the
// state-history updates, and its own bookkeeping.
import { randomBytes } from "node:crypto";
import pg from "pg";

interface TableRows {
  table: string;
  columns: string[];
  /** Each column's type, to cast the text back. */
  types: string[];
  rows: (string | null)[][];
}

/** Values exactly as PostgreSQL prints them, so they go back in unchanged. */
const asText = { getTypeParser: () => (value: string) => value };

async function readRows(client: pg.Client, schema: string): Promise<TableRows[]> {
  const tables = await client.query<{ table_name: string }>(
    "SELECT table_name FROM information_schema.tables WHERE table_schema = $1 AND table_type = 'BASE TABLE' ORDER BY table_name",
    [schema],
  );
  const result: TableRows[] = [];
  for (const { table_name: table } of tables.rows) {
    // Identity columns are left to the floor table's own sequence, as the store leaves them to its table's.
    const columns = await client.query<{ name: string; type: string }>(
      `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type FROM pg_attribute a
       JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = $1 AND c.relname = $2 AND a.attnum > 0 AND NOT a.attisdropped
       AND a.attidentity = '' AND a.attgenerated = '' ORDER BY a.attnum`,
      [schema, table],
    );
    const names = columns.rows.map((c) => c.name);
    const rows = await client.query({
      text: `SELECT ${names.join(", ")} FROM ${schema}.${table}`,
      rowMode: "array",
      types: asText,
    });
    const types = columns.rows.map((c) => c.type);
    if (rows.rows.length) result.push({ table, columns: names, types, rows: rows.rows as (string | null)[][] });
  }
  return result;
}

async function insert(client: pg.Client, target: string, { columns, types, rows }: TableRows): Promise<void> {
  const casts = columns.map((column, i) => `${column}::${types[i]}`).join(", ");
  const arrays = columns.map((_, i) => `$${i + 1}::text[]`).join(", ");
  await client.query(
    `INSERT INTO ${target} (${columns.join(", ")}) SELECT ${casts} FROM unnest(${arrays}) AS u(${columns.join(", ")})`,
    columns.map((_, i) => rows.map((row) => row[i])),
  );
}

/** Milliseconds to write the rows of `schema` straight into fresh tables, in `transactions` transactions. */
export async function postgresFloor(url: string, schema: string, transactions: number): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const floor = `skein_bench_floor_${randomBytes(4).toString("hex")}`;
  try {
    const tables = await readRows(client, schema);
    await client.query(`CREATE SCHEMA ${floor}`);
    for (const { table } of tables)
      await client.query(`CREATE TABLE ${floor}.${table} (LIKE ${schema}.${table} INCLUDING ALL)`);
    const started = performance.now();
    for (let t = 0; t < transactions; t++) {
      await client.query("BEGIN");
      for (const table of tables) {
        const share = Math.ceil(table.rows.length / transactions);
        const rows = table.rows.slice(t * share, (t + 1) * share);
        if (rows.length) await insert(client, `${floor}.${table.table}`, { ...table, rows });
      }
      await client.query("COMMIT");
    }
    return performance.now() - started;
  } finally {
    await client.query(`DROP SCHEMA IF EXISTS ${floor} CASCADE`);
    await client.end();
  }
}
