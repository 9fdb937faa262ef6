// Logs of a flow run: minimum level, one task run, pages (offset/limit) or the last N lines (tail).
import { Type } from "typebox";
import { LOG_LEVELS } from "../run-events.ts";
import { Id, IdParams, nullable, PagingQuery, withDefault } from "./common.ts";
import { defineRoute } from "./contract.ts";

/** The store reads a run's logs whole, so large pages cost no more than small ones. */
export const MAX_LOG_PAGE = 100_000;

export const LogRecord = Type.Object({
  id: Type.String(),
  flowRunId: Type.String(),
  taskRunId: nullable(Type.String()),
  level: Type.Enum(LOG_LEVELS),
  logger: Type.String(),
  message: Type.String(),
  timestamp: Type.String(),
});

export const logsApi = {
  list: defineRoute({
    method: "GET",
    path: "/api/flow-runs/:id/logs",
    params: IdParams,
    querystring: Type.Object(
      {
        ...PagingQuery,
        limit: withDefault(Type.Integer({ minimum: 1, maximum: MAX_LOG_PAGE }), 1000),
        /** Minimum level: `warning` returns warning, error and critical. */
        level: Type.Optional(Type.Enum(LOG_LEVELS)),
        taskRunId: Type.Optional(Id),
        /** The last N lines (after the level filter) instead of a page. */
        tail: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000 })),
      },
      { additionalProperties: false },
    ),
    /** `offset` is where the page starts (with `tail`, the first line returned); `total` counts every match. */
    response: Type.Object({ logs: Type.Array(LogRecord), total: Type.Integer(), offset: Type.Integer() }),
  }),
};
