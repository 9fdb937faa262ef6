// Variables: named JSON values shared by every run and the CLI.
import type { FastifyInstance } from "fastify";
import type { ServerContext } from "../context.ts";
import { nameParams, variableBody } from "../../protocol/api/schemas.ts";

export function variableRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.get("/api/variables", async () => ({ variables: await ctx.store.listVariables() }));

  app.get<{ Params: { name: string } }>(
    "/api/variables/:name",
    { schema: { params: nameParams } },
    async (request, reply) => {
      const value = await ctx.store.getVariable(request.params.name);
      if (value === undefined) return reply.code(404).send({ error: `no variable named ${request.params.name}` });
      return { name: request.params.name, value };
    },
  );

  app.put<{ Params: { name: string }; Body: { value: unknown } }>(
    "/api/variables/:name",
    { schema: { params: nameParams, body: variableBody } },
    async (request) => {
      await ctx.store.setVariable(request.params.name, request.body.value);
      return { name: request.params.name, value: request.body.value };
    },
  );

  app.delete<{ Params: { name: string } }>(
    "/api/variables/:name",
    { schema: { params: nameParams } },
    async (request) => {
      return { deleted: await ctx.store.unsetVariable(request.params.name) };
    },
  );
}
