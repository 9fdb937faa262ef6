// Run events in (a run process reporting through the server) and out (the live stream, server-sent events).
// Ingest is idempotent by event id, so a client may resend a batch whose answer it never got.
import type { FastifyInstance } from "fastify";
import { eventsApi } from "../../protocol/api/events.ts";
import { announce, type ServerContext } from "../context.ts";
import type { SequencedEvent } from "../streaming/event-hub.ts";
import { reportingProcess } from "../services/heartbeats.ts";
import { route } from "./route.ts";

const KEEPALIVE_MS = 15_000;

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
    const filter = { flowRunId: request.query.flowRunId };
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
    const send = (events: readonly SequencedEvent[]) => {
      let chunk = "";
      for (const { seq, event } of events)
        chunk += `id: ${ctx.hub.eventId(seq)}\nevent: run-event\ndata: ${JSON.stringify(event)}\n\n`;
      out.write(chunk);
    };
    // Subscribe before replaying, and replay synchronously, so no event falls between the two.
    const unsubscribe = ctx.hub.subscribe(filter, send);
    out.write(`retry: 1000\nevent: hello\ndata: ${JSON.stringify({ epoch: ctx.hub.epoch })}\n\n`);
    if (lastEventId) {
      const resume = ctx.hub.resumeFrom(lastEventId, filter);
      if (resume.ok) send(resume.missed);
      else out.write(`event: reset\ndata: ${JSON.stringify({ reason: resume.reason })}\n\n`);
    }
    const keepalive = setInterval(() => out.write(": keepalive\n\n"), KEEPALIVE_MS);
    const close = () => {
      clearInterval(keepalive);
      unsubscribe();
    };
    request.raw.on("close", close);
    out.on("error", close);
  });
}
