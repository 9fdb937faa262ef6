// Deployment runs in SQL, once for both dialects: the statements (with `?` placeholders, numbered for PostgreSQL)
// and the pure plan of a claim, so SQLite (sqlite/deployment-runs.ts, in one write transaction) and PostgreSQL
// (postgres/deployment-runs.ts, candidates locked FOR UPDATE SKIP LOCKED) give a worker the same runs.
// A claim takes due runs of the pool in queue priority order, then by expected start time, and respects the
// concurrency limits of the pool, each queue and each deployment; over a deployment's limit a run waits
// (ENQUEUE: AwaitingConcurrencySlot) or is cancelled (CANCEL_NEW), by the named rules of protocol/states.ts.
//
// A claim is answered exactly once even when its answer is lost (the server committed, then the connection died):
// the worker sends a claim id, kept across its retries, and each run a claim takes records it (`claim_id`); the
// same id asked again answers with those runs (`runsOfClaim`) instead of taking new ones. The id lives on the runs
// rather than in a server's memory because the retry comes when something failed: after a server restart, or
// through another server on the same PostgreSQL database, it is still there; and it costs one nullable column.
import { newId } from "../protocol/ids.ts";
import type { RunEvent } from "../protocol/run-events.ts";
import { requireTransition, STATE_NAMES, type State, type StateName } from "../protocol/states.ts";
import { stateColumns, toFlowRun, type Row } from "./rows.ts";
import type { FlowRunRecord, NewDeploymentRun, WorkerRecord } from "./types.ts";

/** The state types of runs that hold a slot of their pool, queue and deployment. */
export const SLOT_HOLDING_STATE_TYPES = ["PENDING", "RUNNING", "CANCELLING"] as const;
const HOLDING_SQL = SLOT_HOLDING_STATE_TYPES.map((type) => `'${type}'`).join(",");
/** The named states a worker may claim from (ClaimRun). */
export const CLAIMABLE_STATES: readonly StateName[] = ["Scheduled", "Late", "AwaitingConcurrencySlot"];
const CLAIMABLE_SQL = CLAIMABLE_STATES.map((name) => `'${name}'`).join(",");

const INSERT_COLUMNS = [
  "id",
  "name",
  "flow_name",
  "parameters",
  "tags",
  "entrypoint",
  "pid",
  "heartbeat_at",
  "created_at",
  "state_type",
  "state_name",
  "state_message",
  "state_timestamp",
  "state_details",
  "deployment_id",
  "work_pool_name",
  "work_queue_name",
  "expected_start_time",
  "idempotency_key",
  "schedule_key",
];

export const DEPLOYMENT_RUN_SQL = {
  insertRun: `INSERT INTO flow_runs (${INSERT_COLUMNS.join(", ")}) VALUES (${INSERT_COLUMNS.map(() => "?").join(", ")})
    ON CONFLICT DO NOTHING RETURNING *`,
  runByKey: "SELECT * FROM flow_runs WHERE idempotency_key = ?",
  insertState: "INSERT INTO states (id, run_id, type, name, message, timestamp, details) VALUES (?, ?, ?, ?, ?, ?, ?)",
  /** A claimed or waiting run moves; `worker_name` and `claim_id` are set only by a claim. */
  moveRun: `UPDATE flow_runs SET state_type = ?, state_name = ?, state_message = ?, state_timestamp = ?, state_details = ?,
    worker_name = COALESCE(?, worker_name), claim_id = COALESCE(?, claim_id) WHERE id = ?`,
  /**
   * The runs a claim took that are still Pending for its worker: the answer to that claim asked again. Only the
   * pool's Pending runs are looked at (the claim index), so no index of its own is needed.
   */
  runsOfClaim: `SELECT * FROM flow_runs WHERE work_pool_name = ? AND state_type = 'PENDING' AND state_name = 'Pending'
    AND worker_name = ? AND claim_id = ? ORDER BY expected_start_time, id`,
  recordPoll: `INSERT INTO workers (work_pool_name, name, pid, host, last_poll_at) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (work_pool_name, name) DO UPDATE SET pid = excluded.pid, host = excluded.host,
    last_poll_at = excluded.last_poll_at`,
  listWorkers: "SELECT * FROM workers ORDER BY work_pool_name, name",
  listPoolWorkers: "SELECT * FROM workers WHERE work_pool_name = ? ORDER BY name",
  queues: "SELECT name, priority, concurrency_limit, paused FROM work_queues WHERE work_pool_name = ?",
  limitedDeployments: `SELECT id, concurrency_limit, collision_strategy, paused FROM deployments
    WHERE work_pool_name = ? AND (concurrency_limit IS NOT NULL OR paused <> 0)`,
  /** Due runs of the pool in unpaused queues, in the order workers take them. */
  candidates: `SELECT f.* FROM flow_runs f
    JOIN work_queues q ON q.work_pool_name = f.work_pool_name AND q.name = f.work_queue_name
    WHERE f.work_pool_name = ? AND f.state_type = 'SCHEDULED' AND f.state_name IN (${CLAIMABLE_SQL})
      AND f.expected_start_time <= ? AND q.paused = 0
    ORDER BY q.priority, f.expected_start_time, f.id LIMIT ?`,
  /** Slots held in the pool, by queue and deployment. */
  holders: `SELECT work_queue_name, deployment_id, COUNT(*) AS n FROM flow_runs
    WHERE work_pool_name = ? AND state_type IN (${HOLDING_SQL}) GROUP BY work_queue_name, deployment_id`,
};

export function deploymentRunRow(input: NewDeploymentRun, now: string): unknown[] {
  const { deployment } = input;
  return [
    input.id,
    input.name,
    deployment.flowName,
    JSON.stringify(input.parameters),
    JSON.stringify(input.tags),
    deployment.entrypoint,
    0, // no process yet: liveness sweeps leave it alone (store/liveness.ts)
    now,
    now,
    ...stateColumns(input.state),
    deployment.id,
    deployment.workPoolName,
    deployment.workQueueName,
    input.expectedStartTime,
    input.idempotencyKey,
    input.schedule?.key ?? null,
  ];
}

export function stateRow(id: string, runId: string, state: State): unknown[] {
  return [id, runId, ...stateColumns(state)];
}

export function toWorker(row: Row): WorkerRecord {
  return {
    workPoolName: row.work_pool_name,
    name: row.name,
    pid: Number(row.pid),
    host: row.host,
    lastPollAt: row.last_poll_at,
  };
}

export interface QueueRow {
  name: string;
  concurrency_limit: number | null;
}

export interface DeploymentLimitRow {
  id: string;
  concurrency_limit: number | null;
  collision_strategy: string;
  paused: number;
}

export interface HolderRow {
  work_queue_name: string | null;
  deployment_id: string | null;
  n: number | string;
}

/** One run's move in a claim: the state it takes and, for a claim, the worker and the claim's id. */
export interface PlannedMove {
  run: FlowRunRecord;
  state: State;
  stateId: string;
  workerName: string | null;
  claimId: string | null;
}

/** How many candidates to read for a claim of `limit`: some may be skipped (paused deployment, full limits). */
export const candidateLimit = (limit: number) => limit * 4 + 20;

/**
 * Which candidates (in claim order) a worker takes, which wait for their deployment's slot (ENQUEUE) and which are
 * cancelled (CANCEL_NEW), given the slots held now. Pure, so both dialects decide alike.
 */
export function planClaim(options: {
  candidates: readonly Row[];
  poolLimit: number | null;
  queues: readonly QueueRow[];
  deployments: readonly DeploymentLimitRow[];
  holders: readonly HolderRow[];
  workerName: string;
  claimId: string | null;
  limit: number;
  now: string;
}): PlannedMove[] {
  const queueLimit = new Map(options.queues.map((queue) => [queue.name, queue.concurrency_limit]));
  const deploymentById = new Map(options.deployments.map((deployment) => [deployment.id, deployment]));
  let poolHeld = 0;
  const queueHeld = new Map<string, number>();
  const deploymentHeld = new Map<string, number>();
  const add = (counts: Map<string, number>, key: string | null, n: number) => {
    if (key !== null) counts.set(key, (counts.get(key) ?? 0) + n);
  };
  for (const holder of options.holders) {
    const n = Number(holder.n);
    poolHeld += n;
    add(queueHeld, holder.work_queue_name, n);
    add(deploymentHeld, holder.deployment_id, n);
  }
  const moves: PlannedMove[] = [];
  let claimed = 0;
  for (const row of options.candidates) {
    if (claimed >= options.limit) break;
    const run = toFlowRun(row);
    const deployment = run.deploymentId ? deploymentById.get(run.deploymentId) : undefined;
    if (deployment && deployment.paused !== 0) continue;
    if (options.poolLimit !== null && poolHeld >= options.poolLimit) break;
    const queue = run.workQueueName ?? "";
    const ofQueue = queueLimit.get(queue) ?? null;
    if (ofQueue !== null && (queueHeld.get(queue) ?? 0) >= ofQueue) continue;
    const ofDeployment = deployment?.concurrency_limit ?? null;
    if (ofDeployment !== null && (deploymentHeld.get(run.deploymentId!) ?? 0) >= ofDeployment) {
      const cancel = deployment!.collision_strategy === "CANCEL_NEW";
      const message = `Deployment concurrency limit ${ofDeployment} reached`;
      if (cancel) moves.push(move(run, "Cancelled", options.now, null, null, message));
      else if (run.state.name !== "AwaitingConcurrencySlot")
        moves.push(move(run, "AwaitingConcurrencySlot", options.now, null, null, message));
      continue;
    }
    const claimedBy = `Claimed by worker ${options.workerName}`;
    moves.push(move(run, "Pending", options.now, options.workerName, options.claimId, claimedBy));
    claimed++;
    poolHeld++;
    add(queueHeld, queue, 1);
    add(deploymentHeld, run.deploymentId, 1);
  }
  return moves;
}

function move(
  run: FlowRunRecord,
  name: StateName,
  now: string,
  workerName: string | null,
  claimId: string | null,
  message: string,
): PlannedMove {
  requireTransition(run.state.name, name);
  // Never earlier than the state it replaces, so readers that order by time see the move.
  const timestamp = now < run.state.timestamp ? run.state.timestamp : now;
  const state: State = { type: STATE_NAMES[name], name, timestamp, message };
  return { run, state, stateId: newId(), workerName, claimId };
}

/** The run as a claim leaves it, and the event streams announce. */
export function movedRun(planned: PlannedMove): FlowRunRecord {
  return { ...planned.run, state: planned.state, workerName: planned.workerName ?? planned.run.workerName };
}

export function moveEvent(planned: PlannedMove): RunEvent {
  return {
    kind: "state",
    id: planned.stateId,
    timestamp: planned.state.timestamp,
    flowRunId: planned.run.id,
    runKind: "flow",
    runId: planned.run.id,
    state: planned.state,
  };
}

export function moveParams(planned: PlannedMove): unknown[] {
  return [...stateColumns(planned.state), planned.workerName, planned.claimId, planned.run.id];
}
