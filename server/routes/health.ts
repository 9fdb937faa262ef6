// Health and identity of the server (the CLI's `server status` and `doctor` read it), and a crash sweep on
// demand for clients that call Store.markDeadRunsCrashed.
import type { FastifyInstance } from "fastify";
import type { ServerContext } from "../context.ts";
import type { CrashDetector } from "../services/crash-detector.ts";

export function healthRoutes(app: FastifyInstance, ctx: ServerContext, detector: CrashDetector): void {
  app.get("/api/health", async () => ({
    ok: true,
    pid: process.pid,
    backend: ctx.backend,
    location: redactLocation(ctx.store.location),
    epoch: ctx.hub.epoch,
    streamSubscribers: ctx.hub.subscriberCount,
  }));

  app.post("/api/crash-detection/sweep", async () => ({ crashed: await detector.sweep() }));
}

/** A database URL may carry a password; never send it back. */
function redactLocation(location: string): string {
  return location.replace(/\/\/([^:/@]+):[^@]*@/, "//$1:****@");
}
