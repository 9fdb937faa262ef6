// Secrets: the server only ever holds ciphertext (the engine encrypts before sending). Listing gives names;
// the ciphertext goes out only on its own route, which run processes call when a flow reads the secret.
import type { FastifyInstance } from "fastify";
import { secretsApi } from "../../protocol/api/secrets.ts";
import type { ServerContext } from "../context.ts";
import { RouteError, route } from "./route.ts";

export function secretRoutes(app: FastifyInstance, ctx: ServerContext): void {
  route(app, secretsApi.list, async () => ({
    secrets: (await ctx.store.listSecretNames()).map((name) => ({ name })),
  }));

  route(app, secretsApi.ciphertext, async (request) => {
    const ciphertext = await ctx.store.getSecret(request.params.name);
    if (ciphertext === undefined) throw new RouteError(404, `no secret named ${request.params.name}`);
    return { name: request.params.name, ciphertext };
  });

  route(app, secretsApi.set, async (request) => {
    await ctx.store.setSecret(request.params.name, request.body.ciphertext);
    return { name: request.params.name };
  });

  route(app, secretsApi.unset, async (request) => ({ deleted: await ctx.store.unsetSecret(request.params.name) }));
}
