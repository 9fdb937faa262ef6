// Work pools and their queues (Prefect's): a pool has a type, may be paused or limited, and is created with a
// "default" queue. Pools and queues are addressed by name; creating a taken name is 409.
import type { FastifyInstance, FastifyReply } from "fastify";
import { REFUSAL_STATUS } from "../../protocol/api/common.ts";
import { workPoolsApi } from "../../protocol/api/work-pools.ts";
import { type CreateOutcome, DEFAULT_WORK_QUEUE } from "../../store/types.ts";
import type { ServerContext } from "../context.ts";
import { RouteError, route } from "./route.ts";

/** 201 with the new record, or the refusal's status with its message. */
export function created<T>(reply: FastifyReply, outcome: CreateOutcome<T>): T {
  if ("refused" in outcome) throw new RouteError(REFUSAL_STATUS[outcome.refused], outcome.message);
  reply.code(201);
  return outcome.created;
}

const noPool = (pool: string) => new RouteError(404, `no work pool named '${pool}'`);
const noQueue = ({ pool, queue }: { pool: string; queue: string }) =>
  new RouteError(404, `work pool '${pool}' has no work queue named '${queue}'`);

export function workPoolRoutes(app: FastifyInstance, ctx: ServerContext): void {
  route(app, workPoolsApi.list, () => ctx.store.listWorkPools());

  route(app, workPoolsApi.create, async (request, reply) =>
    created(reply, await ctx.store.createWorkPool(request.body)),
  );

  route(app, workPoolsApi.get, async (request) => {
    const pool = await ctx.store.getWorkPool(request.params.pool);
    if (!pool) throw noPool(request.params.pool);
    return pool;
  });

  route(app, workPoolsApi.update, async (request) => {
    const pool = await ctx.store.updateWorkPool(request.params.pool, request.body);
    if (!pool) throw noPool(request.params.pool);
    return pool;
  });

  route(app, workPoolsApi.delete, async (request) => {
    const users = await ctx.store.listDeployments({ workPoolName: request.params.pool });
    if (users.length) {
      throw new RouteError(
        409,
        `work pool '${request.params.pool}' is used by ${describeDeployments(users)}; delete or move them first`,
      );
    }
    return { deleted: await ctx.store.deleteWorkPool(request.params.pool) };
  });

  route(app, workPoolsApi.listQueues, async (request) => {
    if (!(await ctx.store.getWorkPool(request.params.pool))) throw noPool(request.params.pool);
    return { workQueues: await ctx.store.listWorkQueues(request.params.pool) };
  });

  route(app, workPoolsApi.createQueue, async (request, reply) =>
    created(reply, await ctx.store.createWorkQueue(request.params.pool, request.body)),
  );

  route(app, workPoolsApi.getQueue, async (request) => {
    const queue = await ctx.store.getWorkQueue(request.params.pool, request.params.queue);
    if (!queue) throw noQueue(request.params);
    return queue;
  });

  route(app, workPoolsApi.updateQueue, async (request) => {
    const queue = await ctx.store.updateWorkQueue(request.params.pool, request.params.queue, request.body);
    if (!queue) throw noQueue(request.params);
    return queue;
  });

  route(app, workPoolsApi.deleteQueue, async (request) => {
    const { pool, queue } = request.params;
    if (queue === DEFAULT_WORK_QUEUE)
      throw new RouteError(409, `the '${DEFAULT_WORK_QUEUE}' queue of a work pool cannot be deleted`);
    const users = (await ctx.store.listDeployments({ workPoolName: pool })).filter((d) => d.workQueueName === queue);
    if (users.length)
      throw new RouteError(409, `work queue '${queue}' of pool '${pool}' is used by ${describeDeployments(users)}`);
    return { deleted: await ctx.store.deleteWorkQueue(pool, queue) };
  });
}

function describeDeployments(deployments: readonly { flowName: string; name: string }[]): string {
  const names = deployments.slice(0, 5).map((d) => `${d.flowName}/${d.name}`);
  return `deployment${deployments.length > 1 ? "s" : ""} ${names.join(", ")}${deployments.length > 5 ? ` and ${deployments.length - 5} more` : ""}`;
}
