// Task runs of a flow run (the store indexes them by flow run), one task run with its state history and recorded
// inputs, and a task run's recorded inputs alone.
import type { FastifyInstance } from "fastify";
import { taskRunsApi } from "../../protocol/api/task-runs.ts";
import type { ServerContext } from "../context.ts";
import { RouteError, route } from "./route.ts";

export function taskRunRoutes(app: FastifyInstance, ctx: ServerContext): void {
  route(app, taskRunsApi.list, async (request) => ({ taskRuns: await ctx.store.listTaskRuns(request.params.id) }));

  route(app, taskRunsApi.get, async (request) => {
    const { id, taskRunId } = request.params;
    const taskRun = (await ctx.store.listTaskRuns(id)).find((run) => run.id === taskRunId);
    if (!taskRun) throw new RouteError(404, `no task run ${taskRunId} in flow run ${id}`);
    const [states, recorded] = await Promise.all([
      ctx.store.listStates(taskRunId),
      ctx.store.getTaskRunInputs(taskRunId),
    ]);
    return {
      ...taskRun,
      states,
      inputs: recorded?.inputs ?? null,
      inputsNotStoredReason: recorded?.notStoredReason ?? null,
    };
  });

  route(app, taskRunsApi.getById, async (request) => {
    const taskRun = await ctx.store.getTaskRun(request.params.id);
    if (!taskRun) throw new RouteError(404, `no task run ${request.params.id}`);
    return taskRun;
  });

  route(app, taskRunsApi.inputs, async (request) => {
    const recorded = await ctx.store.getTaskRunInputs(request.params.id);
    if (!recorded) throw new RouteError(404, `no task run ${request.params.id}`);
    return recorded;
  });
}
