// The task result cache, for run processes that report through the server.
import type { FastifyInstance } from "fastify";
import type { CacheEntry } from "../../store/types.ts";
import type { ServerContext } from "../context.ts";
import { cacheEntryBody } from "../../protocol/api/schemas.ts";

const keyParams = {
  type: "object",
  required: ["key"],
  properties: { key: { type: "string", minLength: 1, maxLength: 2000 } },
};

export function cacheRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.get<{ Params: { key: string } }>("/api/cache/:key", { schema: { params: keyParams } }, async (request, reply) => {
    const entry = await ctx.store.readCache(request.params.key);
    if (!entry) return reply.code(404).send({ error: `no cache entry for key ${request.params.key}` });
    return entry;
  });

  app.put<{ Params: { key: string }; Body: Omit<CacheEntry, "key"> }>(
    "/api/cache/:key",
    { schema: { params: keyParams, body: cacheEntryBody } },
    async (request) => {
      await ctx.store.writeCache({ key: request.params.key, ...request.body });
      return { ok: true };
    },
  );
}
