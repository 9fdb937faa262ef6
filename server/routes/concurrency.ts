// Concurrency limits (tag limits are named `tag:<tag>`; global limits may decay slots for rate limiting) and
// the leases run processes take on them.
import type { FastifyInstance } from "fastify";
import type { LeaseRequest } from "../../store/types.ts";
import type { ServerContext } from "../context.ts";
import { concurrencyLimitBody, leaseIdsBody, leaseRequestBody, nameParams } from "../../protocol/api/schemas.ts";

export function concurrencyRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.get("/api/concurrency-limits", async () => ({ limits: await ctx.store.listConcurrencyLimits() }));

  app.put<{ Params: { name: string }; Body: { limit: number; slotDecayPerSecond?: number | null } }>(
    "/api/concurrency-limits/:name",
    { schema: { params: nameParams, body: concurrencyLimitBody } },
    async (request) => {
      const { limit, slotDecayPerSecond = null } = request.body;
      await ctx.store.upsertConcurrencyLimit(request.params.name, limit, slotDecayPerSecond);
      return { name: request.params.name, limit, slotDecayPerSecond };
    },
  );

  app.delete<{ Params: { name: string } }>(
    "/api/concurrency-limits/:name",
    { schema: { params: nameParams } },
    async (request) => {
      return { deleted: await ctx.store.deleteConcurrencyLimit(request.params.name) };
    },
  );

  app.post<{ Body: LeaseRequest & { holderFlowRunIds?: string[] } }>(
    "/api/leases",
    { schema: { body: leaseRequestBody } },
    async (request) => {
      const { holderFlowRunIds = [], ...lease } = request.body;
      const result = await ctx.store.tryAcquireLeases(lease);
      if (result.acquired) ctx.leases.record(result.leaseIds, holderFlowRunIds);
      return result;
    },
  );

  app.post<{ Body: { leaseIds: string[] } }>(
    "/api/leases/release",
    { schema: { body: leaseIdsBody } },
    async (request) => {
      await ctx.store.releaseLeases(request.body.leaseIds);
      ctx.leases.forget(request.body.leaseIds);
      return { ok: true };
    },
  );
}
