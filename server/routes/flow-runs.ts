// Flows and flow runs: lists with filters and paging, one run with its state history, cancellation, and the
// liveness calls run processes make (heartbeat, cancellation polling).
import type { FastifyInstance } from "fastify";
import type { StateType } from "../../protocol/states.ts";
import type { ServerContext } from "../context.ts";
import { requestFlowRunCancellation } from "../orchestration/cancel-flow-run.ts";
import { reportingProcess } from "../services/heartbeats.ts";
import { flowRunIdsBody, flowRunListQuery, idParams, pagingQuery } from "../../protocol/api/schemas.ts";

/** The flows list is derived from runs: the store keeps runs, and a flow is known by having run. */
const FLOWS_SCAN_LIMIT = 10_000;

interface ListQuery {
  limit: number;
  offset: number;
  flowName?: string;
  state?: string;
}

export function flowRunRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.get<{ Querystring: { limit: number; offset: number } }>(
    "/api/flows",
    { schema: { querystring: { type: "object", additionalProperties: false, properties: pagingQuery } } },
    async (request) => {
      const runs = await ctx.store.listFlowRuns({ limit: FLOWS_SCAN_LIMIT });
      const flows = new Map<string, { name: string; runCount: number; lastRunAt: string }>();
      for (const run of runs) {
        const flow = flows.get(run.flowName) ?? { name: run.flowName, runCount: 0, lastRunAt: run.createdAt };
        flow.runCount++;
        flows.set(run.flowName, flow);
      }
      const { offset, limit } = request.query;
      return { flows: [...flows.values()].slice(offset, offset + limit) };
    },
  );

  app.get<{ Querystring: ListQuery }>(
    "/api/flow-runs",
    { schema: { querystring: flowRunListQuery } },
    async (request) => {
      const { limit, offset, flowName, state } = request.query;
      const stateTypes = state?.split(",") as StateType[] | undefined;
      // The store pages from the newest run; an offset reads past the runs it skips.
      const runs = await ctx.store.listFlowRuns({ flowName, stateTypes, limit: offset + limit });
      return { flowRuns: runs.slice(offset), offset, limit };
    },
  );

  app.get<{ Params: { id: string } }>(
    "/api/flow-runs/:id",
    { schema: { params: idParams } },
    async (request, reply) => {
      const run = await ctx.store.getFlowRun(request.params.id);
      if (!run) return reply.code(404).send({ error: `no flow run with id ${request.params.id}` });
      return run;
    },
  );

  app.get<{ Params: { id: string } }>("/api/runs/:id/states", { schema: { params: idParams } }, async (request) => {
    return { states: await ctx.store.listStates(request.params.id) };
  });

  app.get<{ Params: { id: string } }>("/api/flow-runs/:id/alive", { schema: { params: idParams } }, async (request) => {
    return { alive: await ctx.store.isFlowRunAlive(request.params.id) };
  });

  app.post<{ Params: { id: string } }>(
    "/api/flow-runs/:id/cancel",
    { schema: { params: idParams } },
    async (request, reply) => {
      const run = await ctx.store.getFlowRun(request.params.id);
      if (!run) return reply.code(404).send({ error: `no flow run with id ${request.params.id}` });
      return requestFlowRunCancellation(ctx.store, run);
    },
  );

  app.post<{ Body: { flowRunIds: string[] } }>(
    "/api/flow-runs/heartbeat",
    { schema: { body: flowRunIdsBody } },
    async (request) => {
      ctx.heartbeats.record(request.body.flowRunIds, reportingProcess(request.headers["x-skein-process"]));
      // The reporting process may be on another machine: the run keeps the pid it reported, not this server's.
      await ctx.store.heartbeat(request.body.flowRunIds, { claimPid: false });
      return { ok: true };
    },
  );

  app.post<{ Body: { flowRunIds: string[] } }>(
    "/api/flow-runs/cancellation-requests",
    { schema: { body: flowRunIdsBody } },
    async (request) => ({ flowRunIds: await ctx.store.cancellationRequests(request.body.flowRunIds) }),
  );
}
