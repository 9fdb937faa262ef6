// Flows and flow runs: lists with filters and paging, one run with its state history, cancellation, deletion, and the
// liveness calls run processes make (heartbeat, cancellation polling).
import type { FastifyInstance } from "fastify";
import { flowRunsApi } from "../../protocol/api/flow-runs.ts";
import type { StateType } from "../../protocol/states.ts";
import { announce, announceDeleted, type ServerContext } from "../context.ts";
import { requestFlowRunCancellation } from "../orchestration/cancel-flow-run.ts";
import { reportingProcess } from "../services/heartbeats.ts";
import { RouteError, route } from "./route.ts";

export function flowRunRoutes(app: FastifyInstance, ctx: ServerContext): void {
  route(app, flowRunsApi.flows, async (request) => {
    const { offset, limit } = request.query;
    return { flows: (await ctx.store.listFlows()).slice(offset, offset + limit) };
  });

  route(app, flowRunsApi.list, async (request) => {
    const { limit, offset, flowName, state, createdBefore, deploymentId, workPool, parentFlowRunId } = request.query;
    const stateTypes = state?.split(",") as StateType[] | undefined;
    // The store pages from the newest run; an offset reads past the runs it skips.
    const runs = await ctx.store.listFlowRuns({
      flowName,
      stateTypes,
      createdBefore,
      deploymentId,
      workPoolName: workPool,
      parentFlowRunId,
      limit: offset + limit,
    });
    return { flowRuns: runs.slice(offset), offset, limit };
  });

  route(app, flowRunsApi.get, async (request) => {
    const run = await ctx.store.getFlowRun(request.params.id);
    if (!run) throw new RouteError(404, `no flow run with id ${request.params.id}`);
    return run;
  });

  route(app, flowRunsApi.delete, async (request) => {
    const deleted = await ctx.store.deleteFlowRun(request.params.id);
    if (deleted) announceDeleted(ctx, [request.params.id]);
    return { deleted };
  });

  route(app, flowRunsApi.states, async (request) => ({ states: await ctx.store.listStates(request.params.id) }));

  route(app, flowRunsApi.alive, async (request) => ({ alive: await ctx.store.isFlowRunAlive(request.params.id) }));

  route(app, flowRunsApi.cancel, async (request) => {
    const run = await ctx.store.getFlowRun(request.params.id);
    if (!run) throw new RouteError(404, `no flow run with id ${request.params.id}`);
    return requestFlowRunCancellation(ctx.store, run, (events) => announce(ctx, events));
  });

  route(app, flowRunsApi.heartbeat, async (request) => {
    ctx.heartbeats.record(request.body.flowRunIds, reportingProcess(request.headers["x-skein-process"]));
    // The reporting process may be on another machine: the run keeps the pid it reported, not this server's.
    await ctx.store.heartbeat(request.body.flowRunIds, { claimPid: false });
    return { ok: true };
  });

  route(app, flowRunsApi.cancellationRequests, async (request) => ({
    flowRunIds: await ctx.store.cancellationRequests(request.body.flowRunIds),
  }));
}
