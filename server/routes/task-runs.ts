// Task runs of a flow run (the store indexes them by flow run), and one task run with its state history.
import type { FastifyInstance } from "fastify";
import type { ServerContext } from "../context.ts";
import { idParams } from "../../protocol/api/schemas.ts";

export function taskRunRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.get<{ Params: { id: string } }>(
    "/api/flow-runs/:id/task-runs",
    { schema: { params: idParams } },
    async (request) => {
      return { taskRuns: await ctx.store.listTaskRuns(request.params.id) };
    },
  );

  app.get<{ Params: { id: string; taskRunId: string } }>(
    "/api/flow-runs/:id/task-runs/:taskRunId",
    {
      schema: {
        params: {
          type: "object",
          required: ["id", "taskRunId"],
          properties: { id: { type: "string", minLength: 1 }, taskRunId: { type: "string", minLength: 1 } },
        },
      },
    },
    async (request, reply) => {
      const { id, taskRunId } = request.params;
      const taskRun = (await ctx.store.listTaskRuns(id)).find((run) => run.id === taskRunId);
      if (!taskRun) return reply.code(404).send({ error: `no task run ${taskRunId} in flow run ${id}` });
      return { ...taskRun, states: await ctx.store.listStates(taskRunId) };
    },
  );
}
