// The task result cache, for run processes that report through the server.
import type { FastifyInstance } from "fastify";
import { cacheApi } from "../../protocol/api/cache.ts";
import type { ServerContext } from "../context.ts";
import { RouteError, route } from "./route.ts";

export function cacheRoutes(app: FastifyInstance, ctx: ServerContext): void {
  route(app, cacheApi.read, async (request) => {
    const entry = await ctx.store.readCache(request.params.key);
    if (!entry) throw new RouteError(404, `no cache entry for key ${request.params.key}`);
    return entry;
  });

  route(app, cacheApi.write, async (request) => {
    await ctx.store.writeCache({ key: request.params.key, ...request.body });
    return { ok: true };
  });
}
