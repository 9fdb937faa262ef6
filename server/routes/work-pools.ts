// Work pools and their queues (Prefect's): a pool has a type, may be paused or limited, and is created with a
// "default" queue. Pools and queues are addressed by name; creating a taken name is 409.
import type { FastifyInstance, FastifyReply } from "fastify";
import {
  DEFAULT_WORK_QUEUE,
  type CreateOutcome,
  type WorkPoolInput,
  type WorkPoolPatch,
  type WorkQueueInput,
  type WorkQueuePatch,
} from "../../store/types.ts";
import type { ServerContext } from "../context.ts";
import {
  poolParams,
  queueParams,
  REFUSAL_STATUS,
  workPoolBody,
  workPoolPatchBody,
  workQueueBody,
  workQueuePatchBody,
} from "../../protocol/api/work-pool-schemas.ts";

type PoolParams = { pool: string };
type QueueParams = { pool: string; queue: string };

/** 201 with the new record, or the refusal's status with its message. */
export function sendCreated<T>(reply: FastifyReply, outcome: CreateOutcome<T>) {
  if ("created" in outcome) return reply.code(201).send(outcome.created);
  return reply.code(REFUSAL_STATUS[outcome.refused]).send({ error: outcome.message });
}

export function workPoolRoutes(app: FastifyInstance, ctx: ServerContext): void {
  // A bare array (the other lists are wrapped): the editor's skein.yaml check reads pool names from this route
  // (language-server/work-pools.ts), and it takes an array of objects with a `name`.
  app.get("/api/work-pools", async () => ctx.store.listWorkPools());

  app.post<{ Body: WorkPoolInput }>("/api/work-pools", { schema: { body: workPoolBody } }, async (request, reply) =>
    sendCreated(reply, await ctx.store.createWorkPool(request.body)),
  );

  app.get<{ Params: PoolParams }>(
    "/api/work-pools/:pool",
    { schema: { params: poolParams } },
    async (request, reply) => {
      const pool = await ctx.store.getWorkPool(request.params.pool);
      return pool ?? reply.code(404).send({ error: `no work pool named '${request.params.pool}'` });
    },
  );

  /** Changes the fields given (pause, resume, concurrency limit: null removes it); the others stay. */
  app.put<{ Params: PoolParams; Body: WorkPoolPatch }>(
    "/api/work-pools/:pool",
    { schema: { params: poolParams, body: workPoolPatchBody } },
    async (request, reply) => {
      const pool = await ctx.store.updateWorkPool(request.params.pool, request.body);
      return pool ?? reply.code(404).send({ error: `no work pool named '${request.params.pool}'` });
    },
  );

  app.delete<{ Params: PoolParams }>(
    "/api/work-pools/:pool",
    { schema: { params: poolParams } },
    async (request, reply) => {
      const users = await ctx.store.listDeployments({ workPoolName: request.params.pool });
      if (users.length) {
        return reply.code(409).send({
          error: `work pool '${request.params.pool}' is used by ${describeDeployments(users)}; delete or move them first`,
        });
      }
      return { deleted: await ctx.store.deleteWorkPool(request.params.pool) };
    },
  );

  app.get<{ Params: PoolParams }>(
    "/api/work-pools/:pool/queues",
    { schema: { params: poolParams } },
    async (request, reply) => {
      if (!(await ctx.store.getWorkPool(request.params.pool)))
        return reply.code(404).send({ error: `no work pool named '${request.params.pool}'` });
      return { workQueues: await ctx.store.listWorkQueues(request.params.pool) };
    },
  );

  app.post<{ Params: PoolParams; Body: WorkQueueInput }>(
    "/api/work-pools/:pool/queues",
    { schema: { params: poolParams, body: workQueueBody } },
    async (request, reply) => sendCreated(reply, await ctx.store.createWorkQueue(request.params.pool, request.body)),
  );

  app.get<{ Params: QueueParams }>(
    "/api/work-pools/:pool/queues/:queue",
    { schema: { params: queueParams } },
    async (request, reply) => {
      const queue = await ctx.store.getWorkQueue(request.params.pool, request.params.queue);
      return queue ?? reply.code(404).send({ error: noQueue(request.params) });
    },
  );

  app.put<{ Params: QueueParams; Body: WorkQueuePatch }>(
    "/api/work-pools/:pool/queues/:queue",
    { schema: { params: queueParams, body: workQueuePatchBody } },
    async (request, reply) => {
      const queue = await ctx.store.updateWorkQueue(request.params.pool, request.params.queue, request.body);
      return queue ?? reply.code(404).send({ error: noQueue(request.params) });
    },
  );

  app.delete<{ Params: QueueParams }>(
    "/api/work-pools/:pool/queues/:queue",
    { schema: { params: queueParams } },
    async (request, reply) => {
      const { pool, queue } = request.params;
      if (queue === DEFAULT_WORK_QUEUE)
        return reply.code(409).send({ error: `the '${DEFAULT_WORK_QUEUE}' queue of a work pool cannot be deleted` });
      const users = (await ctx.store.listDeployments({ workPoolName: pool })).filter((d) => d.workQueueName === queue);
      if (users.length)
        return reply
          .code(409)
          .send({ error: `work queue '${queue}' of pool '${pool}' is used by ${describeDeployments(users)}` });
      return { deleted: await ctx.store.deleteWorkQueue(pool, queue) };
    },
  );
}

function noQueue({ pool, queue }: QueueParams): string {
  return `work pool '${pool}' has no work queue named '${queue}'`;
}

function describeDeployments(deployments: readonly { flowName: string; name: string }[]): string {
  const names = deployments.slice(0, 5).map((d) => `${d.flowName}/${d.name}`);
  return `deployment${deployments.length > 1 ? "s" : ""} ${names.join(", ")}${deployments.length > 5 ? ` and ${deployments.length - 5} more` : ""}`;
}
