// Deployments: a flow's entrypoint with parameters, schedules, a work pool and queue, tags and a concurrency
// limit. Unique per flow by name (409); a work pool or queue that does not exist is refused naming it (404 /
// 422); schedules and parameters that could never run are refused before they are stored (422).
import type { FastifyInstance } from "fastify";
import { deploymentsApi } from "../../protocol/api/deployments.ts";
import type { DeploymentRecord, DeploymentSchedule } from "../../store/types.ts";
import { announce, announceDeleted, type ServerContext } from "../context.ts";
import { parameterProblem, scheduleProblem } from "../services/deployment-checks.ts";
import { createDeploymentRun, DeploymentRunRefused } from "../services/deployment-runs.ts";
import { RouteError, route } from "./route.ts";
import { created } from "./work-pools.ts";

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

const noDeployment = (id: string) => new RouteError(404, `no deployment with id ${id}`);

export function deploymentRoutes(app: FastifyInstance, ctx: ServerContext): void {
  route(app, deploymentsApi.list, async (request) => ({
    deployments: await ctx.store.listDeployments({
      flowName: request.query.flowName,
      workPoolName: request.query.workPool,
    }),
  }));

  route(app, deploymentsApi.create, async (request, reply) => {
    const problem = problemOf(request.body);
    if (problem) throw new RouteError(422, problem);
    return created(reply, await ctx.store.createDeployment(request.body));
  });

  route(app, deploymentsApi.get, async (request) => {
    const deployment = await ctx.store.getDeployment(request.params.id);
    if (!deployment) throw noDeployment(request.params.id);
    return deployment;
  });

  route(app, deploymentsApi.byName, async (request) => {
    const { flowName, name } = request.params;
    const deployment = await ctx.store.getDeploymentByName(flowName, name);
    if (!deployment) throw new RouteError(404, `flow '${flowName}' has no deployment named '${name}'`);
    return deployment;
  });

  /** The result is checked whole, so a new schema checks old parameters. */
  route(app, deploymentsApi.update, async (request) => {
    const current = await ctx.store.getDeployment(request.params.id);
    if (!current) throw noDeployment(request.params.id);
    const problem = problemOf({ ...current, ...request.body });
    if (problem) throw new RouteError(422, problem);
    // The store deletes, in the same transaction, the scheduled runs the change leaves behind (pause, new schedules).
    const updated = await ctx.store.updateDeployment(request.params.id, request.body);
    if (!updated) throw noDeployment(request.params.id);
    announceDeleted(ctx, updated.deletedRunIds);
    return updated;
  });

  route(app, deploymentsApi.setScheduleActive, async (request) => {
    const { id, schedule } = request.params;
    const changed = await ctx.store.setScheduleActive(id, schedule, request.body.active);
    if (!changed) throw noDeployment(id);
    if ("problem" in changed) throw new RouteError(422, changed.problem);
    announceDeleted(ctx, changed.deletedRunIds);
    return changed;
  });

  route(app, deploymentsApi.createRun, async (request, reply) => {
    const deployment = await ctx.store.getDeployment(request.params.id);
    if (!deployment) throw noDeployment(request.params.id);
    if (deployment.paused) {
      const name = `${deployment.flowName}/${deployment.name}`;
      throw new RouteError(409, `deployment '${name}' is paused; resume it first: skein deployment resume ${name}`);
    }
    try {
      const { run, created } = await createDeploymentRun(
        ctx.store,
        deployment,
        {
          parameters: request.body.parameters,
          scheduledTime: request.body.scheduledTime,
          idempotencyKey: request.body.idempotencyKey,
          tags: request.body.tags,
          origin: "Run requested through the API",
        },
        (events) => announce(ctx, events),
      );
      reply.code(created ? 201 : 200);
      return run;
    } catch (error) {
      if (error instanceof DeploymentRunRefused) throw new RouteError(error.statusCode, error.message);
      throw error;
    }
  });

  route(app, deploymentsApi.delete, async (request) => {
    const removed = await ctx.store.deleteDeployment(request.params.id);
    announceDeleted(ctx, removed.deletedRunIds);
    return removed;
  });
}
