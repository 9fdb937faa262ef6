// Variables: named JSON values shared by every run and the CLI.
import type { FastifyInstance } from "fastify";
import { variablesApi } from "../../protocol/api/variables.ts";
import type { ServerContext } from "../context.ts";
import { RouteError, route } from "./route.ts";

export function variableRoutes(app: FastifyInstance, ctx: ServerContext): void {
  route(app, variablesApi.list, async () => ({ variables: await ctx.store.listVariables() }));

  route(app, variablesApi.get, async (request) => {
    const value = await ctx.store.getVariable(request.params.name);
    if (value === undefined) throw new RouteError(404, `no variable named ${request.params.name}`);
    return { name: request.params.name, value };
  });

  route(app, variablesApi.set, async (request) => {
    await ctx.store.setVariable(request.params.name, request.body.value);
    return { name: request.params.name, value: request.body.value };
  });

  route(app, variablesApi.unset, async (request) => ({ deleted: await ctx.store.unsetVariable(request.params.name) }));
}
