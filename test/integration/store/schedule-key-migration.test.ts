// A store written before runs knew their schedule (the scheduler keyed them `scheduled:DEPLOYMENT:TIME`) opens
// with the migration that adds `schedule_key`: the scheduler-made runs no worker has claimed are deleted (the
// scheduler makes the upcoming ones again under the new keys, instead of a second run at each time), while a
// claimed one and one asked for by hand stay readable. On a SQLite file and a PostgreSQL schema.
import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { DatabaseSync } from "node:sqlite";
import pg from "pg";
import { PostgresStore } from "../../../store/postgres/postgres-store.ts";
import { PG_MIGRATIONS } from "../../../store/postgres/migrations.ts";
import { SqliteStore } from "../../../store/sqlite/sqlite-store.ts";
import { MIGRATIONS } from "../../../store/sqlite/migrations.ts";
import type { Store } from "../../../store/types.ts";
import { PG_SKIP, PG_URL } from "../../fixtures/server/backends.ts";
import { tempHome } from "../../fixtures/temp-home.ts";

const BEFORE = MIGRATIONS.findIndex((migration) => migration.includes("ADD COLUMN schedule_key"));
const DUE = "2026-03-01T03:00:00.000Z";
const NOW = "2026-03-01T00:00:00.000Z";

/** id, state type, state name, idempotency key: the runs an older store holds for deployment d1. */
const OLD_RUNS: [string, string, string, string | null][] = [
  ["scheduled", "SCHEDULED", "Scheduled", `scheduled:d1:${DUE}`],
  ["late", "SCHEDULED", "Late", "scheduled:d1:2026-02-28T03:00:00.000Z"],
  ["claimed", "PENDING", "Pending", "scheduled:d1:2026-02-27T03:00:00.000Z"],
  ["by-hand", "SCHEDULED", "Scheduled", null],
  ["keyed-by-hand", "SCHEDULED", "Scheduled", "scheduled:my-own-key"],
];

const RUN_SQL = `INSERT INTO flow_runs (id, name, flow_name, parameters, tags, pid, heartbeat_at, created_at, state_type,
  state_name, state_timestamp, deployment_id, work_pool_name, work_queue_name, expected_start_time, idempotency_key)
  VALUES (?, ?, 'f', '{}', '[]', 0, ?, ?, ?, ?, ?, 'd1', 'pool', 'default', ?, ?)`;
const STATE_SQL = "INSERT INTO states (id, run_id, type, name, timestamp) VALUES (?, ?, ?, ?, ?)";

function runParams([id, type, name, key]: (typeof OLD_RUNS)[number]): unknown[] {
  const expected = key?.startsWith("scheduled:d1:") ? key.slice("scheduled:d1:".length) : DUE;
  return [id, id, NOW, NOW, type, name, NOW, expected, key];
}

async function expectMigrated(store: Store): Promise<void> {
  const runs = await store.listFlowRuns({ deploymentId: "d1", limit: 10 });
  assert.deepEqual(runs.map((run) => run.id).sort(), ["by-hand", "claimed", "keyed-by-hand"]);
  assert.deepEqual(
    (await store.listStates("claimed")).map((state) => state.name),
    ["Pending"],
  );
  assert.deepEqual(await store.listStates("scheduled"), [], "the deleted run's states go with it");
}

describe("the schedule_key migration", () => {
  test("on a SQLite file", async () => {
    assert.ok(BEFORE > 0);
    const file = path.join(tempHome("skein-migrate-"), "skein.db");
    const db = new DatabaseSync(file);
    db.exec("CREATE TABLE schema_version (version INTEGER NOT NULL)");
    for (let version = 1; version <= BEFORE; version++) {
      db.exec(MIGRATIONS[version - 1]);
      db.prepare("INSERT INTO schema_version (version) VALUES (?)").run(version);
    }
    for (const run of OLD_RUNS) {
      db.prepare(RUN_SQL).run(...(runParams(run) as string[]));
      db.prepare(STATE_SQL).run(`s-${run[0]}`, run[0], run[1], run[2], NOW);
    }
    db.close();
    const store = new SqliteStore(file);
    try {
      await expectMigrated(store);
    } finally {
      await store.close();
    }
  });

  describe("on PostgreSQL", { skip: PG_SKIP }, () => {
    const schema = `skein_migrate_${process.pid}_${randomBytes(4).toString("hex")}`;
    after(async () => {
      const client = new pg.Client({ connectionString: PG_URL });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await client.end();
    });

    test("in a schema of its own", async () => {
      assert.equal(
        PG_MIGRATIONS.findIndex((migration) => migration.includes("ADD COLUMN schedule_key")),
        BEFORE,
      );
      const client = new pg.Client({ connectionString: PG_URL, options: `-c search_path=${schema}` });
      await client.connect();
      const numbered = (sql: string) => {
        let n = 0;
        return sql.replace(/\?/g, () => `$${++n}`);
      };
      try {
        await client.query(`CREATE SCHEMA ${schema}`);
        await client.query("CREATE TABLE schema_version (version integer NOT NULL)");
        for (let version = 1; version <= BEFORE; version++) {
          await client.query(PG_MIGRATIONS[version - 1]);
          await client.query("INSERT INTO schema_version (version) VALUES ($1)", [version]);
        }
        for (const run of OLD_RUNS) {
          await client.query(numbered(RUN_SQL), runParams(run));
          await client.query(numbered(STATE_SQL), [`s-${run[0]}`, run[0], run[1], run[2], NOW]);
        }
      } finally {
        await client.end();
      }
      const store = await PostgresStore.connect(PG_URL!, { schema, maxConnections: 2 });
      try {
        await expectMigrated(store);
      } finally {
        await store.close();
      }
    });
  });
});
