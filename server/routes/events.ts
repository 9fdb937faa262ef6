// Run events in (a run process reporting through the server) and out (the live stream, server-sent events, written
// at each client's pace by streaming/stream-client.ts). Ingest is idempotent by event id, so a client may resend a
// batch whose answer it never got.
import type { FastifyInstance } from "fastify";
import { eventsApi } from "../../protocol/api/events.ts";
import { announce, type ServerContext } from "../context.ts";
import { reportingProcess } from "../services/heartbeats.ts";
import { streamToClient } from "../streaming/stream-client.ts";
import { route } from "./route.ts";

export function eventRoutes(app: FastifyInstance, ctx: ServerContext): void {
  route(app, eventsApi.ingest, async (request) => {
    const { events } = request.body;
    // A run created through the API is judged by its heartbeats from now on (its pid may be another machine's).
    const created = events.filter((e) => e.kind === "flow-run-created").map((e) => e.flowRunId);
    ctx.heartbeats.record(created, reportingProcess(request.headers["x-skein-process"]));
    await ctx.store.appendEvents(events);
    announce(ctx, events);
    return { stored: events.length };
  });

  route(app, eventsApi.stream, (request, reply) => {
    const header = request.headers["last-event-id"];
    const lastEventId = (typeof header === "string" ? header : undefined) ?? request.query.lastEventId;
    reply.hijack();
    const out = reply.raw;
    out.writeHead(200, {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache, no-transform",
      connection: "keep-alive",
      "x-accel-buffering": "no",
    });
    const stop = streamToClient(ctx.hub, out, {
      filter: { flowRunId: request.query.flowRunId, wakeUpsOnly: request.query.only === "worker-wake-ups" },
      lastEventId,
      limits: ctx.streamLimits,
    });
    request.raw.on("close", stop);
    out.on("error", stop);
  });
}
