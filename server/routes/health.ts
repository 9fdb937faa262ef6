// Health and identity of the server (the CLI's `server status` and `doctor` read it), and a crash sweep on
// demand for clients that call Store.markDeadRunsCrashed.
import type { FastifyInstance } from "fastify";
import { healthApi } from "../../protocol/api/health.ts";
import type { ServerContext } from "../context.ts";
import type { CrashDetector } from "../services/crash-detector.ts";
import { route } from "./route.ts";

export function healthRoutes(app: FastifyInstance, ctx: ServerContext, detector: CrashDetector): void {
  route(app, healthApi.health, async () => ({
    ok: true,
    pid: process.pid,
    backend: ctx.backend,
    location: redactLocation(ctx.store.location),
    epoch: ctx.hub.epoch,
    streamSubscribers: ctx.hub.subscriberCount,
  }));

  route(app, healthApi.crashSweep, async () => ({ crashed: await detector.sweep() }));
}

/** A database URL may carry a password; never send it back. */
function redactLocation(location: string): string {
  return location.replace(/\/\/([^:/@]+):[^@]*@/, "//$1:****@");
}
