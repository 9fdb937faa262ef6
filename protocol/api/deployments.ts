// Deployments: a flow's entrypoint with parameters, schedules, a work pool and queue, tags and a concurrency
// limit. Schemas check shapes only; what a schema cannot say (cron syntax, time zones, rrules, parameters
// against the parameter schema) is checked by the server in services/deployment-checks.ts (422).
import { Type } from "typebox";
import { ENTRYPOINT_PATTERN } from "../entrypoints.ts";
import { MAX_INTERVAL_SECONDS } from "../schedules.ts";
import { Deleted, Id, IdParams, IsoTime, JsonObject, nullable, withDefault } from "./common.ts";
import { defineRoute } from "./contract.ts";
import { FlowRun } from "./flow-runs.ts";
import { NullableText, resourceName } from "./work-pools.ts";
import { DeploymentRunRequest } from "./workers.ts";

/** `path/to/file.ts:exportName` or `path/to/file.ts:Class.method`. */
export const entrypoint = Type.String({ minLength: 3, maxLength: 1000, pattern: ENTRYPOINT_PATTERN });

/** A schedule's name within its deployment, unique there: free text, as Prefect's slugs. */
export const ScheduleSlug = Type.String({ minLength: 1, maxLength: 200 });

/** Exactly one of cron, interval (seconds) or rrule. */
export const DeploymentSchedule = Type.Object(
  {
    cron: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    interval: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: MAX_INTERVAL_SECONDS })),
    rrule: Type.Optional(Type.String({ minLength: 1, maxLength: 2000 })),
    /** IANA time zone the schedule is read in; UTC when absent. */
    timezone: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    /** ISO time an interval counts from (an rrule without DTSTART starts there); the deployment's creation when absent. */
    anchorDate: Type.Optional(IsoTime),
    /** Names the schedule within its deployment (unique there). */
    slug: Type.Optional(ScheduleSlug),
    active: withDefault(Type.Boolean(), true),
    /** Overrides of the deployment's parameters for runs of this schedule. */
    parameters: withDefault(JsonObject, {}),
  },
  { additionalProperties: false, oneOf: [{ required: ["cron"] }, { required: ["interval"] }, { required: ["rrule"] }] },
);

const CollisionStrategy = Type.Enum(["ENQUEUE", "CANCEL_NEW"]);

const deploymentFields = {
  description: Type.Optional(NullableText),
  parameters: Type.Optional(JsonObject),
  parameterSchema: Type.Optional(nullable(JsonObject)),
  enforceParameterSchema: Type.Optional(Type.Boolean()),
  schedules: Type.Optional(Type.Array(DeploymentSchedule, { maxItems: 100 })),
  jobVariables: Type.Optional(JsonObject),
  tags: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { maxItems: 100 })),
  concurrencyLimit: Type.Optional(nullable(Type.Integer({ minimum: 1, maximum: 1_000_000 }))),
  collisionStrategy: Type.Optional(CollisionStrategy),
  paused: Type.Optional(Type.Boolean()),
};

export const Deployment = Type.Object({
  id: Type.String(),
  /** Unique per flow, as in Prefect ("flow/deployment"). */
  name: Type.String(),
  flowName: Type.String(),
  entrypoint: Type.String(),
  description: nullable(Type.String()),
  parameters: JsonObject,
  /** JSON Schema of the flow's parameters (from its TypeScript signature); null when unknown. */
  parameterSchema: nullable(JsonObject),
  enforceParameterSchema: Type.Boolean(),
  schedules: Type.Array(DeploymentSchedule),
  workPoolName: nullable(Type.String()),
  workQueueName: nullable(Type.String()),
  jobVariables: JsonObject,
  tags: Type.Array(Type.String()),
  concurrencyLimit: nullable(Type.Integer()),
  collisionStrategy: CollisionStrategy,
  paused: Type.Boolean(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

/** The scheduler-made runs a deployment change deleted (store/schedule-runs.ts); each is also streamed as deleted. */
const DeletedRunIds = Type.Array(Id);

export const deploymentsApi = {
  list: defineRoute({
    method: "GET",
    path: "/api/deployments",
    querystring: Type.Object(
      {
        flowName: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
        workPool: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
      },
      { additionalProperties: false },
    ),
    response: Type.Object({ deployments: Type.Array(Deployment) }),
  }),
  /** 409 when the flow has a deployment of that name, 404 / 422 for a missing work pool / queue. */
  create: defineRoute({
    method: "POST",
    path: "/api/deployments",
    body: Type.Object(
      {
        name: resourceName,
        flowName: Type.String({ minLength: 1, maxLength: 500 }),
        entrypoint,
        workPoolName: Type.Optional(nullable(resourceName)),
        workQueueName: Type.Optional(nullable(resourceName)),
        ...deploymentFields,
      },
      { additionalProperties: false },
    ),
    response: Deployment,
  }),
  get: defineRoute({ method: "GET", path: "/api/deployments/:id", params: IdParams, response: Deployment }),
  byName: defineRoute({
    method: "GET",
    path: "/api/deployments/by-name/:flowName/:name",
    params: Type.Object({
      flowName: Type.String({ minLength: 1, maxLength: 500 }),
      name: Type.String({ minLength: 1, maxLength: 200 }),
    }),
    response: Deployment,
  }),
  /**
   * Changes the fields given (e.g. `{paused: true}`); the result is checked whole. The scheduled runs the change
   * leaves behind that no worker has claimed are deleted (`deletedRunIds`).
   */
  update: defineRoute({
    method: "PUT",
    path: "/api/deployments/:id",
    params: IdParams,
    body: Type.Object(deploymentFields, { additionalProperties: false }),
    response: Type.Object({ deployment: Deployment, deletedRunIds: DeletedRunIds }),
  }),
  /**
   * Pauses (`active: false`) or resumes one schedule, named by its slug or, without one, its 1-based number (404: no
   * such deployment; 422: it names no schedule). A pause deletes the runs the scheduler made from it that no worker
   * has claimed (`deletedRunIds`); resumed, the scheduler makes its upcoming runs again.
   */
  setScheduleActive: defineRoute({
    method: "PUT",
    path: "/api/deployments/:id/schedules/:schedule",
    params: Type.Object({ id: Id, schedule: ScheduleSlug }),
    body: Type.Object({ active: Type.Boolean() }, { additionalProperties: false }),
    response: Type.Object({
      deployment: Deployment,
      /** Which schedule changed (0-based). */
      index: Type.Integer(),
      deletedRunIds: DeletedRunIds,
    }),
  }),
  /** Deletes the deployment and the runs its scheduler made that no worker has claimed (`deletedRunIds`). */
  delete: defineRoute({
    method: "DELETE",
    path: "/api/deployments/:id",
    params: IdParams,
    response: Type.Object({ ...Deleted.properties, deletedRunIds: DeletedRunIds }),
  }),
  /**
   * Creates a run of the deployment, Scheduled for now or `scheduledTime`, for a worker of its pool: 422 with one
   * line per parameter that does not fit the schema (when the deployment enforces it), 409 when it is paused.
   */
  createRun: defineRoute({
    method: "POST",
    path: "/api/deployments/:id/runs",
    params: IdParams,
    body: DeploymentRunRequest,
    response: FlowRun,
  }),
};
