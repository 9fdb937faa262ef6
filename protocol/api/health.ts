// The server's health and identity (the CLI's `server status` and `doctor` read it), and a crash sweep on
// demand for clients that call Store.markDeadRunsCrashed.
import { Type } from "typebox";
import { defineRoute } from "./contract.ts";

export const healthApi = {
  health: defineRoute({
    method: "GET",
    path: "/api/health",
    response: Type.Object({
      ok: Type.Boolean(),
      pid: Type.Integer(),
      /** "sqlite" or "postgres". */
      backend: Type.String(),
      /** The database file or URL, its password masked. */
      location: Type.String(),
      /** Changes when the server restarts: stream event ids of another epoch cannot be resumed. */
      epoch: Type.String(),
      streamSubscribers: Type.Integer(),
    }),
  }),
  crashSweep: defineRoute({
    method: "POST",
    path: "/api/crash-detection/sweep",
    response: Type.Object({ crashed: Type.Array(Type.String()) }),
  }),
};
