// The embedded store: one SQLite file per SKEIN_HOME, WAL so other processes read runs while they run.
// All SQL of the embedded store lives here and in migrations.ts.
import { hostname } from "node:os";
import { DatabaseSync, type SQLInputValue, type StatementSync } from "node:sqlite";
import { newId } from "../../protocol/ids.ts";
import fs from "node:fs";
import path from "node:path";
import type { RunEvent, StateChangedEvent } from "../../protocol/run-events.ts";
import { TERMINAL_STATE_TYPES, type State } from "../../protocol/states.ts";
import { MIGRATIONS } from "./migrations.ts";
import { crashedEventsForDeadRuns, isRunProcessGone, type OpenRunRow } from "../liveness.ts";
import { isProcessAlive } from "../../client/processes.ts";
import {
  deploymentRow,
  INSERT_DEPLOYMENT,
  INSERT_WORK_POOL,
  INSERT_WORK_QUEUE,
  listDeploymentsStatement,
  refusal,
  RESOURCE_SQL,
  stateColumns,
  toArtifact,
  toDeployment,
  toFlowRun,
  toLog,
  toStateRecord,
  toTaskRun,
  toWorkPool,
  toWorkQueue,
  updateStatement,
  workPoolRow,
  workQueueRow,
  type Row,
} from "../rows.ts";
import {
  DEFAULT_WORK_QUEUE,
  type ArtifactRecord,
  type CacheEntry,
  type ConcurrencyLimitRecord,
  type CreateOutcome,
  type DeploymentInput,
  type DeploymentPatch,
  type DeploymentQuery,
  type DeploymentRecord,
  type FlowRunQuery,
  type FlowRunRecord,
  type LeaseRequest,
  type LeaseResult,
  type LogRecord,
  type StateRecord,
  type Store,
  type TaskRunRecord,
  type WorkPoolInput,
  type WorkPoolPatch,
  type WorkPoolRecord,
  type WorkQueueInput,
  type WorkQueuePatch,
  type WorkQueueRecord,
} from "../types.ts";

const TERMINAL_SQL = TERMINAL_STATE_TYPES.map((t) => `'${t}'`).join(",");

export class SqliteStore implements Store {
  readonly location: string;
  private readonly db: DatabaseSync;
  private readonly statements = new Map<string, StatementSync>();

  constructor(file: string) {
    this.location = file;
    fs.mkdirSync(path.dirname(file), { recursive: true });
    this.db = new DatabaseSync(file, { timeout: 5000 });
    this.db.exec(
      "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY; PRAGMA wal_autocheckpoint = 4000;",
    );
    this.migrate();
  }

  private migrate(): void {
    this.db.exec("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
    this.transaction(() => {
      const row = this.db.prepare("SELECT max(version) AS v FROM schema_version").get() as Row;
      const current = Number(row?.v ?? 0);
      for (let version = current + 1; version <= MIGRATIONS.length; version++) {
        this.db.exec(MIGRATIONS[version - 1]);
        this.db.prepare("INSERT INTO schema_version (version) VALUES (?)").run(version);
      }
    });
  }

  private sql(text: string): StatementSync {
    let statement = this.statements.get(text);
    if (!statement) {
      statement = this.db.prepare(text);
      this.statements.set(text, statement);
    }
    return statement;
  }

  /** BEGIN IMMEDIATE takes the write lock up front, so concurrent writers wait instead of failing mid-way. */
  private transaction<T>(work: () => T): T {
    this.db.exec("BEGIN IMMEDIATE");
    try {
      const result = work();
      this.db.exec("COMMIT");
      return result;
    } catch (error) {
      this.db.exec("ROLLBACK");
      throw error;
    }
  }

  async appendEvents(events: readonly RunEvent[]): Promise<void> {
    this.appendEventsSync(events);
  }

  /**
   * One transaction per batch. A run created and moved within the batch is inserted once with its latest state,
   * and a task run's states travel inline in its row, so a short task run costs a single insert.
   */
  appendEventsSync(events: readonly RunEvent[]): void {
    if (events.length === 0) return;
    const flowStates = new Map<string, StateChangedEvent>();
    const taskStates = new Map<string, StateChangedEvent[]>();
    for (const event of events) {
      if (event.kind !== "state") continue;
      if (event.runKind === "flow") flowStates.set(event.runId, event);
      else {
        const list = taskStates.get(event.runId);
        if (list) list.push(event);
        else taskStates.set(event.runId, [event]);
      }
    }
    this.transaction(() => {
      for (const event of events) this.applyEvent(event, flowStates, taskStates);
      for (const event of flowStates.values()) this.updateFlowRunState(event);
      for (const [taskRunId, states] of taskStates) this.appendTaskRunStates(taskRunId, states);
    });
  }

  private applyEvent(
    event: RunEvent,
    flowStates: Map<string, StateChangedEvent>,
    taskStates: Map<string, StateChangedEvent[]>,
  ): void {
    switch (event.kind) {
      case "flow-run-created": {
        const last = flowStates.get(event.flowRunId);
        flowStates.delete(event.flowRunId);
        this.sql(
          `INSERT OR IGNORE INTO flow_runs (id, name, flow_name, parameters, tags, parent_flow_run_id, parent_task_run_id,
           entrypoint, pid, host, heartbeat_at, created_at, state_type, state_name, state_message, state_timestamp, state_details, result)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        ).run(
          event.flowRunId,
          event.name,
          event.flowName,
          JSON.stringify(event.parameters),
          JSON.stringify(event.tags),
          event.parentFlowRunId ?? null,
          event.parentTaskRunId ?? null,
          event.entrypoint ?? null,
          event.pid,
          event.host ?? null,
          event.timestamp,
          event.timestamp,
          ...stateColumns(last?.state ?? event.state),
          last?.result ?? null,
        );
        this.insertFlowRunState(event.id, event.flowRunId, event.state);
        return;
      }
      case "task-run-created": {
        const later = taskStates.get(event.taskRunId) ?? [];
        taskStates.delete(event.taskRunId);
        const last = later.at(-1);
        const history = [historyEntry(event.id, event.state), ...later.map((e) => historyEntry(e.id, e.state))];
        this.sql(
          `INSERT OR IGNORE INTO task_runs (id, flow_run_id, name, task_key, dynamic_key, upstream, tags, created_at,
           state_type, state_name, state_message, state_timestamp, state_details, result, history)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        ).run(
          event.taskRunId,
          event.flowRunId,
          event.name,
          event.taskKey,
          event.dynamicKey,
          JSON.stringify(event.upstream),
          JSON.stringify(event.tags),
          event.timestamp,
          ...stateColumns(last?.state ?? event.state),
          lastResult(later),
          `[${history.join(",")}]`,
        );
        return;
      }
      case "state":
        if (event.runKind === "flow") this.insertFlowRunState(event.id, event.runId, event.state);
        return;
      case "log":
        this.sql(
          "INSERT OR IGNORE INTO logs (id, flow_run_id, task_run_id, level, logger, message, timestamp) VALUES (?, ?, ?, ?, ?, ?, ?)",
        ).run(
          event.id,
          event.flowRunId,
          event.taskRunId ?? null,
          event.level,
          event.logger,
          event.message,
          event.timestamp,
        );
        return;
      case "artifact":
        this.sql(
          `INSERT OR IGNORE INTO artifacts (id, flow_run_id, task_run_id, key, type, description, data, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        ).run(
          event.artifactId,
          event.flowRunId,
          event.taskRunId ?? null,
          event.key ?? null,
          event.type,
          event.description ?? null,
          JSON.stringify(event.data),
          event.timestamp,
          event.timestamp,
        );
        return;
      case "artifact-updated":
        this.sql("UPDATE artifacts SET data = ?, updated_at = ? WHERE id = ? AND updated_at <= ?").run(
          JSON.stringify(event.data),
          event.timestamp,
          event.artifactId,
          event.timestamp,
        );
        return;
    }
  }

  private insertFlowRunState(id: string, runId: string, state: State): void {
    this.sql(
      "INSERT OR IGNORE INTO states (id, run_id, type, name, message, timestamp, details) VALUES (?, ?, ?, ?, ?, ?, ?)",
    ).run(
      id,
      runId,
      state.type,
      state.name,
      state.message ?? null,
      state.timestamp,
      state.details ? JSON.stringify(state.details) : null,
    );
  }

  private updateFlowRunState(event: StateChangedEvent): void {
    // A replayed older state never overwrites a newer one.
    this.sql(
      `UPDATE flow_runs SET state_type = ?, state_name = ?, state_message = ?, state_timestamp = ?, state_details = ?,
       result = coalesce(?, result) WHERE id = ? AND state_timestamp <= ?`,
    ).run(...stateColumns(event.state), event.result ?? null, event.runId, event.state.timestamp);
  }

  /** States of a task run created in an earlier batch: appended to its history unless already there (a replay). */
  private appendTaskRunStates(taskRunId: string, states: StateChangedEvent[]): void {
    const last = states[states.length - 1];
    const entries = states.map((e) => historyEntry(e.id, e.state)).join(",");
    this.sql(
      `UPDATE task_runs SET state_type = ?, state_name = ?, state_message = ?, state_timestamp = ?, state_details = ?,
       result = coalesce(?, result), history = substr(history, 1, length(history) - 1) || CASE history WHEN '[]' THEN '' ELSE ',' END || ? || ']'
       WHERE id = ? AND instr(history, ?) = 0`,
    ).run(...stateColumns(last.state), lastResult(states), entries, taskRunId, `"id":"${states[0].id}"`);
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
    const sql = `SELECT * FROM flow_runs ${where.length ? `WHERE ${where.join(" AND ")}` : ""}
      ORDER BY created_at DESC, rowid DESC LIMIT ?`;
    return (this.db.prepare(sql).all(...params, query.limit ?? 50) as Row[]).map(toFlowRun);
  }

  async listTaskRuns(flowRunId: string): Promise<TaskRunRecord[]> {
    return (this.sql("SELECT * FROM task_runs WHERE flow_run_id = ? ORDER BY id").all(flowRunId) as Row[]).map(
      toTaskRun,
    );
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

  async heartbeat(flowRunIds: readonly string[], options: { claimPid?: boolean } = {}): Promise<void> {
    const now = new Date().toISOString();
    const claim = options.claimPid ?? true;
    this.transaction(() => {
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
    const events = crashedEventsForDeadRuns(open);
    if (events.length) this.appendEventsSync(events);
    return events.map((event) => event.flowRunId);
  }

  async requestCancellation(flowRunId: string): Promise<void> {
    this.sql("UPDATE flow_runs SET cancel_requested_at = coalesce(cancel_requested_at, ?) WHERE id = ?").run(
      new Date().toISOString(),
      flowRunId,
    );
  }

  async cancellationRequests(flowRunIds: readonly string[]): Promise<string[]> {
    if (flowRunIds.length === 0) return [];
    const rows = this.db
      .prepare(
        `SELECT id FROM flow_runs WHERE cancel_requested_at IS NOT NULL AND id IN (${flowRunIds.map(() => "?").join(",")})`,
      )
      .all(...flowRunIds) as Row[];
    return rows.map((row) => row.id);
  }

  async readCache(key: string): Promise<CacheEntry | undefined> {
    const row = this.sql("SELECT * FROM cache WHERE key = ?").get(key) as Row | undefined;
    if (!row || (row.expires_at && Date.parse(row.expires_at) <= Date.now())) return undefined;
    return {
      key: row.key,
      value: row.value,
      taskRunId: row.task_run_id,
      flowRunId: row.flow_run_id,
      expiresAt: row.expires_at,
    };
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
    return this.transaction(() => {
      this.sql("DELETE FROM concurrency_leases WHERE limit_name = ?").run(name);
      return Number(this.sql("DELETE FROM concurrency_limits WHERE name = ?").run(name).changes) > 0;
    });
  }

  async listConcurrencyLimits(): Promise<ConcurrencyLimitRecord[]> {
    const now = Date.now();
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

  private freeLeasesOfDeadHolders(limitName: string): void {
    const holders = this.sql(
      "SELECT DISTINCT holder_pid FROM concurrency_leases WHERE limit_name = ? AND expires_at_ms IS NULL",
    ).all(limitName) as Row[];
    for (const { holder_pid } of holders) {
      if (!isProcessAlive(Number(holder_pid)))
        this.sql("DELETE FROM concurrency_leases WHERE holder_pid = ?").run(holder_pid);
    }
  }

  async tryAcquireLeases(request: LeaseRequest): Promise<LeaseResult> {
    return this.transaction((): LeaseResult => {
      const now = Date.now();
      const limits = request.names.map((name) => ({
        name,
        row: this.sql("SELECT * FROM concurrency_limits WHERE name = ?").get(name) as Row | undefined,
      }));
      const missing = limits.filter((l) => !l.row).map((l) => l.name);
      if (missing.length) return { acquired: false, missing, full: [] };
      const full: string[] = [];
      for (const { name, row } of limits) {
        this.sql("DELETE FROM concurrency_leases WHERE limit_name = ? AND expires_at_ms <= ?").run(name, now);
        this.freeLeasesOfDeadHolders(name);
        if (this.activeSlots(name, now) + request.slots > Number(row!.slot_limit)) full.push(name);
      }
      if (full.length) return { acquired: false, missing: [], full };
      const leaseIds = limits.map(({ name, row }) => {
        const id = newId();
        const decay = row!.slot_decay_per_second as number | null;
        const expiresAt = request.decaying && decay ? now + (request.slots / decay) * 1000 : null;
        this.sql(
          "INSERT INTO concurrency_leases (id, limit_name, slots, holder_pid, created_at_ms, expires_at_ms) VALUES (?, ?, ?, ?, ?, ?)",
        ).run(id, name, request.slots, request.holderPid, now, expiresAt);
        return id;
      });
      return { acquired: true, leaseIds };
    });
  }

  async releaseLeases(leaseIds: readonly string[]): Promise<void> {
    for (const id of leaseIds)
      this.sql("DELETE FROM concurrency_leases WHERE id = ? AND expires_at_ms IS NULL").run(id);
  }

  // Work pools, queues and deployments: statements shared with PostgreSQL (rows.ts); the checks before an insert
  // run in the insert's transaction, so a pool cannot vanish between the check and the deployment naming it.

  async createWorkPool(input: WorkPoolInput): Promise<CreateOutcome<WorkPoolRecord>> {
    const now = new Date().toISOString();
    return this.transaction(() => {
      const pool = this.sql(INSERT_WORK_POOL).get(...(workPoolRow(input, now) as SQLInputValue[])) as Row | undefined;
      if (!pool) return refusal.duplicateWorkPool(input.name);
      this.sql(INSERT_WORK_QUEUE).run(
        ...(workQueueRow(input.name, { name: DEFAULT_WORK_QUEUE }, 1, now) as SQLInputValue[]),
      );
      return { created: toWorkPool(pool) };
    });
  }

  async getWorkPool(name: string): Promise<WorkPoolRecord | undefined> {
    const row = this.sql(RESOURCE_SQL.getWorkPool).get(name) as Row | undefined;
    return row && toWorkPool(row);
  }

  async listWorkPools(): Promise<WorkPoolRecord[]> {
    return (this.sql(RESOURCE_SQL.listWorkPools).all() as Row[]).map(toWorkPool);
  }

  async updateWorkPool(name: string, patch: WorkPoolPatch): Promise<WorkPoolRecord | undefined> {
    const row = this.update("work_pools", patch, { name });
    return row && toWorkPool(row);
  }

  async deleteWorkPool(name: string): Promise<boolean> {
    return this.transaction(() => {
      this.sql(RESOURCE_SQL.deleteWorkQueuesOfPool).run(name);
      return Number(this.sql(RESOURCE_SQL.deleteWorkPool).run(name).changes) > 0;
    });
  }

  async createWorkQueue(workPoolName: string, input: WorkQueueInput): Promise<CreateOutcome<WorkQueueRecord>> {
    const now = new Date().toISOString();
    return this.transaction(() => {
      if (!this.sql(RESOURCE_SQL.getWorkPool).get(workPoolName)) return refusal.unknownWorkPool(workPoolName);
      const next = Number((this.sql(RESOURCE_SQL.nextWorkQueuePriority).get(workPoolName) as Row).next);
      const queue = this.sql(INSERT_WORK_QUEUE).get(
        ...(workQueueRow(workPoolName, input, next, now) as SQLInputValue[]),
      ) as Row | undefined;
      return queue ? { created: toWorkQueue(queue) } : refusal.duplicateWorkQueue(workPoolName, input.name);
    });
  }

  async getWorkQueue(workPoolName: string, name: string): Promise<WorkQueueRecord | undefined> {
    const row = this.sql(RESOURCE_SQL.getWorkQueue).get(workPoolName, name) as Row | undefined;
    return row && toWorkQueue(row);
  }

  async listWorkQueues(workPoolName: string): Promise<WorkQueueRecord[]> {
    return (this.sql(RESOURCE_SQL.listWorkQueues).all(workPoolName) as Row[]).map(toWorkQueue);
  }

  async updateWorkQueue(
    workPoolName: string,
    name: string,
    patch: WorkQueuePatch,
  ): Promise<WorkQueueRecord | undefined> {
    const row = this.update("work_queues", patch, { work_pool_name: workPoolName, name });
    return row && toWorkQueue(row);
  }

  async deleteWorkQueue(workPoolName: string, name: string): Promise<boolean> {
    return Number(this.sql(RESOURCE_SQL.deleteWorkQueue).run(workPoolName, name).changes) > 0;
  }

  async createDeployment(input: DeploymentInput): Promise<CreateOutcome<DeploymentRecord>> {
    const now = new Date().toISOString();
    return this.transaction((): CreateOutcome<DeploymentRecord> => {
      const pool = input.workPoolName ?? null;
      const queue = pool === null ? (input.workQueueName ?? null) : (input.workQueueName ?? DEFAULT_WORK_QUEUE);
      if (pool === null && queue !== null) return refusal.queueWithoutPool(queue);
      if (pool !== null && !this.sql(RESOURCE_SQL.getWorkPool).get(pool)) return refusal.unknownWorkPool(pool);
      if (pool !== null && !this.sql(RESOURCE_SQL.getWorkQueue).get(pool, queue))
        return refusal.unknownWorkQueue(pool, queue!);
      const row = this.sql(INSERT_DEPLOYMENT).get(...(deploymentRow(newId(), input, queue, now) as SQLInputValue[])) as
        | Row
        | undefined;
      return row ? { created: toDeployment(row) } : refusal.duplicateDeployment(input.flowName, input.name);
    });
  }

  async getDeployment(id: string): Promise<DeploymentRecord | undefined> {
    const row = this.sql(RESOURCE_SQL.getDeployment).get(id) as Row | undefined;
    return row && toDeployment(row);
  }

  async getDeploymentByName(flowName: string, name: string): Promise<DeploymentRecord | undefined> {
    const row = this.sql(RESOURCE_SQL.getDeploymentByName).get(flowName, name) as Row | undefined;
    return row && toDeployment(row);
  }

  async listDeployments(query: DeploymentQuery = {}): Promise<DeploymentRecord[]> {
    const { sql, params } = listDeploymentsStatement(query);
    return (this.db.prepare(sql).all(...(params as SQLInputValue[])) as Row[]).map(toDeployment);
  }

  async updateDeployment(id: string, patch: DeploymentPatch): Promise<DeploymentRecord | undefined> {
    const row = this.update("deployments", patch, { id });
    return row && toDeployment(row);
  }

  async deleteDeployment(id: string): Promise<boolean> {
    return Number(this.sql(RESOURCE_SQL.deleteDeployment).run(id).changes) > 0;
  }

  private update(table: string, patch: object, keys: Record<string, string>): Row | undefined {
    const { sql, params } = updateStatement(table, patch, keys, new Date().toISOString());
    return this.db.prepare(sql).get(...(params as SQLInputValue[])) as Row | undefined;
  }

  async close(): Promise<void> {
    if (this.db.isOpen) this.db.close();
  }
}

/** JSON of {id, ...state}; written by hand for the common state without message or details (no escaping needed). */
function historyEntry(id: string, state: State): string {
  if (state.message === undefined && state.details === undefined) {
    return `{"id":"${id}","type":"${state.type}","name":"${state.name}","timestamp":"${state.timestamp}"}`;
  }
  return `{"id":"${id}",${JSON.stringify(state).slice(1)}`;
}

function lastResult(states: readonly StateChangedEvent[]): string | null {
  for (let i = states.length - 1; i >= 0; i--) if (states[i].result !== undefined) return states[i].result!;
  return null;
}
