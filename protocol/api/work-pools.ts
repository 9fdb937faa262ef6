// Work pools and their queues (Prefect's): a pool has a type, may be paused or limited, and is created with a
// "default" queue. Pools and queues are addressed by name; a refused create answers REFUSAL_STATUS.
import { Type } from "typebox";
import { Deleted, JsonObject, nullable } from "./common.ts";
import { defineRoute } from "./contract.ts";

/** Like Prefect: any printable name without '/' or '%' (they would break URLs), no space at either end. */
export const RESOURCE_NAME_RULE = {
  minLength: 1,
  maxLength: 200,
  pattern: "^[^\\s/%](?:[^/%\\u0000-\\u001f]*[^\\s/%])?$",
} as const;
export const resourceName = Type.String(RESOURCE_NAME_RULE);
/** The kind of worker serving a pool: "process", "docker", … */
export const WORK_POOL_TYPE_PATTERN = "^[a-z][a-z0-9-]{0,49}$";
const workPoolType = Type.String({ pattern: WORK_POOL_TYPE_PATTERN });
export const NullableText = nullable(Type.String({ maxLength: 10_000 }));
const NullableLimit = nullable(Type.Integer({ minimum: 0, maximum: 1_000_000 }));

export const WorkPool = Type.Object({
  name: Type.String(),
  type: Type.String(),
  description: nullable(Type.String()),
  paused: Type.Boolean(),
  /** Most runs of the pool running at once; null is no limit. */
  concurrencyLimit: nullable(Type.Integer()),
  /** Defaults of the job variables workers start runs with; deployments override them (`jobVariables`). */
  baseJobTemplate: JsonObject,
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

export const WorkQueue = Type.Object({
  workPoolName: Type.String(),
  name: Type.String(),
  description: nullable(Type.String()),
  priority: Type.Integer(),
  concurrencyLimit: nullable(Type.Integer()),
  paused: Type.Boolean(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

const workPoolFields = {
  description: Type.Optional(NullableText),
  paused: Type.Optional(Type.Boolean()),
  concurrencyLimit: Type.Optional(NullableLimit),
  baseJobTemplate: Type.Optional(JsonObject),
};

const workQueueFields = {
  description: Type.Optional(NullableText),
  priority: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000 })),
  concurrencyLimit: Type.Optional(NullableLimit),
  paused: Type.Optional(Type.Boolean()),
};

const PoolParams = Type.Object({ pool: Type.String({ minLength: 1, maxLength: 200 }) });
const QueueParams = Type.Object({
  pool: Type.String({ minLength: 1, maxLength: 200 }),
  queue: Type.String({ minLength: 1, maxLength: 200 }),
});

export const workPoolsApi = {
  /**
   * A bare array (the other lists are wrapped): the editor's skein.yaml check reads pool names from this route
   * (language-server/work-pools.ts), and it takes an array of objects with a `name`.
   */
  list: defineRoute({ method: "GET", path: "/api/work-pools", response: Type.Array(WorkPool) }),
  create: defineRoute({
    method: "POST",
    path: "/api/work-pools",
    body: Type.Object(
      { name: resourceName, type: Type.Optional(workPoolType), ...workPoolFields },
      { additionalProperties: false },
    ),
    response: WorkPool,
  }),
  get: defineRoute({ method: "GET", path: "/api/work-pools/:pool", params: PoolParams, response: WorkPool }),
  /** Changes the fields given (pause, resume, concurrency limit: null removes it); the others stay. */
  update: defineRoute({
    method: "PUT",
    path: "/api/work-pools/:pool",
    params: PoolParams,
    body: Type.Object(workPoolFields, { additionalProperties: false }),
    response: WorkPool,
  }),
  /** Refused (409) while deployments use the pool. */
  delete: defineRoute({ method: "DELETE", path: "/api/work-pools/:pool", params: PoolParams, response: Deleted }),
  listQueues: defineRoute({
    method: "GET",
    path: "/api/work-pools/:pool/queues",
    params: PoolParams,
    response: Type.Object({ workQueues: Type.Array(WorkQueue) }),
  }),
  createQueue: defineRoute({
    method: "POST",
    path: "/api/work-pools/:pool/queues",
    params: PoolParams,
    body: Type.Object({ name: resourceName, ...workQueueFields }, { additionalProperties: false }),
    response: WorkQueue,
  }),
  getQueue: defineRoute({
    method: "GET",
    path: "/api/work-pools/:pool/queues/:queue",
    params: QueueParams,
    response: WorkQueue,
  }),
  updateQueue: defineRoute({
    method: "PUT",
    path: "/api/work-pools/:pool/queues/:queue",
    params: QueueParams,
    body: Type.Object(workQueueFields, { additionalProperties: false }),
    response: WorkQueue,
  }),
  /** Refused (409) for the default queue and while deployments use the queue. */
  deleteQueue: defineRoute({
    method: "DELETE",
    path: "/api/work-pools/:pool/queues/:queue",
    params: QueueParams,
    response: Deleted,
  }),
};
