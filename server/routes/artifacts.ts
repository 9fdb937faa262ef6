// Artifacts of a flow run, and the latest artifact of a key (keys name an artifact across runs).
import type { FastifyInstance } from "fastify";
import type { ServerContext } from "../context.ts";
import { idParams } from "../../protocol/api/schemas.ts";

export function artifactRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.get<{ Params: { id: string } }>(
    "/api/flow-runs/:id/artifacts",
    { schema: { params: idParams } },
    async (request) => {
      return { artifacts: await ctx.store.listArtifacts(request.params.id) };
    },
  );

  app.get<{ Params: { key: string } }>(
    "/api/artifacts/by-key/:key",
    {
      schema: { params: { type: "object", required: ["key"], properties: { key: { type: "string", minLength: 1 } } } },
    },
    async (request, reply) => {
      const artifact = await ctx.store.getArtifactByKey(request.params.key);
      if (!artifact) return reply.code(404).send({ error: `no artifact with key ${request.params.key}` });
      return artifact;
    },
  );
}
