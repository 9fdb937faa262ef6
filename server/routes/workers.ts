// Workers and waiting runs: a worker's claim (its poll, and the due runs of its pool it takes, announced on the
// live stream), the workers of a pool with their last polls, and why a run, or every waiting run of a pool, waits.
import type { FastifyInstance } from "fastify";
import { workersApi } from "../../protocol/api/workers.ts";
import { announce, type ServerContext } from "../context.ts";
import { explainWaiting } from "../services/waiting-reasons.ts";
import { RouteError, route } from "./route.ts";

const MAX_WAITING_RUNS = 1000;

export function workerRoutes(app: FastifyInstance, ctx: ServerContext): void {
  route(app, workersApi.claim, async (request) => {
    const { claimed, events } = await ctx.store.claimFlowRuns({
      workPoolName: request.params.pool,
      workerName: request.params.worker,
      ...request.body,
    });
    if (events.length) announce(ctx, events);
    return { flowRuns: claimed };
  });

  route(app, workersApi.list, async (request) => ({ workers: await ctx.store.listWorkers(request.query.pool) }));

  route(app, workersApi.waiting, async (request) => {
    const run = await ctx.store.getFlowRun(request.params.id);
    if (!run) throw new RouteError(404, `no flow run with id ${request.params.id}`);
    return explainWaiting(ctx.store, run);
  });

  route(app, workersApi.waitingRuns, async (request) => {
    const runs = await ctx.store.listFlowRuns({
      workPoolName: request.query.pool,
      stateTypes: ["SCHEDULED", "PENDING"],
      limit: MAX_WAITING_RUNS,
    });
    const now = Date.now();
    const reasons = [];
    for (const run of runs) if (run.workPoolName) reasons.push(await explainWaiting(ctx.store, run, now));
    return { reasons };
  });
}
