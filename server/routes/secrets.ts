// Secrets: the server only ever holds ciphertext (the engine encrypts before sending). Listing gives names;
// the ciphertext goes out only on its own route, which run processes call when a flow reads the secret.
import type { FastifyInstance } from "fastify";
import type { ServerContext } from "../context.ts";
import { nameParams, secretBody } from "../../protocol/api/schemas.ts";

export function secretRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.get("/api/secrets", async () => ({ secrets: (await ctx.store.listSecretNames()).map((name) => ({ name })) }));

  app.get<{ Params: { name: string } }>(
    "/api/secrets/:name/ciphertext",
    { schema: { params: nameParams } },
    async (request, reply) => {
      const ciphertext = await ctx.store.getSecret(request.params.name);
      if (ciphertext === undefined) return reply.code(404).send({ error: `no secret named ${request.params.name}` });
      return { name: request.params.name, ciphertext };
    },
  );

  app.put<{ Params: { name: string }; Body: { ciphertext: string } }>(
    "/api/secrets/:name",
    { schema: { params: nameParams, body: secretBody } },
    async (request) => {
      await ctx.store.setSecret(request.params.name, request.body.ciphertext);
      return { name: request.params.name };
    },
  );

  app.delete<{ Params: { name: string } }>(
    "/api/secrets/:name",
    { schema: { params: nameParams } },
    async (request) => {
      return { deleted: await ctx.store.unsetSecret(request.params.name) };
    },
  );
}
