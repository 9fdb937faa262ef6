// The scale-out store behind the API server: PostgreSQL through `pg`. Several servers may share one database:
// migrations take an advisory lock; crash detection takes no lock, but every sweeper ends a dead run with the
// same CRASHED event (crashedEvent's id is derived from the run and its last heartbeat, and storing an event id
// twice changes nothing), so servers that notice the same death store one Crashed state; and leases lock their
// limit rows so slots are never over-granted.
import { hostname } from "node:os";
import { randomUUID } from "node:crypto";
import pg from "pg";
import type { RunEvent } from "../../protocol/run-events.ts";
import { TERMINAL_STATE_TYPES, type State } from "../../protocol/states.ts";
import {
  crashedEventsForDeadRun,
  deadRuns,
  isLeaseHolderGone,
  isLocalHost,
  isRunProcessGone,
  type LeaseHolderRow,
  type OpenRunRow,
  type OpenTaskRow,
} from "../liveness.ts";
import type {
  ArtifactRecord,
  KeyedArtifactRecord,
  CacheEntry,
  ConcurrencyLimitRecord,
  FlowRunQuery,
  FlowRunRecord,
  FlowSummaryRecord,
  LeaseRequest,
  LeaseResult,
  LogRecord,
  StateRecord,
  Store,
  TaskRunInputsRecord,
  TaskRunRecord,
} from "../types.ts";
import { PostgresDeploymentRuns } from "./deployment-runs.ts";
import { SchedulerLeadership } from "./scheduler-leadership.ts";
import { ingestEvents } from "./event-ingest.ts";
import { PG_MIGRATIONS } from "./migrations.ts";
import {
  toArtifact,
  toKeyedArtifact,
  toCacheEntry,
  toFlowRun,
  toLog,
  toStateRecord,
  toTaskRun,
  toTaskRunInputs,
  type Row,
} from "../rows.ts";
import { TASK_RUN_RECORD_COLUMNS } from "../event-fold.ts";

const MIGRATION_LOCK = 0x736b65696e; // "skein"
const TERMINAL = [...TERMINAL_STATE_TYPES];
/** Deadlock or serialization failure: the transaction is safe to run again. */
const RETRYABLE_CODES = new Set(["40P01", "40001"]);

export interface PostgresStoreOptions {
  /** Tables live in this schema (created when missing); tests use one schema each. */
  schema?: string;
  maxConnections?: number;
}

/** Work pools, queues and deployments (work-pool-resources.ts) and deployment runs (deployment-runs.ts) live in their own files, the classes this extends. */
export class PostgresStore extends PostgresDeploymentRuns implements Store {
  readonly location: string;

  private readonly leadership: SchedulerLeadership;

  private constructor(pool: pg.Pool, url: string, schema: string) {
    super(pool);
    this.location = url;
    this.leadership = new SchedulerLeadership(url, schema);
  }

  holdSchedulerLeadership(): Promise<boolean> {
    return this.leadership.hold();
  }

  static async connect(url: string, options: PostgresStoreOptions = {}): Promise<PostgresStore> {
    const schema = options.schema;
    if (schema && !/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`invalid schema name '${schema}'`);
    const pool = new pg.Pool({
      connectionString: url,
      max: options.maxConnections ?? 10,
      ...(schema ? { options: `-c search_path=${schema}` } : {}),
    });
    // An idle connection dropped by the database must not crash the server.
    pool.on("error", (error) => process.stderr.write(`skein: PostgreSQL connection lost: ${error.message}\n`));
    try {
      if (schema) await pool.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
      // The schema the tables live in, also when the URL chose it (`options=-c search_path=…`): one leader per schema.
      const { rows } = await pool.query("SELECT current_schema() AS schema");
      const store = new PostgresStore(pool, url, schema ?? String(rows[0].schema ?? "public"));
      await store.migrate();
      return store;
    } catch (error) {
      await pool.end();
      throw new Error(`cannot open PostgreSQL at ${redact(url)}: ${(error as Error).message}`, { cause: error });
    }
  }

  private async migrate(): Promise<void> {
    await this.transaction(async (client) => {
      await client.query("SELECT pg_advisory_xact_lock($1)", [MIGRATION_LOCK]);
      await client.query("CREATE TABLE IF NOT EXISTS schema_version (version integer NOT NULL)");
      const { rows } = await client.query("SELECT max(version) AS v FROM schema_version");
      for (let version = Number(rows[0]?.v ?? 0) + 1; version <= PG_MIGRATIONS.length; version++) {
        await client.query(PG_MIGRATIONS[version - 1]);
        await client.query("INSERT INTO schema_version (version) VALUES ($1)", [version]);
      }
    });
  }

  protected async transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const client = await this.pool.connect();
      try {
        await client.query("BEGIN");
        const result = await work(client);
        await client.query("COMMIT");
        return result;
      } catch (error) {
        await client.query("ROLLBACK").catch(() => undefined);
        if (!RETRYABLE_CODES.has((error as { code?: string }).code ?? "") || attempt >= 5) throw error;
      } finally {
        client.release();
      }
    }
  }

  private async rows(sql: string, params: unknown[] = []): Promise<Row[]> {
    return (await this.pool.query(sql, params)).rows;
  }

  async appendEvents(events: readonly RunEvent[]): Promise<void> {
    if (events.length === 0) return;
    await this.transaction((client) => ingestEvents(client, events));
  }

  async getFlowRun(id: string): Promise<FlowRunRecord | undefined> {
    const [row] = await this.rows("SELECT * FROM flow_runs WHERE id = $1", [id]);
    return row && toFlowRun(row);
  }

  async listFlowRuns(query: FlowRunQuery = {}): Promise<FlowRunRecord[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    // PostgreSQL text cannot hold NUL, so no stored run has such a name (and the query would be refused).
    if (query.flowName?.includes("\u0000")) return [];
    if (query.flowName) where.push(`flow_name = $${params.push(query.flowName)}`);
    if (query.stateTypes?.length) where.push(`state_type = ANY($${params.push(query.stateTypes)})`);
    if (query.createdBefore) where.push(`created_at < $${params.push(query.createdBefore)}`);
    if (query.deploymentId) where.push(`deployment_id = $${params.push(query.deploymentId)}`);
    if (query.workPoolName) where.push(`work_pool_name = $${params.push(query.workPoolName)}`);
    if (query.parentFlowRunId) where.push(`parent_flow_run_id = $${params.push(query.parentFlowRunId)}`);
    const sql = `SELECT * FROM flow_runs ${where.length ? `WHERE ${where.join(" AND ")}` : ""}
      ORDER BY created_at DESC, seq DESC LIMIT $${params.push(query.limit ?? 50)}`;
    return (await this.rows(sql, params)).map(toFlowRun);
  }

  async listFlows(): Promise<FlowSummaryRecord[]> {
    const sql = `SELECT flow_name, COUNT(*) AS run_count, MAX(created_at) AS last_run_at FROM flow_runs
      GROUP BY flow_name ORDER BY last_run_at DESC, flow_name`;
    return (await this.rows(sql)).map((row) => ({
      name: row.flow_name as string,
      runCount: Number(row.run_count),
      lastRunAt: row.last_run_at as string,
    }));
  }

  async listTaskRuns(flowRunId: string): Promise<TaskRunRecord[]> {
    const sql = `SELECT ${TASK_RUN_RECORD_COLUMNS} FROM task_runs WHERE flow_run_id = $1 ORDER BY seq`;
    return (await this.rows(sql, [flowRunId])).map(toTaskRun);
  }

  async getTaskRun(id: string): Promise<TaskRunRecord | undefined> {
    const [row] = await this.rows(`SELECT ${TASK_RUN_RECORD_COLUMNS} FROM task_runs WHERE id = $1`, [id]);
    return row && toTaskRun(row);
  }

  async getTaskRunInputs(taskRunId: string): Promise<TaskRunInputsRecord | undefined> {
    const [row] = await this.rows("SELECT id, inputs, inputs_not_stored FROM task_runs WHERE id = $1", [taskRunId]);
    return row && toTaskRunInputs(row);
  }

  async listStates(runId: string): Promise<StateRecord[]> {
    const [task] = await this.rows("SELECT history FROM task_runs WHERE id = $1", [runId]);
    if (task) return (JSON.parse(task.history) as (State & { id: string })[]).map((entry) => ({ ...entry, runId }));
    return (await this.rows("SELECT * FROM states WHERE run_id = $1 ORDER BY seq", [runId])).map(toStateRecord);
  }

  async listLogs(flowRunId: string): Promise<LogRecord[]> {
    return (await this.rows("SELECT * FROM logs WHERE flow_run_id = $1 ORDER BY seq", [flowRunId])).map(toLog);
  }

  async listArtifacts(flowRunId: string): Promise<ArtifactRecord[]> {
    return (await this.rows("SELECT * FROM artifacts WHERE flow_run_id = $1 ORDER BY seq", [flowRunId])).map(
      toArtifact,
    );
  }

  async getArtifactByKey(key: string): Promise<ArtifactRecord | undefined> {
    const [row] = await this.rows("SELECT * FROM artifacts WHERE key = $1 ORDER BY created_at DESC, seq DESC LIMIT 1", [
      key,
    ]);
    return row && toArtifact(row);
  }

  async listArtifactsByKey(key: string, limit: number): Promise<KeyedArtifactRecord[]> {
    return (
      await this.rows(
        `SELECT a.*, r.name AS flow_run_name FROM artifacts a JOIN flow_runs r ON r.id = a.flow_run_id
       WHERE a.key = $1 ORDER BY a.created_at DESC, a.seq DESC LIMIT $2`,
        [key, limit],
      )
    ).map(toKeyedArtifact);
  }

  async getArtifact(id: string): Promise<ArtifactRecord | undefined> {
    const [row] = await this.rows("SELECT * FROM artifacts WHERE id = $1", [id]);
    return row && toArtifact(row);
  }

  async deleteFlowRun(id: string): Promise<boolean> {
    return this.transaction(async (client) => {
      // Task run states live in their task run's row; a flow run's states are rows keyed by the flow run.
      for (const table of ["task_runs", "logs", "artifacts", "cache"]) {
        await client.query(`DELETE FROM ${table} WHERE flow_run_id = $1`, [id]);
      }
      await client.query("DELETE FROM states WHERE run_id = $1", [id]);
      await client.query(
        "UPDATE flow_runs SET parent_flow_run_id = NULL, parent_task_run_id = NULL WHERE parent_flow_run_id = $1",
        [id],
      );
      return ((await client.query("DELETE FROM flow_runs WHERE id = $1", [id])).rowCount ?? 0) > 0;
    });
  }

  async heartbeat(flowRunIds: readonly string[], options: { claimPid?: boolean } = {}): Promise<void> {
    if (flowRunIds.length === 0) return;
    const now = new Date().toISOString();
    if (options.claimPid ?? true) {
      await this.pool.query("UPDATE flow_runs SET heartbeat_at = $1, pid = $3, host = $4 WHERE id = ANY($2)", [
        now,
        flowRunIds,
        process.pid,
        hostname(),
      ]);
    } else {
      await this.pool.query("UPDATE flow_runs SET heartbeat_at = $1 WHERE id = ANY($2)", [now, flowRunIds]);
    }
  }

  async isFlowRunAlive(id: string): Promise<boolean> {
    const [row] = await this.rows("SELECT pid, host, heartbeat_at, state_type FROM flow_runs WHERE id = $1", [id]);
    return (
      !!row &&
      !TERMINAL.includes(row.state_type) &&
      !isRunProcessGone(Number(row.pid), row.host, row.heartbeat_at, Date.now())
    );
  }

  async markDeadRunsCrashed(): Promise<string[]> {
    const open = await this.rows(
      "SELECT id, pid, host, heartbeat_at, state_name, state_timestamp FROM flow_runs WHERE state_type <> ALL($1)",
      [TERMINAL],
    );
    const dead = deadRuns(open as OpenRunRow[]);
    if (dead.length === 0) return [];
    const tasks = await this.rows(
      `SELECT id, flow_run_id, state_name, state_timestamp FROM task_runs
       WHERE flow_run_id = ANY($1) AND state_type <> ALL($2)`,
      [dead.map((run) => run.id), TERMINAL],
    );
    await this.appendEvents(dead.flatMap((run) => crashedEventsForDeadRun(run, tasks as OpenTaskRow[])));
    return dead.map((run) => run.id);
  }

  async requestCancellation(flowRunId: string): Promise<void> {
    await this.pool.query(
      "UPDATE flow_runs SET cancel_requested_at = coalesce(cancel_requested_at, $1) WHERE id = $2",
      [new Date().toISOString(), flowRunId],
    );
  }

  async cancellationRequests(flowRunIds: readonly string[]): Promise<string[]> {
    if (flowRunIds.length === 0) return [];
    const rows = await this.rows("SELECT id FROM flow_runs WHERE cancel_requested_at IS NOT NULL AND id = ANY($1)", [
      flowRunIds,
    ]);
    return rows.map((row) => row.id);
  }

  async readCache(key: string): Promise<CacheEntry | undefined> {
    const [row] = await this.rows("SELECT * FROM cache WHERE key = $1", [key]);
    return row && toCacheEntry(row, Date.now());
  }

  async writeCache(entry: CacheEntry): Promise<void> {
    await this.pool.query(
      `INSERT INTO cache (key, value, task_run_id, flow_run_id, expires_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (key) DO UPDATE SET value = $2, task_run_id = $3, flow_run_id = $4, expires_at = $5`,
      [entry.key, entry.value, entry.taskRunId, entry.flowRunId, entry.expiresAt],
    );
  }

  async getVariable(name: string): Promise<unknown> {
    const [row] = await this.rows("SELECT value FROM variables WHERE name = $1", [name]);
    return row ? JSON.parse(row.value) : undefined;
  }

  async setVariable(name: string, value: unknown): Promise<void> {
    await this.pool.query(
      "INSERT INTO variables (name, value, updated_at) VALUES ($1, $2, $3) ON CONFLICT (name) DO UPDATE SET value = $2, updated_at = $3",
      [name, JSON.stringify(value), new Date().toISOString()],
    );
  }

  async unsetVariable(name: string): Promise<boolean> {
    return ((await this.pool.query("DELETE FROM variables WHERE name = $1", [name])).rowCount ?? 0) > 0;
  }

  async listVariables(): Promise<{ name: string; value: unknown }[]> {
    return (await this.rows("SELECT name, value FROM variables ORDER BY name")).map((row) => ({
      name: row.name,
      value: JSON.parse(row.value),
    }));
  }

  async getSecret(name: string): Promise<string | undefined> {
    return (await this.rows("SELECT ciphertext FROM secrets WHERE name = $1", [name]))[0]?.ciphertext;
  }

  async setSecret(name: string, ciphertext: string): Promise<void> {
    await this.pool.query(
      "INSERT INTO secrets (name, ciphertext, updated_at) VALUES ($1, $2, $3) ON CONFLICT (name) DO UPDATE SET ciphertext = $2, updated_at = $3",
      [name, ciphertext, new Date().toISOString()],
    );
  }

  async unsetSecret(name: string): Promise<boolean> {
    return ((await this.pool.query("DELETE FROM secrets WHERE name = $1", [name])).rowCount ?? 0) > 0;
  }

  async listSecretNames(): Promise<string[]> {
    return (await this.rows("SELECT name FROM secrets ORDER BY name")).map((row) => row.name);
  }

  async upsertConcurrencyLimit(name: string, limit: number, slotDecayPerSecond: number | null = null): Promise<void> {
    await this.pool.query(
      `INSERT INTO concurrency_limits (name, slot_limit, slot_decay_per_second) VALUES ($1, $2, $3)
       ON CONFLICT (name) DO UPDATE SET slot_limit = $2, slot_decay_per_second = $3`,
      [name, limit, slotDecayPerSecond],
    );
  }

  async deleteConcurrencyLimit(name: string): Promise<boolean> {
    return this.transaction(async (client) => {
      await client.query("DELETE FROM concurrency_leases WHERE limit_name = $1", [name]);
      return ((await client.query("DELETE FROM concurrency_limits WHERE name = $1", [name])).rowCount ?? 0) > 0;
    });
  }

  async listConcurrencyLimits(): Promise<ConcurrencyLimitRecord[]> {
    await this.transaction((client) => this.freeLeasesOfDeadHolders(client));
    const rows = await this.rows(
      `SELECT l.*, coalesce((SELECT sum(slots) FROM concurrency_leases c WHERE c.limit_name = l.name
         AND (c.expires_at_ms IS NULL OR c.expires_at_ms > $1)), 0) AS used
       FROM concurrency_limits l ORDER BY name`,
      [Date.now()],
    );
    return rows.map((row) => ({
      name: row.name,
      limit: Number(row.slot_limit),
      slotDecayPerSecond: row.slot_decay_per_second,
      activeSlots: Number(row.used),
    }));
  }

  /**
   * Deletes the leases of holders whose process is gone (store/liveness.ts). Each lease names its holder's pid and
   * machine in the database, so every server sharing it frees the same slots, before and after a restart.
   */
  private async freeLeasesOfDeadHolders(client: pg.PoolClient): Promise<void> {
    const { rows } = await client.query(
      `SELECT holder_pid, holder_host, max(created_at_ms) AS newest_lease_ms FROM concurrency_leases
       WHERE expires_at_ms IS NULL GROUP BY holder_pid, holder_host`,
    );
    for (const holder of rows as LeaseHolderRow[]) {
      const heartbeats = isLocalHost(holder.holder_host)
        ? []
        : (
            await client.query(
              "SELECT heartbeat_at FROM flow_runs WHERE pid = $1 AND host = $2 AND state_type <> ALL($3)",
              [holder.holder_pid, holder.holder_host, TERMINAL],
            )
          ).rows.map((row) => row.heartbeat_at as string);
      if (isLeaseHolderGone(holder, heartbeats)) {
        await client.query(
          `DELETE FROM concurrency_leases
           WHERE holder_pid = $1 AND holder_host IS NOT DISTINCT FROM $2 AND expires_at_ms IS NULL`,
          [holder.holder_pid, holder.holder_host],
        );
      }
    }
  }

  /** Locks the named limits' rows (in name order, so two takers cannot deadlock) and counts their live slots. */
  async tryAcquireLeases(request: LeaseRequest): Promise<LeaseResult> {
    return this.transaction(async (client): Promise<LeaseResult> => {
      const now = Date.now();
      const names = [...new Set(request.names)].sort();
      const { rows } = await client.query(
        "SELECT * FROM concurrency_limits WHERE name = ANY($1) ORDER BY name FOR UPDATE",
        [names],
      );
      const found = new Map(rows.map((row) => [row.name as string, row]));
      const missing = request.names.filter((name) => !found.has(name));
      if (missing.length) return { acquired: false, missing, full: [] };
      await client.query("DELETE FROM concurrency_leases WHERE limit_name = ANY($1) AND expires_at_ms <= $2", [
        names,
        now,
      ]);
      await this.freeLeasesOfDeadHolders(client);
      const used = await client.query(
        "SELECT limit_name, sum(slots) AS used FROM concurrency_leases WHERE limit_name = ANY($1) GROUP BY limit_name",
        [names],
      );
      const usedBy = new Map(used.rows.map((row) => [row.limit_name as string, Number(row.used)]));
      const full = request.names.filter(
        (name) => (usedBy.get(name) ?? 0) + request.slots > Number(found.get(name).slot_limit),
      );
      if (full.length) return { acquired: false, missing: [], full };
      const leaseIds = request.names.map(() => randomUUID());
      const expiries = request.names.map((name) => {
        const decay = found.get(name).slot_decay_per_second as number | null;
        return request.decaying && decay ? Math.round(now + (request.slots / decay) * 1000) : null;
      });
      await client.query(
        `INSERT INTO concurrency_leases (id, limit_name, slots, holder_pid, holder_host, created_at_ms, expires_at_ms)
         SELECT u.id, u.name, $3, $4, $7, $5, u.expires FROM unnest($1::text[], $2::text[], $6::bigint[]) AS u(id, name, expires)`,
        [leaseIds, request.names, request.slots, request.holderPid, now, expiries, request.holderHost ?? hostname()],
      );
      return { acquired: true, leaseIds };
    });
  }

  async releaseLeases(leaseIds: readonly string[]): Promise<void> {
    if (leaseIds.length === 0) return;
    await this.pool.query("DELETE FROM concurrency_leases WHERE id = ANY($1) AND expires_at_ms IS NULL", [leaseIds]);
  }

  async close(): Promise<void> {
    await this.leadership.close();
    await this.pool.end();
  }

  /** For tests and benchmarks: drops the schema this store lives in. */
  async dropSchema(schema: string): Promise<void> {
    if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`invalid schema name '${schema}'`);
    await this.pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  }
}

function redact(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, "//$1:****@");
}
