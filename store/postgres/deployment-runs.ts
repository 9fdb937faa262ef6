// Deployment runs in PostgreSQL: created by the server (ScheduleRun) and claimed by workers (ClaimRun). Many
// workers claim at once: each locks its candidates FOR UPDATE SKIP LOCKED, so two never take the same run and
// none waits on another's rows. When a concurrency limit applies in the pool, claims of that pool take turns on
// the pool row instead (FOR UPDATE), so no two count the same free slot. The plan is the SQLite store's
// (store/deployment-runs.ts). PostgresStore extends this class.
import type pg from "pg";
import {
  candidateLimit,
  DEPLOYMENT_RUN_SQL as SQL,
  type DeploymentLimitRow,
  deploymentRunRow,
  type HolderRow,
  moveEvent,
  moveParams,
  movedRun,
  planClaim,
  type QueueRow,
  stateRow,
  toWorker,
} from "../deployment-runs.ts";
import { RESOURCE_SQL, toDeployment, toFlowRun, type Row } from "../rows.ts";
import { isScheduleCurrent, ScheduleChangedError } from "../schedule-runs.ts";
import type {
  ClaimRequest,
  ClaimResult,
  DeploymentRunStore,
  FlowRunRecord,
  NewDeploymentRun,
  WorkerRecord,
} from "../types.ts";
import { numbered, PostgresWorkPoolResources } from "./work-pool-resources.ts";

type Queryable = Pick<pg.Pool | pg.PoolClient, "query">;

/** The first key of the two-key advisory locks that serialize the attempts of one claim ("clm"); 32-bit. */
const CLAIM_LOCK_CLASS = 0x636c6d;

async function rows(db: Queryable, sql: string, params: unknown[] = []): Promise<Row[]> {
  return (await db.query(numbered(sql), params)).rows;
}

export abstract class PostgresDeploymentRuns extends PostgresWorkPoolResources implements DeploymentRunStore {
  createDeploymentRun(input: NewDeploymentRun): Promise<{ run: FlowRunRecord; created: boolean }> {
    const now = new Date().toISOString();
    return this.transaction(async (client) => {
      if (input.schedule) {
        // FOR SHARE: a pause or deploy of this deployment (FOR UPDATE) either sees this run, or this sees it.
        const [deployment] = await rows(client, `${RESOURCE_SQL.getDeployment} FOR SHARE`, [input.deployment.id]);
        if (!deployment || !isScheduleCurrent(toDeployment(deployment), input.schedule))
          throw new ScheduleChangedError(`the schedule ${input.schedule.key} of this run changed before it was stored`);
      }
      const [row] = await rows(client, SQL.insertRun, deploymentRunRow(input, now));
      if (row) {
        await rows(client, SQL.insertState, stateRow(input.id, input.id, input.state));
        return { run: toFlowRun(row), created: true };
      }
      const [existing] = await rows(client, SQL.runByKey, [input.idempotencyKey]);
      if (!existing) throw new Error(`flow run ${input.id} exists already`);
      return { run: toFlowRun(existing), created: false };
    });
  }

  async claimFlowRuns(request: ClaimRequest): Promise<ClaimResult> {
    const now = new Date().toISOString();
    const { workPoolName: pool, workerName } = request;
    // The poll is recorded on its own: a worker's row is never locked for the length of a claim.
    await rows(this.pool, SQL.recordPoll, [pool, workerName, request.pid, request.host, now]);
    return this.transaction(async (client) => {
      if (request.claimId) {
        // Two attempts of one claim take turns (the first may still be running when its retry arrives), so the
        // second sees what the first took instead of skipping its locked rows and taking others.
        await client.query("SELECT pg_advisory_xact_lock($1, hashtext($2))", [CLAIM_LOCK_CLASS, request.claimId]);
        const taken = await rows(client, SQL.runsOfClaim, [pool, workerName, request.claimId]);
        if (taken.length) return { claimed: taken.map(toFlowRun), events: [] };
      }
      let [poolRow] = await rows(client, RESOURCE_SQL.getWorkPool, [pool]);
      if (poolRow?.paused !== 0 || request.limit <= 0) return { claimed: [], events: [] };
      const queues = (await rows(client, SQL.queues, [pool])) as QueueRow[];
      const deployments = (await rows(client, SQL.limitedDeployments, [pool])) as DeploymentLimitRow[];
      const limited =
        poolRow.concurrency_limit !== null ||
        queues.some((queue) => queue.concurrency_limit !== null) ||
        deployments.some((deployment) => deployment.concurrency_limit !== null);
      if (limited) [poolRow] = await rows(client, `${RESOURCE_SQL.getWorkPool} FOR UPDATE`, [pool]);
      const candidates = await rows(client, `${SQL.candidates} FOR UPDATE OF f SKIP LOCKED`, [
        pool,
        now,
        candidateLimit(request.limit),
      ]);
      const moves = planClaim({
        candidates,
        poolLimit: poolRow.concurrency_limit,
        queues,
        deployments,
        holders: (await rows(client, SQL.holders, [pool])) as HolderRow[],
        workerName,
        claimId: request.claimId ?? null,
        limit: request.limit,
        now,
      });
      for (const planned of moves) {
        await rows(client, SQL.moveRun, moveParams(planned));
        await rows(client, SQL.insertState, stateRow(planned.stateId, planned.run.id, planned.state));
      }
      return {
        claimed: moves.filter((planned) => planned.state.name === "Pending").map(movedRun),
        events: moves.map(moveEvent),
      };
    });
  }

  async listWorkers(workPoolName?: string): Promise<WorkerRecord[]> {
    const found =
      workPoolName === undefined
        ? await rows(this.pool, SQL.listWorkers)
        : await rows(this.pool, SQL.listPoolWorkers, [workPoolName]);
    return found.map(toWorker);
  }
}
