// Logs of a flow run: minimum level, one task run, pages (offset/limit) or the last N lines (tail).
import type { FastifyInstance } from "fastify";
import { logsApi } from "../../protocol/api/logs.ts";
import { LOG_LEVELS } from "../../protocol/run-events.ts";
import type { ServerContext } from "../context.ts";
import { route } from "./route.ts";

export function logRoutes(app: FastifyInstance, ctx: ServerContext): void {
  route(app, logsApi.list, async (request) => {
    const { level, taskRunId, tail, offset, limit } = request.query;
    const minimum = level ? LOG_LEVELS.indexOf(level) : 0;
    const logs = (await ctx.store.listLogs(request.params.id)).filter(
      (log) => LOG_LEVELS.indexOf(log.level) >= minimum && (!taskRunId || log.taskRunId === taskRunId),
    );
    const start = tail ? Math.max(0, logs.length - tail) : offset;
    const end = tail ? logs.length : offset + limit;
    return { logs: logs.slice(start, end), total: logs.length, offset: start };
  });
}
