// Deployments: a flow's entrypoint with parameters, schedules, a work pool and queue, tags and a concurrency
// limit. Unique per flow by name (409); a work pool or queue that does not exist is refused naming it (404 /
// 422); schedules and parameters that could never run are refused before they are stored (422).
import type { FastifyInstance } from "fastify";
import type { DeploymentInput, DeploymentPatch, DeploymentRecord, DeploymentSchedule } from "../../store/types.ts";
import type { ServerContext } from "../context.ts";
import { parameterProblem, scheduleProblem } from "../services/deployment-checks.ts";
import { idParams } from "../../protocol/api/schemas.ts";
import {
  deploymentBody,
  deploymentListQuery,
  deploymentNameParams,
  deploymentPatchBody,
} from "../../protocol/api/work-pool-schemas.ts";
import { sendCreated } from "./work-pools.ts";

/** The deployment as it would be after the body is applied; undefined fields are those the body leaves alone. */
function problemOf(deployment: Partial<DeploymentRecord>): string | undefined {
  const schedules: DeploymentSchedule[] = deployment.schedules ?? [];
  return (
    scheduleProblem(schedules) ??
    parameterProblem(deployment.parameterSchema, deployment.enforceParameterSchema ?? true, [
      { where: "parameters", parameters: deployment.parameters ?? {} },
      ...schedules.map((schedule, index) => ({
        where: `schedules[${index}].parameters`,
        parameters: schedule.parameters ?? {},
      })),
    ])
  );
}

export function deploymentRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.get<{ Querystring: { flowName?: string; workPool?: string } }>(
    "/api/deployments",
    { schema: { querystring: deploymentListQuery } },
    async (request) => ({
      deployments: await ctx.store.listDeployments({
        flowName: request.query.flowName,
        workPoolName: request.query.workPool,
      }),
    }),
  );

  app.post<{ Body: DeploymentInput }>(
    "/api/deployments",
    { schema: { body: deploymentBody } },
    async (request, reply) => {
      const problem = problemOf(request.body);
      if (problem) return reply.code(422).send({ error: problem });
      return sendCreated(reply, await ctx.store.createDeployment(request.body));
    },
  );

  app.get<{ Params: { id: string } }>(
    "/api/deployments/:id",
    { schema: { params: idParams } },
    async (request, reply) => {
      const deployment = await ctx.store.getDeployment(request.params.id);
      return deployment ?? reply.code(404).send({ error: `no deployment with id ${request.params.id}` });
    },
  );

  app.get<{ Params: { flowName: string; name: string } }>(
    "/api/deployments/by-name/:flowName/:name",
    { schema: { params: deploymentNameParams } },
    async (request, reply) => {
      const { flowName, name } = request.params;
      const deployment = await ctx.store.getDeploymentByName(flowName, name);
      return deployment ?? reply.code(404).send({ error: `flow '${flowName}' has no deployment named '${name}'` });
    },
  );

  /** Changes the fields given (e.g. `{paused: true}`); the result is checked whole, so a new schema checks old parameters. */
  app.put<{ Params: { id: string }; Body: DeploymentPatch }>(
    "/api/deployments/:id",
    { schema: { params: idParams, body: deploymentPatchBody } },
    async (request, reply) => {
      const current = await ctx.store.getDeployment(request.params.id);
      if (!current) return reply.code(404).send({ error: `no deployment with id ${request.params.id}` });
      const problem = problemOf({ ...current, ...request.body });
      if (problem) return reply.code(422).send({ error: problem });
      const updated = await ctx.store.updateDeployment(request.params.id, request.body);
      return updated ?? reply.code(404).send({ error: `no deployment with id ${request.params.id}` });
    },
  );

  app.delete<{ Params: { id: string } }>("/api/deployments/:id", { schema: { params: idParams } }, async (request) => ({
    deleted: await ctx.store.deleteDeployment(request.params.id),
  }));
}
