// Work pools, work queues and deployments in PostgreSQL. The statements are the SQLite store's (rows.ts), with
// their `?` placeholders numbered; the checks before an insert run in the insert's transaction, and the pool row
// is read FOR SHARE there, so a pool cannot be deleted between the check and the queue or deployment naming it.
// PostgresStore extends this class.
import { randomUUID } from "node:crypto";
import type pg from "pg";
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

type Queryable = Pick<pg.Pool | pg.PoolClient, "query">;

/** `?` placeholders as PostgreSQL's `$1, $2, …` (the shared statements have no `?` inside literals). */
export function numbered(sql: string): string {
  let index = 0;
  return sql.replace(/\?/g, () => `$${++index}`);
}

async function rows(db: Queryable, sql: string, params: unknown[] = []): Promise<Row[]> {
  return (await db.query(numbered(sql), params)).rows;
}

const POOL_FOR_SHARE = `${RESOURCE_SQL.getWorkPool} FOR SHARE`;

export abstract class PostgresWorkPoolResources implements WorkPoolStore, DeploymentStore {
  constructor(protected readonly pool: pg.Pool) {}

  /** The store's transaction: retried on deadlocks and serialization failures. */
  protected abstract transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T>;

  createWorkPool(input: WorkPoolInput): Promise<CreateOutcome<WorkPoolRecord>> {
    const now = new Date().toISOString();
    return this.transaction(async (client) => {
      const [pool] = await rows(client, INSERT_WORK_POOL, workPoolRow(input, now));
      if (!pool) return refusal.duplicateWorkPool(input.name);
      await rows(client, INSERT_WORK_QUEUE, workQueueRow(input.name, { name: DEFAULT_WORK_QUEUE }, 1, now));
      return { created: toWorkPool(pool) };
    });
  }

  async getWorkPool(name: string): Promise<WorkPoolRecord | undefined> {
    const [row] = await rows(this.pool, RESOURCE_SQL.getWorkPool, [name]);
    return row && toWorkPool(row);
  }

  async listWorkPools(): Promise<WorkPoolRecord[]> {
    return (await rows(this.pool, RESOURCE_SQL.listWorkPools)).map(toWorkPool);
  }

  async updateWorkPool(name: string, patch: WorkPoolPatch): Promise<WorkPoolRecord | undefined> {
    const [row] = await this.update("work_pools", patch, { name });
    return row && toWorkPool(row);
  }

  deleteWorkPool(name: string): Promise<boolean> {
    return this.transaction(async (client) => {
      await rows(client, RESOURCE_SQL.deleteWorkQueuesOfPool, [name]);
      return ((await client.query(numbered(RESOURCE_SQL.deleteWorkPool), [name])).rowCount ?? 0) > 0;
    });
  }

  createWorkQueue(workPoolName: string, input: WorkQueueInput): Promise<CreateOutcome<WorkQueueRecord>> {
    const now = new Date().toISOString();
    return this.transaction(async (client) => {
      // FOR UPDATE (not SHARE): two queues created at once in one pool take their next priority in turn.
      if (!(await rows(client, `${RESOURCE_SQL.getWorkPool} FOR UPDATE`, [workPoolName])).length)
        return refusal.unknownWorkPool(workPoolName);
      const [{ next }] = await rows(client, RESOURCE_SQL.nextWorkQueuePriority, [workPoolName]);
      const [queue] = await rows(client, INSERT_WORK_QUEUE, workQueueRow(workPoolName, input, Number(next), now));
      return queue ? { created: toWorkQueue(queue) } : refusal.duplicateWorkQueue(workPoolName, input.name);
    });
  }

  async getWorkQueue(workPoolName: string, name: string): Promise<WorkQueueRecord | undefined> {
    const [row] = await rows(this.pool, RESOURCE_SQL.getWorkQueue, [workPoolName, name]);
    return row && toWorkQueue(row);
  }

  async listWorkQueues(workPoolName: string): Promise<WorkQueueRecord[]> {
    return (await rows(this.pool, RESOURCE_SQL.listWorkQueues, [workPoolName])).map(toWorkQueue);
  }

  async updateWorkQueue(
    workPoolName: string,
    name: string,
    patch: WorkQueuePatch,
  ): Promise<WorkQueueRecord | undefined> {
    const [row] = await this.update("work_queues", patch, { work_pool_name: workPoolName, name });
    return row && toWorkQueue(row);
  }

  async deleteWorkQueue(workPoolName: string, name: string): Promise<boolean> {
    return ((await this.pool.query(numbered(RESOURCE_SQL.deleteWorkQueue), [workPoolName, name])).rowCount ?? 0) > 0;
  }

  createDeployment(input: DeploymentInput): Promise<CreateOutcome<DeploymentRecord>> {
    const now = new Date().toISOString();
    return this.transaction(async (client): Promise<CreateOutcome<DeploymentRecord>> => {
      const pool = input.workPoolName ?? null;
      const queue = pool === null ? (input.workQueueName ?? null) : (input.workQueueName ?? DEFAULT_WORK_QUEUE);
      if (pool === null && queue !== null) return refusal.queueWithoutPool(queue);
      if (pool !== null && !(await rows(client, POOL_FOR_SHARE, [pool])).length) return refusal.unknownWorkPool(pool);
      if (pool !== null && !(await rows(client, RESOURCE_SQL.getWorkQueue, [pool, queue])).length)
        return refusal.unknownWorkQueue(pool, queue!);
      const [row] = await rows(client, INSERT_DEPLOYMENT, deploymentRow(randomUUID(), input, queue, now));
      return row ? { created: toDeployment(row) } : refusal.duplicateDeployment(input.flowName, input.name);
    });
  }

  async getDeployment(id: string): Promise<DeploymentRecord | undefined> {
    const [row] = await rows(this.pool, RESOURCE_SQL.getDeployment, [id]);
    return row && toDeployment(row);
  }

  async getDeploymentByName(flowName: string, name: string): Promise<DeploymentRecord | undefined> {
    const [row] = await rows(this.pool, RESOURCE_SQL.getDeploymentByName, [flowName, name]);
    return row && toDeployment(row);
  }

  async listDeployments(query: DeploymentQuery = {}): Promise<DeploymentRecord[]> {
    // PostgreSQL text cannot hold NUL, so nothing stored has such a name (and the query would be refused).
    if ([query.flowName, query.workPoolName].some((name) => name?.includes("\u0000"))) return [];
    const { sql, params } = listDeploymentsStatement(query);
    return (await rows(this.pool, sql, params)).map(toDeployment);
  }

  updateDeployment(id: string, patch: DeploymentPatch): Promise<DeploymentChange | undefined> {
    return this.transaction(async (client) => {
      const before = await deploymentForUpdate(client, id);
      return before && (await this.updateSweeping(client, before, patch));
    });
  }

  setScheduleActive(id: string, schedule: string, active: boolean): Promise<ScheduleActivation | undefined> {
    return this.transaction(async (client): Promise<ScheduleActivation | undefined> => {
      const before = await deploymentForUpdate(client, id);
      if (!before) return undefined;
      const changed = withScheduleActive(before, schedule, active);
      if ("problem" in changed) return changed;
      return { ...(await this.updateSweeping(client, before, { schedules: changed.schedules })), index: changed.index };
    });
  }

  deleteDeployment(id: string): Promise<DeploymentRemoval> {
    return this.transaction(async (client) => {
      if (!(await deploymentForUpdate(client, id))) return { deleted: false, deletedRunIds: [] };
      const deletedRunIds = await deleteStaleRuns(client, id, "all");
      const deleted = ((await client.query(numbered(RESOURCE_SQL.deleteDeployment), [id])).rowCount ?? 0) > 0;
      return { deleted, deletedRunIds };
    });
  }

  /** In the caller's transaction: the patch applied, and the scheduled runs that no longer belong deleted. */
  private async updateSweeping(
    client: pg.PoolClient,
    before: DeploymentRecord,
    patch: DeploymentPatch,
  ): Promise<DeploymentChange> {
    const [row] = await this.update("deployments", patch, { id: before.id }, client);
    const after = toDeployment(row);
    return {
      deployment: after,
      deletedRunIds: await deleteStaleRuns(client, before.id, staleScheduleKeys(before, after)),
    };
  }

  private async update(
    table: string,
    patch: object,
    keys: Record<string, string>,
    db: Queryable = this.pool,
  ): Promise<Row[]> {
    const { sql, params } = updateStatement(table, patch, keys, new Date().toISOString());
    return rows(db, sql, params);
  }
}

/**
 * The deployment, its row locked until the transaction ends: the scheduler stores a run only after reading the row
 * FOR SHARE (deployment-runs.ts), so it waits for this change and then sees it, and the sweep that follows sees
 * every run stored before.
 */
export async function deploymentForUpdate(client: pg.PoolClient, id: string): Promise<DeploymentRecord | undefined> {
  const [row] = await rows(client, `${RESOURCE_SQL.getDeployment} FOR UPDATE`, [id]);
  return row && toDeployment(row);
}

/** The ids of the runs deleted (the last statement returns them). */
async function deleteStaleRuns(client: pg.PoolClient, deploymentId: string, keys: StaleRuns): Promise<string[]> {
  let deleted: Row[] = [];
  for (const { sql, params } of deleteStaleRunsStatements(deploymentId, keys))
    deleted = (await client.query(numbered(sql), params)).rows;
  return deleted.map((row) => String(row.id));
}
