// Workers of work pools: a worker asks its pool for due runs (the ask is its heartbeat: the store keeps each
// worker's last poll), and anyone may list the workers of a pool ("no worker polled pool X since T"). Why a run
// that is not running waits is answered here too, for `flow-run inspect`, `doctor` and the editor.
import { Type, type Static } from "typebox";
import { Id, IdParams, IsoTime, JsonObject } from "./common.ts";
import { defineRoute } from "./contract.ts";
import { FlowRun } from "./flow-runs.ts";
import { resourceName } from "./work-pools.ts";

export const Worker = Type.Object({
  workPoolName: Type.String(),
  name: Type.String(),
  pid: Type.Integer(),
  host: Type.String(),
  lastPollAt: Type.String(),
});

/** The reasons a run that is not running may wait, each with a sentence naming what it waits for. */
export const WAITING_REASON_CODES = [
  "scheduled-later",
  "late",
  "no-worker",
  "pool-paused",
  "queue-paused",
  "deployment-paused",
  "concurrency-full",
  "claimed-starting",
  "awaiting-retry",
  "unknown-pool",
  "not-waiting",
] as const;

export const WaitingReason = Type.Object({
  flowRunId: Type.String(),
  code: Type.Enum([...WAITING_REASON_CODES]),
  /** One sentence for people, e.g. "No worker has polled work pool 'etl' since 2026-11-30T23:50:00Z". */
  message: Type.String(),
  /** The facts behind it: the pool and its last poll, the limit and the runs holding its slots, the worker. */
  workPoolName: Type.Optional(Type.String()),
  lastPollAt: Type.Optional(Type.String()),
  workerName: Type.Optional(Type.String()),
  limit: Type.Optional(Type.Object({ scope: Type.String(), name: Type.String(), limit: Type.Integer() })),
  holders: Type.Optional(Type.Array(Type.String())),
});
export type WaitingReason = Static<typeof WaitingReason>;
export type WaitingReasonCode = WaitingReason["code"];

export const workersApi = {
  /**
   * Records the worker's poll and claims up to `limit` due runs of the pool for it, exactly once. Asked again with
   * the `claimId` of a claim that took runs (its answer was lost), it answers with those runs, still Pending for
   * this worker, and takes no others: with an id, the call is safe to repeat.
   */
  claim: defineRoute({
    method: "POST",
    path: "/api/work-pools/:pool/workers/:worker/claim",
    params: Type.Object({ pool: resourceName, worker: resourceName }),
    body: Type.Object(
      {
        limit: Type.Integer({ minimum: 0, maximum: 1000 }),
        pid: Type.Integer({ minimum: 0 }),
        host: Type.String({ minLength: 1, maxLength: 255 }),
        /** One per claim, the same for each attempt of it. */
        claimId: Type.Optional(Id),
      },
      { additionalProperties: false },
    ),
    response: Type.Object({ flowRuns: Type.Array(FlowRun) }),
  }),
  list: defineRoute({
    method: "GET",
    path: "/api/workers",
    querystring: Type.Object({ pool: Type.Optional(resourceName) }, { additionalProperties: false }),
    response: Type.Object({ workers: Type.Array(Worker) }),
  }),
  /** Why a flow run that is not running waits (or `not-waiting`). */
  waiting: defineRoute({
    method: "GET",
    path: "/api/flow-runs/:id/waiting",
    params: IdParams,
    response: WaitingReason,
  }),
  /** Why each waiting run of a pool (or of every pool) waits: `doctor`'s view. */
  waitingRuns: defineRoute({
    method: "GET",
    path: "/api/waiting-runs",
    querystring: Type.Object({ pool: Type.Optional(resourceName) }, { additionalProperties: false }),
    response: Type.Object({ reasons: Type.Array(WaitingReason) }),
  }),
};

/** A run of a deployment, asked for now or at `scheduledTime`, with parameters over the deployment's. */
export const DeploymentRunRequest = Type.Object(
  {
    parameters: Type.Optional(JsonObject),
    scheduledTime: Type.Optional(IsoTime),
    /** At most one run per key: asking again returns the same run. */
    idempotencyKey: Type.Optional(Id),
    tags: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { maxItems: 100 })),
  },
  { additionalProperties: false },
);
