// Concurrency limits (tag limits are named `tag:<tag>`; global limits may decay slots for rate limiting) and
// the leases run processes take on them.
import type { FastifyInstance } from "fastify";
import { concurrencyApi } from "../../protocol/api/concurrency.ts";
import type { ServerContext } from "../context.ts";
import { route } from "./route.ts";

export function concurrencyRoutes(app: FastifyInstance, ctx: ServerContext): void {
  route(app, concurrencyApi.list, async () => ({ limits: await ctx.store.listConcurrencyLimits() }));

  route(app, concurrencyApi.upsert, async (request) => {
    const { limit, slotDecayPerSecond = null } = request.body;
    await ctx.store.upsertConcurrencyLimit(request.params.name, limit, slotDecayPerSecond);
    return { name: request.params.name, limit, slotDecayPerSecond };
  });

  route(app, concurrencyApi.delete, async (request) => ({
    deleted: await ctx.store.deleteConcurrencyLimit(request.params.name),
  }));

  route(app, concurrencyApi.acquire, async (request) => {
    const { holderFlowRunIds = [], ...lease } = request.body;
    const result = await ctx.store.tryAcquireLeases(lease);
    if (result.acquired) ctx.leases.record(result.leaseIds, holderFlowRunIds);
    return result;
  });

  route(app, concurrencyApi.release, async (request) => {
    await ctx.store.releaseLeases(request.body.leaseIds);
    ctx.leases.forget(request.body.leaseIds);
    return { ok: true };
  });
}
