// The embedded store: one SQLite file per SKEIN_HOME, shared by every process of that home. Split as the
// PostgreSQL store is, file by file: this file (runs, liveness, cache, variables, secrets, limits), the event
// batches (event-ingest.ts), work pools and deployments (work-pool-resources.ts), the schema (migrations.ts),
// plus the connection (database.ts).
import { hostname } from "node:os";
import type { StatementSync } from "node:sqlite";
import { newId } from "../../protocol/ids.ts";
import type { RunEvent } from "../../protocol/run-events.ts";
import { TERMINAL_STATE_TYPES, type State } from "../../protocol/states.ts";
import { MIGRATIONS } from "./migrations.ts";
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
import { SqliteDatabase } from "./database.ts";
import { isBusy, sqliteStoreError } from "./sqlite-errors.ts";
import { ingestEvents } from "./event-ingest.ts";
import { SqliteDeploymentRuns } from "./deployment-runs.ts";

const TERMINAL_SQL = TERMINAL_STATE_TYPES.map((t) => `'${t}'`).join(",");
/**
 * Another process holding the write lock (a long transaction, a backup) is waited out: each attempt waits up to
 * the connection's busy timeout, then the batch is tried again with backoff, for as long as a server restart
 * may take over HTTP (store/http).
 */
const BUSY_RETRY = { firstDelayMs: 20, maxDelayMs: 1000, deadlineMs: 10 * 60_000 };

export class SqliteStore extends SqliteDeploymentRuns implements Store {
  readonly location: string;

  /** Throws a SqliteStoreError naming the file, the cause and what to do when the file cannot be used. */
  constructor(file: string) {
    let database: SqliteDatabase | undefined;
    try {
      database = new SqliteDatabase(file);
      migrate(database);
    } catch (error) {
      database?.close();
      throw sqliteStoreError(file, "open", error);
    }
    super(database);
    this.location = file;
  }

  private sql(text: string): StatementSync {
    return this.database.sql(text);
  }

  /** Waits out another process's write lock (BUSY_RETRY); any other failure is thrown at once, explained. */
  async appendEvents(events: readonly RunEvent[]): Promise<void> {
    const started = Date.now();
    for (let delay = BUSY_RETRY.firstDelayMs; ; delay = Math.min(delay * 2, BUSY_RETRY.maxDelayMs)) {
      try {
        this.appendEventsSync(events);
        return;
      } catch (error) {
        if (!isBusy((error as Error).cause) || Date.now() - started + delay > BUSY_RETRY.deadlineMs) throw error;
      }
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }

  /**
   * One transaction per batch; synchronous, so the write-behind queue can store a batch at process exit. Fails
   * with a SqliteStoreError (its `cause` is SQLite's error), busy included: the caller decides whether to wait.
   */
  appendEventsSync(events: readonly RunEvent[]): void {
    if (events.length === 0) return;
    try {
      this.database.transaction(() => ingestEvents(this.database, events));
    } catch (error) {
      throw sqliteStoreError(this.location, "write to", error);
    }
  }

  async getFlowRun(id: string): Promise<FlowRunRecord | undefined> {
    const row = this.sql("SELECT * FROM flow_runs WHERE id = ?").get(id) as Row | undefined;
    return row && toFlowRun(row);
  }

  async listFlowRuns(query: FlowRunQuery = {}): Promise<FlowRunRecord[]> {
    const where: string[] = [];
    const params: (string | number)[] = [];
    if (query.flowName) {
      where.push("flow_name = ?");
      params.push(query.flowName);
    }
    if (query.stateTypes?.length) {
      where.push(`state_type IN (${query.stateTypes.map(() => "?").join(",")})`);
      params.push(...query.stateTypes);
    }
    if (query.createdBefore) {
      where.push("created_at < ?");
      params.push(query.createdBefore);
    }
    if (query.deploymentId) {
      where.push("deployment_id = ?");
      params.push(query.deploymentId);
    }
    if (query.workPoolName) {
      where.push("work_pool_name = ?");
      params.push(query.workPoolName);
    }
    if (query.parentFlowRunId) {
      where.push("parent_flow_run_id = ?");
      params.push(query.parentFlowRunId);
    }
    const sql = `SELECT * FROM flow_runs ${where.length ? `WHERE ${where.join(" AND ")}` : ""}
      ORDER BY created_at DESC, rowid DESC LIMIT ?`;
    return (this.database.db.prepare(sql).all(...params, query.limit ?? 50) as Row[]).map(toFlowRun);
  }

  async listFlows(): Promise<FlowSummaryRecord[]> {
    const sql = `SELECT flow_name, COUNT(*) AS run_count, MAX(created_at) AS last_run_at FROM flow_runs
      GROUP BY flow_name ORDER BY last_run_at DESC, flow_name`;
    return (this.sql(sql).all() as Row[]).map((row) => ({
      name: row.flow_name as string,
      runCount: Number(row.run_count),
      lastRunAt: row.last_run_at as string,
    }));
  }

  async listTaskRuns(flowRunId: string): Promise<TaskRunRecord[]> {
    const sql = `SELECT ${TASK_RUN_RECORD_COLUMNS} FROM task_runs WHERE flow_run_id = ? ORDER BY id`;
    return (this.sql(sql).all(flowRunId) as Row[]).map(toTaskRun);
  }

  async getTaskRun(id: string): Promise<TaskRunRecord | undefined> {
    const row = this.sql(`SELECT ${TASK_RUN_RECORD_COLUMNS} FROM task_runs WHERE id = ?`).get(id) as Row | undefined;
    return row && toTaskRun(row);
  }

  async getTaskRunInputs(taskRunId: string): Promise<TaskRunInputsRecord | undefined> {
    const row = this.sql("SELECT id, inputs, inputs_not_stored FROM task_runs WHERE id = ?").get(taskRunId);
    return row && toTaskRunInputs(row as Row);
  }

  async listStates(runId: string): Promise<StateRecord[]> {
    const task = this.sql("SELECT history FROM task_runs WHERE id = ?").get(runId) as Row | undefined;
    if (task) {
      return (JSON.parse(task.history) as (State & { id: string })[]).map((entry) => ({ ...entry, runId }));
    }
    return (this.sql("SELECT * FROM states WHERE run_id = ? ORDER BY rowid").all(runId) as Row[]).map(toStateRecord);
  }

  async listLogs(flowRunId: string): Promise<LogRecord[]> {
    return (this.sql("SELECT * FROM logs WHERE flow_run_id = ? ORDER BY rowid").all(flowRunId) as Row[]).map(toLog);
  }

  async listArtifacts(flowRunId: string): Promise<ArtifactRecord[]> {
    return (this.sql("SELECT * FROM artifacts WHERE flow_run_id = ? ORDER BY rowid").all(flowRunId) as Row[]).map(
      toArtifact,
    );
  }

  async getArtifactByKey(key: string): Promise<ArtifactRecord | undefined> {
    const row = this.sql("SELECT * FROM artifacts WHERE key = ? ORDER BY created_at DESC, rowid DESC LIMIT 1").get(
      key,
    ) as Row | undefined;
    return row && toArtifact(row);
  }

  async listArtifactsByKey(key: string, limit: number): Promise<KeyedArtifactRecord[]> {
    return (
      this.sql(
        `SELECT a.*, r.name AS flow_run_name FROM artifacts a JOIN flow_runs r ON r.id = a.flow_run_id
       WHERE a.key = ? ORDER BY a.created_at DESC, a.rowid DESC LIMIT ?`,
      ).all(key, limit) as Row[]
    ).map(toKeyedArtifact);
  }

  async getArtifact(id: string): Promise<ArtifactRecord | undefined> {
    const row = this.sql("SELECT * FROM artifacts WHERE id = ?").get(id) as Row | undefined;
    return row && toArtifact(row);
  }

  async deleteFlowRun(id: string): Promise<boolean> {
    return this.database.transaction(() => {
      // Task run states live in their task run's row; a flow run's states are rows keyed by the flow run.
      for (const table of ["task_runs", "logs", "artifacts", "cache"]) {
        this.sql(`DELETE FROM ${table} WHERE flow_run_id = ?`).run(id);
      }
      this.sql("DELETE FROM states WHERE run_id = ?").run(id);
      this.sql(
        "UPDATE flow_runs SET parent_flow_run_id = NULL, parent_task_run_id = NULL WHERE parent_flow_run_id = ?",
      ).run(id);
      return Number(this.sql("DELETE FROM flow_runs WHERE id = ?").run(id).changes) > 0;
    });
  }

  async heartbeat(flowRunIds: readonly string[], options: { claimPid?: boolean } = {}): Promise<void> {
    const now = new Date().toISOString();
    const claim = options.claimPid ?? true;
    this.database.transaction(() => {
      for (const id of flowRunIds) {
        if (claim)
          this.sql("UPDATE flow_runs SET heartbeat_at = ?, pid = ?, host = ? WHERE id = ?").run(
            now,
            process.pid,
            hostname(),
            id,
          );
        else this.sql("UPDATE flow_runs SET heartbeat_at = ? WHERE id = ?").run(now, id);
      }
    });
  }

  async isFlowRunAlive(id: string): Promise<boolean> {
    const row = this.sql("SELECT pid, host, heartbeat_at, state_type FROM flow_runs WHERE id = ?").get(id) as
      | Row
      | undefined;
    return (
      !!row &&
      !TERMINAL_STATE_TYPES.includes(row.state_type) &&
      !isRunProcessGone(Number(row.pid), row.host, row.heartbeat_at, Date.now())
    );
  }

  async markDeadRunsCrashed(): Promise<string[]> {
    const open = this.sql(
      `SELECT id, pid, host, heartbeat_at, state_name, state_timestamp FROM flow_runs WHERE state_type NOT IN (${TERMINAL_SQL})`,
    ).all() as unknown as OpenRunRow[];
    const dead = deadRuns(open);
    if (dead.length === 0) return [];
    const tasks = this.database.db
      .prepare(
        `SELECT id, flow_run_id, state_name, state_timestamp FROM task_runs
         WHERE flow_run_id IN (${dead.map(() => "?").join(",")}) AND state_type NOT IN (${TERMINAL_SQL})`,
      )
      .all(...dead.map((run) => run.id)) as unknown as OpenTaskRow[];
    this.appendEventsSync(dead.flatMap((run) => crashedEventsForDeadRun(run, tasks)));
    return dead.map((run) => run.id);
  }

  async requestCancellation(flowRunId: string): Promise<void> {
    this.sql("UPDATE flow_runs SET cancel_requested_at = coalesce(cancel_requested_at, ?) WHERE id = ?").run(
      new Date().toISOString(),
      flowRunId,
    );
  }

  async cancellationRequests(flowRunIds: readonly string[]): Promise<string[]> {
    if (flowRunIds.length === 0) return [];
    const rows = this.database.db
      .prepare(
        `SELECT id FROM flow_runs WHERE cancel_requested_at IS NOT NULL AND id IN (${flowRunIds.map(() => "?").join(",")})`,
      )
      .all(...flowRunIds) as Row[];
    return rows.map((row) => row.id);
  }

  async readCache(key: string): Promise<CacheEntry | undefined> {
    const row = this.sql("SELECT * FROM cache WHERE key = ?").get(key) as Row | undefined;
    return row && toCacheEntry(row, Date.now());
  }

  async writeCache(entry: CacheEntry): Promise<void> {
    this.sql(
      "INSERT OR REPLACE INTO cache (key, value, task_run_id, flow_run_id, expires_at) VALUES (?, ?, ?, ?, ?)",
    ).run(entry.key, entry.value, entry.taskRunId, entry.flowRunId, entry.expiresAt);
  }

  async getVariable(name: string): Promise<unknown> {
    const row = this.sql("SELECT value FROM variables WHERE name = ?").get(name) as Row | undefined;
    return row ? JSON.parse(row.value) : undefined;
  }

  async setVariable(name: string, value: unknown): Promise<void> {
    this.sql("INSERT OR REPLACE INTO variables (name, value, updated_at) VALUES (?, ?, ?)").run(
      name,
      JSON.stringify(value),
      new Date().toISOString(),
    );
  }

  async unsetVariable(name: string): Promise<boolean> {
    return Number(this.sql("DELETE FROM variables WHERE name = ?").run(name).changes) > 0;
  }

  async listVariables(): Promise<{ name: string; value: unknown }[]> {
    return (this.sql("SELECT name, value FROM variables ORDER BY name").all() as Row[]).map((row) => ({
      name: row.name,
      value: JSON.parse(row.value),
    }));
  }

  async getSecret(name: string): Promise<string | undefined> {
    return (this.sql("SELECT ciphertext FROM secrets WHERE name = ?").get(name) as Row | undefined)?.ciphertext;
  }

  async setSecret(name: string, ciphertext: string): Promise<void> {
    this.sql("INSERT OR REPLACE INTO secrets (name, ciphertext, updated_at) VALUES (?, ?, ?)").run(
      name,
      ciphertext,
      new Date().toISOString(),
    );
  }

  async unsetSecret(name: string): Promise<boolean> {
    return Number(this.sql("DELETE FROM secrets WHERE name = ?").run(name).changes) > 0;
  }

  async listSecretNames(): Promise<string[]> {
    return (this.sql("SELECT name FROM secrets ORDER BY name").all() as Row[]).map((row) => row.name);
  }

  async upsertConcurrencyLimit(name: string, limit: number, slotDecayPerSecond: number | null = null): Promise<void> {
    this.sql(
      "INSERT OR REPLACE INTO concurrency_limits (name, slot_limit, slot_decay_per_second) VALUES (?, ?, ?)",
    ).run(name, limit, slotDecayPerSecond);
  }

  async deleteConcurrencyLimit(name: string): Promise<boolean> {
    return this.database.transaction(() => {
      this.sql("DELETE FROM concurrency_leases WHERE limit_name = ?").run(name);
      return Number(this.sql("DELETE FROM concurrency_limits WHERE name = ?").run(name).changes) > 0;
    });
  }

  async listConcurrencyLimits(): Promise<ConcurrencyLimitRecord[]> {
    const now = Date.now();
    this.database.transaction(() => this.freeLeasesOfDeadHolders());
    return (this.sql("SELECT * FROM concurrency_limits ORDER BY name").all() as Row[]).map((row) => ({
      name: row.name,
      limit: Number(row.slot_limit),
      slotDecayPerSecond: row.slot_decay_per_second,
      activeSlots: this.activeSlots(row.name, now),
    }));
  }

  private activeSlots(limitName: string, now: number): number {
    const row = this.sql(
      "SELECT coalesce(sum(slots), 0) AS used FROM concurrency_leases WHERE limit_name = ? AND (expires_at_ms IS NULL OR expires_at_ms > ?)",
    ).get(limitName, now) as Row;
    return Number(row.used);
  }

  /** Deletes the leases of holders whose process is gone (store/liveness.ts); call inside a transaction. */
  private freeLeasesOfDeadHolders(): void {
    const holders = this.sql(
      `SELECT holder_pid, holder_host, max(created_at_ms) AS newest_lease_ms FROM concurrency_leases
       WHERE expires_at_ms IS NULL GROUP BY holder_pid, holder_host`,
    ).all() as unknown as LeaseHolderRow[];
    for (const holder of holders) {
      const heartbeats = isLocalHost(holder.holder_host)
        ? []
        : (
            this.sql(
              `SELECT heartbeat_at FROM flow_runs WHERE pid = ? AND host = ? AND state_type NOT IN (${TERMINAL_SQL})`,
            ).all(holder.holder_pid, holder.holder_host) as Row[]
          ).map((row) => row.heartbeat_at as string);
      if (isLeaseHolderGone(holder, heartbeats)) {
        this.sql(
          "DELETE FROM concurrency_leases WHERE holder_pid = ? AND holder_host IS ? AND expires_at_ms IS NULL",
        ).run(holder.holder_pid, holder.holder_host);
      }
    }
  }

  async tryAcquireLeases(request: LeaseRequest): Promise<LeaseResult> {
    return this.database.transaction((): LeaseResult => {
      const now = Date.now();
      const limits = request.names.map((name) => ({
        name,
        row: this.sql("SELECT * FROM concurrency_limits WHERE name = ?").get(name) as Row | undefined,
      }));
      const missing = limits.filter((l) => !l.row).map((l) => l.name);
      if (missing.length) return { acquired: false, missing, full: [] };
      const full: string[] = [];
      this.freeLeasesOfDeadHolders();
      for (const { name, row } of limits) {
        this.sql("DELETE FROM concurrency_leases WHERE limit_name = ? AND expires_at_ms <= ?").run(name, now);
        if (this.activeSlots(name, now) + request.slots > Number(row!.slot_limit)) full.push(name);
      }
      if (full.length) return { acquired: false, missing: [], full };
      const leaseIds = limits.map(({ name, row }) => {
        const id = newId();
        const decay = row!.slot_decay_per_second as number | null;
        const expiresAt = request.decaying && decay ? now + (request.slots / decay) * 1000 : null;
        this.sql(
          "INSERT INTO concurrency_leases (id, limit_name, slots, holder_pid, holder_host, created_at_ms, expires_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?)",
        ).run(id, name, request.slots, request.holderPid, request.holderHost ?? hostname(), now, expiresAt);
        return id;
      });
      return { acquired: true, leaseIds };
    });
  }

  async releaseLeases(leaseIds: readonly string[]): Promise<void> {
    for (const id of leaseIds)
      this.sql("DELETE FROM concurrency_leases WHERE id = ? AND expires_at_ms IS NULL").run(id);
  }

  async close(): Promise<void> {
    this.database.close();
  }
}

/** Brings the schema up to date; a new store made in an empty file says so, since runs may be expected there. */
function migrate(database: SqliteDatabase): void {
  const { db } = database;
  db.exec("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
  database.transaction(() => {
    const row = db.prepare("SELECT max(version) AS v FROM schema_version").get() as Row;
    const current = Number(row?.v ?? 0);
    for (let version = current + 1; version <= MIGRATIONS.length; version++) {
      db.exec(MIGRATIONS[version - 1]);
      db.prepare("INSERT INTO schema_version (version) VALUES (?)").run(version);
    }
    if (current === 0 && database.wasEmptyFile) {
      process.stderr.write(`skein: ${db.location()} was an empty file (0 bytes); it now holds a new, empty store\n`);
    }
  });
}
