// Work pools, work queues and deployments in SQLite: the statements shared with PostgreSQL (rows.ts). The checks
// before an insert run in the insert's transaction (BEGIN IMMEDIATE holds the write lock), so a pool cannot
// vanish between the check and the queue or deployment naming it; a deployment's change and the sweep of its
// scheduled runs that no longer belong (schedule-runs.ts) are one transaction too. SqliteStore extends this class.
import type { SQLInputValue } from "node:sqlite";
import { newId } from "../../protocol/ids.ts";
import {
  deploymentRow,
  INSERT_DEPLOYMENT,
  INSERT_WORK_POOL,
  INSERT_WORK_QUEUE,
  listDeploymentsStatement,
  refusal,
  RESOURCE_SQL,
  toDeployment,
  toWorkPool,
  toWorkQueue,
  updateStatement,
  workPoolRow,
  workQueueRow,
  type Row,
} from "../rows.ts";
import {
  DEFAULT_WORK_QUEUE,
  type CreateOutcome,
  type DeploymentChange,
  type DeploymentInput,
  type DeploymentPatch,
  type DeploymentQuery,
  type DeploymentRecord,
  type DeploymentRemoval,
  type DeploymentStore,
  type WorkPoolInput,
  type WorkPoolPatch,
  type WorkPoolRecord,
  type WorkPoolStore,
  type WorkQueueInput,
  type WorkQueuePatch,
  type WorkQueueRecord,
  type ScheduleActivation,
} from "../types.ts";
import { deleteStaleRunsStatements, type StaleRuns, staleScheduleKeys, withScheduleActive } from "../schedule-runs.ts";
import type { SqliteDatabase } from "./database.ts";

export abstract class SqliteWorkPoolResources implements WorkPoolStore, DeploymentStore {
  constructor(protected readonly database: SqliteDatabase) {}

  private get(sql: string, params: unknown[]): Row | undefined {
    return this.database.sql(sql).get(...(params as SQLInputValue[])) as Row | undefined;
  }

  private changed(sql: string, params: SQLInputValue[]): boolean {
    return Number(this.database.sql(sql).run(...params).changes) > 0;
  }

  async createWorkPool(input: WorkPoolInput): Promise<CreateOutcome<WorkPoolRecord>> {
    const now = new Date().toISOString();
    return this.database.transaction(() => {
      const pool = this.get(INSERT_WORK_POOL, workPoolRow(input, now));
      if (!pool) return refusal.duplicateWorkPool(input.name);
      this.get(INSERT_WORK_QUEUE, workQueueRow(input.name, { name: DEFAULT_WORK_QUEUE }, 1, now));
      return { created: toWorkPool(pool) };
    });
  }

  async getWorkPool(name: string): Promise<WorkPoolRecord | undefined> {
    const row = this.get(RESOURCE_SQL.getWorkPool, [name]);
    return row && toWorkPool(row);
  }

  async listWorkPools(): Promise<WorkPoolRecord[]> {
    return (this.database.sql(RESOURCE_SQL.listWorkPools).all() as Row[]).map(toWorkPool);
  }

  async updateWorkPool(name: string, patch: WorkPoolPatch): Promise<WorkPoolRecord | undefined> {
    const row = this.update("work_pools", patch, { name });
    return row && toWorkPool(row);
  }

  async deleteWorkPool(name: string): Promise<boolean> {
    return this.database.transaction(() => {
      this.changed(RESOURCE_SQL.deleteWorkQueuesOfPool, [name]);
      return this.changed(RESOURCE_SQL.deleteWorkPool, [name]);
    });
  }

  async createWorkQueue(workPoolName: string, input: WorkQueueInput): Promise<CreateOutcome<WorkQueueRecord>> {
    const now = new Date().toISOString();
    return this.database.transaction(() => {
      if (!this.get(RESOURCE_SQL.getWorkPool, [workPoolName])) return refusal.unknownWorkPool(workPoolName);
      const next = Number(this.get(RESOURCE_SQL.nextWorkQueuePriority, [workPoolName])!.next);
      const queue = this.get(INSERT_WORK_QUEUE, workQueueRow(workPoolName, input, next, now));
      return queue ? { created: toWorkQueue(queue) } : refusal.duplicateWorkQueue(workPoolName, input.name);
    });
  }

  async getWorkQueue(workPoolName: string, name: string): Promise<WorkQueueRecord | undefined> {
    const row = this.get(RESOURCE_SQL.getWorkQueue, [workPoolName, name]);
    return row && toWorkQueue(row);
  }

  async listWorkQueues(workPoolName: string): Promise<WorkQueueRecord[]> {
    return (this.database.sql(RESOURCE_SQL.listWorkQueues).all(workPoolName) as Row[]).map(toWorkQueue);
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
    return this.changed(RESOURCE_SQL.deleteWorkQueue, [workPoolName, name]);
  }

  async createDeployment(input: DeploymentInput): Promise<CreateOutcome<DeploymentRecord>> {
    const now = new Date().toISOString();
    return this.database.transaction((): CreateOutcome<DeploymentRecord> => {
      const pool = input.workPoolName ?? null;
      const queue = pool === null ? (input.workQueueName ?? null) : (input.workQueueName ?? DEFAULT_WORK_QUEUE);
      if (pool === null && queue !== null) return refusal.queueWithoutPool(queue);
      if (pool !== null && !this.get(RESOURCE_SQL.getWorkPool, [pool])) return refusal.unknownWorkPool(pool);
      if (pool !== null && !this.get(RESOURCE_SQL.getWorkQueue, [pool, queue]))
        return refusal.unknownWorkQueue(pool, queue!);
      const row = this.get(INSERT_DEPLOYMENT, deploymentRow(newId(), input, queue, now));
      return row ? { created: toDeployment(row) } : refusal.duplicateDeployment(input.flowName, input.name);
    });
  }

  async getDeployment(id: string): Promise<DeploymentRecord | undefined> {
    const row = this.get(RESOURCE_SQL.getDeployment, [id]);
    return row && toDeployment(row);
  }

  async getDeploymentByName(flowName: string, name: string): Promise<DeploymentRecord | undefined> {
    const row = this.get(RESOURCE_SQL.getDeploymentByName, [flowName, name]);
    return row && toDeployment(row);
  }

  async listDeployments(query: DeploymentQuery = {}): Promise<DeploymentRecord[]> {
    const { sql, params } = listDeploymentsStatement(query);
    return (this.database.db.prepare(sql).all(...(params as SQLInputValue[])) as Row[]).map(toDeployment);
  }

  async updateDeployment(id: string, patch: DeploymentPatch): Promise<DeploymentChange | undefined> {
    return this.database.transaction(() => {
      const before = this.deploymentRow(id);
      return before && this.updateSweeping(before, patch);
    });
  }

  async setScheduleActive(id: string, schedule: string, active: boolean): Promise<ScheduleActivation | undefined> {
    return this.database.transaction((): ScheduleActivation | undefined => {
      const before = this.deploymentRow(id);
      if (!before) return undefined;
      const changed = withScheduleActive(before, schedule, active);
      if ("problem" in changed) return changed;
      return { ...this.updateSweeping(before, { schedules: changed.schedules }), index: changed.index };
    });
  }

  async deleteDeployment(id: string): Promise<DeploymentRemoval> {
    return this.database.transaction(() => {
      const deletedRunIds = this.deleteStaleRuns(id, "all");
      return { deleted: this.changed(RESOURCE_SQL.deleteDeployment, [id]), deletedRunIds };
    });
  }

  private deploymentRow(id: string): DeploymentRecord | undefined {
    const row = this.get(RESOURCE_SQL.getDeployment, [id]);
    return row && toDeployment(row);
  }

  /** In the caller's transaction: the patch applied, and the scheduled runs that no longer belong deleted. */
  private updateSweeping(before: DeploymentRecord, patch: DeploymentPatch): DeploymentChange {
    const after = toDeployment(this.update("deployments", patch, { id: before.id })!);
    return { deployment: after, deletedRunIds: this.deleteStaleRuns(before.id, staleScheduleKeys(before, after)) };
  }

  /** The ids of the runs deleted (the last statement returns them). */
  private deleteStaleRuns(deploymentId: string, keys: StaleRuns): string[] {
    let deleted: Row[] = [];
    for (const { sql, params } of deleteStaleRunsStatements(deploymentId, keys))
      deleted = this.database.sql(sql).all(...(params as SQLInputValue[])) as Row[];
    return deleted.map((row) => String(row.id));
  }

  private update(table: string, patch: object, keys: Record<string, string>): Row | undefined {
    const { sql, params } = updateStatement(table, patch, keys, new Date().toISOString());
    return this.database.db.prepare(sql).get(...(params as SQLInputValue[])) as Row | undefined;
  }
}
