// Artifacts of a flow run, one artifact, and the latest artifact of a key or its history (keys name an artifact
// across runs).
import type { FastifyInstance } from "fastify";
import { artifactsApi } from "../../protocol/api/artifacts.ts";
import type { ServerContext } from "../context.ts";
import { RouteError, route } from "./route.ts";

export function artifactRoutes(app: FastifyInstance, ctx: ServerContext): void {
  route(app, artifactsApi.list, async (request) => ({
    artifacts: await ctx.store.listArtifacts(request.params.id),
  }));

  route(app, artifactsApi.get, async (request) => {
    const artifact = await ctx.store.getArtifact(request.params.id);
    if (!artifact) throw new RouteError(404, `no artifact with id ${request.params.id}`);
    return artifact;
  });

  route(app, artifactsApi.byKey, async (request) => {
    const artifact = await ctx.store.getArtifactByKey(request.params.key);
    if (!artifact) throw new RouteError(404, `no artifact with key ${request.params.key}`);
    return artifact;
  });

  route(app, artifactsApi.history, async (request) => ({
    artifacts: await ctx.store.listArtifactsByKey(request.query.key, request.query.limit),
  }));
}
