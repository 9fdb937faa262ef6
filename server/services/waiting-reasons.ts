// "Why is it waiting?": for a flow run that is not running, the one reason it waits, in words and as facts
// (protocol/api/workers.ts WaitingReason): scheduled for later; Late; no worker has polled its pool lately (the
// pool and its last poll); its pool, queue or deployment paused; a concurrency limit full (the limit and the
// runs holding it); claimed by a worker that is starting it. `flow-run inspect`, `doctor` and the editor show it.
import type { WaitingReason } from "../../protocol/api/workers.ts";
import { isTerminal } from "../../protocol/states.ts";
import { SLOT_HOLDING_STATE_TYPES } from "../../store/deployment-runs.ts";
import type { FlowRunRecord, Store, WorkerRecord } from "../../store/types.ts";

/** A worker that has not polled for this long is not serving its pool (SKEIN_WORKER_STALE_MS, default 30 s). */
export function workerStaleMs(): number {
  const fromEnv = Number(process.env.SKEIN_WORKER_STALE_MS);
  return Number.isFinite(fromEnv) && fromEnv > 0 ? fromEnv : 30_000;
}

const MAX_HOLDERS_NAMED = 10;

type Reasons = Pick<Store, "getWorkPool" | "getWorkQueue" | "getDeployment" | "listWorkers" | "listFlowRuns">;

export async function explainWaiting(store: Reasons, run: FlowRunRecord, now = Date.now()): Promise<WaitingReason> {
  const reason = (code: WaitingReason["code"], message: string, facts: Partial<WaitingReason> = {}): WaitingReason => ({
    flowRunId: run.id,
    code,
    message,
    ...facts,
  });
  const { state } = run;
  if (isTerminal(state.type)) return reason("not-waiting", `It finished: ${state.name}`);
  if (state.type === "RUNNING" || state.type === "CANCELLING" || state.type === "PAUSED")
    return reason("not-waiting", `It is ${state.name}${run.pid > 0 ? ` in process ${run.pid}` : ""}`);
  if (state.name === "AwaitingRetry") {
    const due = state.details?.scheduledTime;
    return reason(
      "awaiting-retry",
      `It waits to retry${due ? ` at ${due}` : ""}: ${state.message ?? "an attempt failed"}`,
    );
  }
  if (state.type === "PENDING") {
    if (run.workerName)
      return reason(
        "claimed-starting",
        `Worker '${run.workerName}' claimed it at ${state.timestamp} and is starting it`,
        {
          workerName: run.workerName,
          workPoolName: run.workPoolName ?? undefined,
        },
      );
    return reason("not-waiting", `It is Pending in process ${run.pid}, about to start`);
  }
  const poolName = run.workPoolName;
  if (!poolName) return reason("not-waiting", `It is ${state.name} and belongs to no work pool`);
  const pool = await store.getWorkPool(poolName);
  if (!pool)
    return reason(
      "unknown-pool",
      `Its work pool '${poolName}' does not exist; create it: skein work-pool create ${poolName}`,
      {
        workPoolName: poolName,
      },
    );
  if (pool.paused)
    return reason("pool-paused", `Work pool '${poolName}' is paused; resume it: skein work-pool resume ${poolName}`, {
      workPoolName: poolName,
    });
  const queueName = run.workQueueName ?? "default";
  const queue = await store.getWorkQueue(poolName, queueName);
  if (queue?.paused)
    return reason("queue-paused", `Work queue '${queueName}' of pool '${poolName}' is paused`, {
      workPoolName: poolName,
    });
  const deployment = run.deploymentId ? await store.getDeployment(run.deploymentId) : undefined;
  if (deployment?.paused) {
    const name = `${deployment.flowName}/${deployment.name}`;
    return reason("deployment-paused", `Deployment '${name}' is paused; resume it: skein deployment resume ${name}`);
  }
  const due = run.expectedStartTime ? Date.parse(run.expectedStartTime) : now;
  if (due > now)
    return reason("scheduled-later", `It is scheduled for ${run.expectedStartTime} (in ${duration(due - now)})`, {
      workPoolName: poolName,
    });
  const workers = await store.listWorkers(poolName);
  const lastPoll = latestPoll(workers);
  if (!lastPoll || now - Date.parse(lastPoll.lastPollAt) > workerStaleMs()) {
    const polled = lastPoll
      ? `No worker has polled work pool '${poolName}' since ${lastPoll.lastPollAt} (worker '${lastPoll.name}')`
      : `No worker has ever polled work pool '${poolName}'`;
    return reason("no-worker", `${polled}; start one: skein worker start --pool ${poolName}`, {
      workPoolName: poolName,
      lastPollAt: lastPoll?.lastPollAt,
    });
  }
  const full = await fullLimit(store, run, pool.concurrencyLimit, queue?.concurrencyLimit ?? null, deployment);
  if (full) {
    return reason(
      "concurrency-full",
      `The ${full.scope} concurrency limit of '${full.name}' (${full.limit}) is full, held by ${full.holders.join(", ")}`,
      {
        workPoolName: poolName,
        limit: { scope: full.scope, name: full.name, limit: full.limit },
        holders: full.holders,
      },
    );
  }
  const late = state.name === "Late" ? `It is Late (due at ${run.expectedStartTime}); ` : "It is due; ";
  return reason(
    state.name === "Late" ? "late" : "scheduled-later",
    `${late}worker '${lastPoll.name}' polls pool '${poolName}' (last at ${lastPoll.lastPollAt}) and will claim it on its next poll`,
    { workPoolName: poolName, lastPollAt: lastPoll.lastPollAt, workerName: lastPoll.name },
  );
}

function latestPoll(workers: readonly WorkerRecord[]): WorkerRecord | undefined {
  return workers.reduce<WorkerRecord | undefined>(
    (latest, worker) => (!latest || worker.lastPollAt > latest.lastPollAt ? worker : latest),
    undefined,
  );
}

interface FullLimit {
  scope: "deployment" | "work pool" | "work queue";
  name: string;
  limit: number;
  holders: string[];
}

/** The first concurrency limit (deployment, pool, queue) whose slots are all held, with the runs holding them. */
async function fullLimit(
  store: Reasons,
  run: FlowRunRecord,
  poolLimit: number | null,
  queueLimit: number | null,
  deployment: { id: string; flowName: string; name: string; concurrencyLimit: number | null } | undefined,
): Promise<FullLimit | undefined> {
  if (poolLimit === null && queueLimit === null && deployment?.concurrencyLimit == null) return undefined;
  const holding = await store.listFlowRuns({
    workPoolName: run.workPoolName!,
    stateTypes: [...SLOT_HOLDING_STATE_TYPES],
    limit: 10_000,
  });
  const named = (runs: FlowRunRecord[]) =>
    runs.slice(0, MAX_HOLDERS_NAMED).map((holder) => `${holder.name} (${holder.id}, ${holder.state.name})`);
  const candidates: [FullLimit["scope"], string, number | null | undefined, FlowRunRecord[]][] = [
    [
      "deployment",
      deployment ? `${deployment.flowName}/${deployment.name}` : "",
      deployment?.concurrencyLimit,
      holding.filter((holder) => holder.deploymentId === run.deploymentId),
    ],
    ["work pool", run.workPoolName!, poolLimit, holding],
    [
      "work queue",
      run.workQueueName ?? "default",
      queueLimit,
      holding.filter((h) => h.workQueueName === run.workQueueName),
    ],
  ];
  for (const [scope, name, limit, holders] of candidates) {
    if (limit !== null && limit !== undefined && holders.length >= limit)
      return { scope, name, limit, holders: named(holders) };
  }
  return undefined;
}

function duration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 120) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  return minutes < 120 ? `${minutes} min` : `${Math.round(minutes / 60)} h`;
}
