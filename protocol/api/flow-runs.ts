// Flows and flow runs: lists with filters and paging, one run with its state history, cancellation, deletion, and the
// liveness calls run processes make (heartbeat, cancellation polling).
import { Type } from "typebox";
import { STATE_TYPES } from "../states.ts";
import {
  Deleted,
  Id,
  IdParams,
  IsoTime,
  JsonObject,
  Name,
  nullable,
  Ok,
  PagingQuery,
  State,
  StateRecord,
  StringList,
} from "./common.ts";
import { defineRoute } from "./contract.ts";

export const FlowRun = Type.Object({
  id: Type.String(),
  name: Type.String(),
  flowName: Type.String(),
  parameters: JsonObject,
  tags: StringList,
  parentFlowRunId: nullable(Type.String()),
  parentTaskRunId: nullable(Type.String()),
  entrypoint: nullable(Type.String()),
  pid: Type.Integer(),
  /** The machine of the run process; null for runs recorded before hosts were. */
  host: nullable(Type.String()),
  heartbeatAt: Type.String(),
  createdAt: Type.String(),
  state: State,
  /** Serialized result (engine/results/serialize.ts) when persisted. */
  result: nullable(Type.String()),
  cancelRequestedAt: nullable(Type.String()),
  /** Runs of a deployment: which one, where they wait for a worker, when they are due, who claimed them. */
  deploymentId: nullable(Type.String()),
  workPoolName: nullable(Type.String()),
  workQueueName: nullable(Type.String()),
  expectedStartTime: nullable(Type.String()),
  workerName: nullable(Type.String()),
});

const stateTypeList = `(${STATE_TYPES.join("|")})`;

const FlowRunIdsBody = Type.Object(
  { flowRunIds: Type.Array(Id, { maxItems: 10000 }) },
  { additionalProperties: false },
);

export const flowRunsApi = {
  /** The flows list is derived from runs: a flow is known by having run. */
  flows: defineRoute({
    method: "GET",
    path: "/api/flows",
    querystring: Type.Object(PagingQuery, { additionalProperties: false }),
    response: Type.Object({
      flows: Type.Array(Type.Object({ name: Type.String(), runCount: Type.Integer(), lastRunAt: Type.String() })),
    }),
  }),
  list: defineRoute({
    method: "GET",
    path: "/api/flow-runs",
    querystring: Type.Object(
      {
        ...PagingQuery,
        flowName: Type.Optional(Name),
        /** Comma-separated state types, e.g. RUNNING,PENDING. */
        state: Type.Optional(Type.String({ pattern: `^${stateTypeList}(,${stateTypeList})*$` })),
        /** Only runs created before this time (retention). */
        createdBefore: Type.Optional(IsoTime),
        /** Only runs of this deployment. */
        deploymentId: Type.Optional(Id),
        /** Only runs waiting in, or claimed from, this work pool. */
        workPool: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
        /** Only the subflow runs of this flow run. */
        parentFlowRunId: Type.Optional(Id),
      },
      { additionalProperties: false },
    ),
    response: Type.Object({ flowRuns: Type.Array(FlowRun), offset: Type.Integer(), limit: Type.Integer() }),
  }),
  get: defineRoute({ method: "GET", path: "/api/flow-runs/:id", params: IdParams, response: FlowRun }),
  /** Deletes the run with what it owns (store/types.ts RunDeletionStore); clients refuse unfinished runs first. */
  delete: defineRoute({ method: "DELETE", path: "/api/flow-runs/:id", params: IdParams, response: Deleted }),
  /** The state history of a flow run or a task run. */
  states: defineRoute({
    method: "GET",
    path: "/api/runs/:id/states",
    params: IdParams,
    response: Type.Object({ states: Type.Array(StateRecord) }),
  }),
  alive: defineRoute({
    method: "GET",
    path: "/api/flow-runs/:id/alive",
    params: IdParams,
    response: Type.Object({ alive: Type.Boolean() }),
  }),
  cancel: defineRoute({
    method: "POST",
    path: "/api/flow-runs/:id/cancel",
    params: IdParams,
    response: Type.Object({ cancelRequested: Type.Boolean(), state: State }),
  }),
  heartbeat: defineRoute({ method: "POST", path: "/api/flow-runs/heartbeat", body: FlowRunIdsBody, response: Ok }),
  /** Which of these runs have a cancellation request: run processes poll it for their own runs. */
  cancellationRequests: defineRoute({
    method: "POST",
    path: "/api/flow-runs/cancellation-requests",
    body: FlowRunIdsBody,
    response: Type.Object({ flowRunIds: Type.Array(Type.String()) }),
  }),
};
