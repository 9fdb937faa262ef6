// Concurrency limits (tag limits are named `tag:<tag>`; global limits may decay slots for rate limiting) and
// the leases run processes take on them.
import { Type } from "typebox";
import { Deleted, Id, Name, NameParams, nullable, Ok } from "./common.ts";
import { defineRoute } from "./contract.ts";
import { INT32_MAX } from "./input-limits.ts";

export const ConcurrencyLimitRecord = Type.Object({
  name: Type.String(),
  limit: Type.Integer(),
  /** Rate limits: slots taken by `rateLimit` free up at this pace instead of being released. */
  slotDecayPerSecond: nullable(Type.Number()),
  activeSlots: Type.Integer(),
});

const SlotDecay = nullable(Type.Number({ exclusiveMinimum: 0 }));

export const LeaseResult = Type.Union([
  Type.Object({ acquired: Type.Literal(true), leaseIds: Type.Array(Type.String()) }),
  /** A named limit does not exist: `concurrency()` with no limit defined does not wait. */
  Type.Object({
    acquired: Type.Literal(false),
    missing: Type.Array(Type.String()),
    full: Type.Array(Type.String()),
  }),
]);

export const concurrencyApi = {
  list: defineRoute({
    method: "GET",
    path: "/api/concurrency-limits",
    response: Type.Object({ limits: Type.Array(ConcurrencyLimitRecord) }),
  }),
  upsert: defineRoute({
    method: "PUT",
    path: "/api/concurrency-limits/:name",
    params: NameParams,
    body: Type.Object(
      { limit: Type.Integer({ minimum: 0, maximum: 1_000_000 }), slotDecayPerSecond: Type.Optional(SlotDecay) },
      { additionalProperties: false },
    ),
    response: Type.Object({ name: Type.String(), limit: Type.Integer(), slotDecayPerSecond: SlotDecay }),
  }),
  delete: defineRoute({
    method: "DELETE",
    path: "/api/concurrency-limits/:name",
    params: NameParams,
    response: Deleted,
  }),
  /** Takes slots on every named limit at once, or nothing; not idempotent (a repeat takes them twice). */
  acquire: defineRoute({
    method: "POST",
    path: "/api/leases",
    body: Type.Object(
      {
        names: Type.Array(Name, { minItems: 1, maxItems: 100 }),
        slots: Type.Integer({ minimum: 1, maximum: 1_000_000 }),
        holderPid: Type.Integer({ minimum: 0, maximum: INT32_MAX }),
        /** Rate limits: the lease is never released; it expires when its slots have decayed. */
        decaying: Type.Boolean(),
        /**
         * Accepted from older clients and not used: the server ties a lease to its holder's process (holderPid and
         * the X-Skein-Process machine) in the store.
         */
        holderFlowRunIds: Type.Optional(Type.Array(Id, { maxItems: 10000 })),
      },
      { additionalProperties: false },
    ),
    response: LeaseResult,
  }),
  release: defineRoute({
    method: "POST",
    path: "/api/leases/release",
    body: Type.Object({ leaseIds: Type.Array(Id, { maxItems: 10000 }) }, { additionalProperties: false }),
    response: Ok,
  }),
};
