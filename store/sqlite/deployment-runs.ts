// Deployment runs in SQLite: created by the server (ScheduleRun) and claimed by workers (ClaimRun). A claim is one
// BEGIN IMMEDIATE transaction (the write lock), so two workers never take the same run, and a claim asked again
// with its id runs after the first one committed and finds what it took; the plan of which runs it takes is shared
// with PostgreSQL (store/deployment-runs.ts). SqliteStore extends this class.
import type { SQLInputValue } from "node:sqlite";
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
import { SqliteWorkPoolResources } from "./work-pool-resources.ts";

export abstract class SqliteDeploymentRuns extends SqliteWorkPoolResources implements DeploymentRunStore {
  private all(sql: string, params: unknown[]): Row[] {
    return this.database.sql(sql).all(...(params as SQLInputValue[])) as Row[];
  }

  async createDeploymentRun(input: NewDeploymentRun): Promise<{ run: FlowRunRecord; created: boolean }> {
    const now = new Date().toISOString();
    return this.database.transaction(() => {
      if (input.schedule) {
        const [deployment] = this.all(RESOURCE_SQL.getDeployment, [input.deployment.id]);
        if (!deployment || !isScheduleCurrent(toDeployment(deployment), input.schedule))
          throw new ScheduleChangedError(`the schedule ${input.schedule.key} of this run changed before it was stored`);
      }
      const [row] = this.all(SQL.insertRun, deploymentRunRow(input, now));
      if (row) {
        this.all(SQL.insertState, stateRow(input.id, input.id, input.state));
        return { run: toFlowRun(row), created: true };
      }
      const [existing] = this.all(SQL.runByKey, [input.idempotencyKey]);
      if (!existing) throw new Error(`flow run ${input.id} exists already`);
      return { run: toFlowRun(existing), created: false };
    });
  }

  async claimFlowRuns(request: ClaimRequest): Promise<ClaimResult> {
    const now = new Date().toISOString();
    return this.database.transaction(() => {
      const { workPoolName: pool, workerName } = request;
      this.all(SQL.recordPoll, [pool, workerName, request.pid, request.host, now]);
      // This claim asked again (its answer was lost): what it took, even if the pool was paused meanwhile.
      const taken = request.claimId ? this.all(SQL.runsOfClaim, [pool, workerName, request.claimId]) : [];
      if (taken.length) return { claimed: taken.map(toFlowRun), events: [] };
      const [poolRow] = this.all(RESOURCE_SQL.getWorkPool, [pool]);
      if (poolRow?.paused !== 0 || request.limit <= 0) return { claimed: [], events: [] };
      const moves = planClaim({
        candidates: this.all(SQL.candidates, [pool, now, candidateLimit(request.limit)]),
        poolLimit: poolRow.concurrency_limit,
        queues: this.all(SQL.queues, [pool]) as QueueRow[],
        deployments: this.all(SQL.limitedDeployments, [pool]) as DeploymentLimitRow[],
        holders: this.all(SQL.holders, [pool]) as HolderRow[],
        workerName,
        claimId: request.claimId ?? null,
        limit: request.limit,
        now,
      });
      for (const planned of moves) {
        this.all(SQL.moveRun, moveParams(planned));
        this.all(SQL.insertState, stateRow(planned.stateId, planned.run.id, planned.state));
      }
      return {
        claimed: moves.filter((planned) => planned.state.name === "Pending").map(movedRun),
        events: moves.map(moveEvent),
      };
    });
  }

  /** One server per SQLite file: it always schedules. */
  async holdSchedulerLeadership(): Promise<boolean> {
    return true;
  }

  async listWorkers(workPoolName?: string): Promise<WorkerRecord[]> {
    return (
      workPoolName === undefined ? this.all(SQL.listWorkers, []) : this.all(SQL.listPoolWorkers, [workPoolName])
    ).map(toWorker);
  }
}
