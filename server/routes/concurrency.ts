// Concurrency limits (tag limits are named `tag:<tag>`; global limits may decay slots for rate limiting) and
// the leases run processes take on them.
import type { FastifyInstance } from "fastify";
import { concurrencyApi } from "../../protocol/api/concurrency.ts";
import type { ServerContext } from "../context.ts";
import { reportingProcess } from "../services/heartbeats.ts";
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

  // A lease is tied to its holder's process (pid and machine, from X-Skein-Process) in the store, which frees the
  // slots of a holder whose process is gone (store/liveness.ts), whichever server took them.
  route(app, concurrencyApi.acquire, async (request) => {
    const { holderFlowRunIds: _, ...lease } = request.body;
    const holderHost = reportingProcess(request.headers["x-skein-process"])?.host;
    return ctx.store.tryAcquireLeases(holderHost ? { ...lease, holderHost } : lease);
  });

  route(app, concurrencyApi.release, async (request) => {
    await ctx.store.releaseLeases(request.body.leaseIds);
    return { ok: true };
  });
}
