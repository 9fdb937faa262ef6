// Field schemas several resources share: ids and names (no NUL: PostgreSQL text cannot hold one, so it is
// refused with a 400 here instead of failing in the database with a 500), times, run states, paging, and the
// small answers many routes give (`{ ok }`, `{ deleted }`, `{ error }`).
import { Type, type Static, type TSchema } from "typebox";
import { STATE_NAMES, STATE_TYPES, type StateDetails, type StateName } from "../states.ts";
import { BoundedJson, NO_NUL as noNul } from "./input-limits.ts";

export const IsoTime = Type.String({ minLength: 10, maxLength: 40 });
export const Id = Type.String({ minLength: 1, maxLength: 200, pattern: noNul });
export const Name = Type.String({ minLength: 1, maxLength: 500, pattern: noNul });
export const StringList = Type.Array(Type.String());
/** Any JSON object (parameters, job variables, templates): checked as an object, its keys left free. */
export const JsonObject = BoundedJson<Record<string, unknown>>({ type: "object" });

export function nullable<T extends TSchema>(schema: T) {
  return Type.Union([schema, Type.Null()]);
}

/**
 * A field the server fills in when a client leaves it out (ajv's useDefaults runs before `required` is checked),
 * so handlers always see it; it is required in the TypeScript type, so typed clients send it.
 */
export function withDefault<T extends TSchema>(schema: T, value: Static<T>): T {
  return { ...schema, default: value };
}

export const State = Type.Object({
  type: Type.Enum(STATE_TYPES),
  name: Type.Enum(Object.keys(STATE_NAMES) as StateName[]),
  message: Type.Optional(Type.String()),
  timestamp: IsoTime,
  details: Type.Optional(BoundedJson<StateDetails>({ type: "object" })),
});

/** Where a task is defined (protocol/run-events.ts SourceSite). */
export const SourceSite = Type.Object({
  file: Type.String({ minLength: 1, maxLength: 4096, pattern: noNul }),
  line: Type.Integer({ minimum: 0, maximum: 2_147_483_647 }),
  column: Type.Integer({ minimum: 0, maximum: 2_147_483_647 }),
  absoluteFile: Type.Optional(Type.String({ minLength: 1, maxLength: 4096, pattern: noNul })),
});

/** One entry of a run's state history. */
export const StateRecord = Type.Object({
  id: Type.String(),
  runId: Type.String(),
  ...State.properties,
});

export const IdParams = Type.Object({ id: Id });
export const NameParams = Type.Object({ name: Name });

export const PagingQuery = {
  limit: withDefault(Type.Integer({ minimum: 1, maximum: 10000 }), 50),
  offset: withDefault(Type.Integer({ minimum: 0, maximum: 1_000_000 }), 0),
};

/** Every 4xx and 5xx answer. */
export const ErrorBody = Type.Object({ error: Type.String() });
export const Ok = Type.Object({ ok: Type.Boolean() });
export const Deleted = Type.Object({ deleted: Type.Boolean() });

/** Why a store refused to create a work pool, queue or deployment. */
export type CreateRefusal = "duplicate" | "unknown-work-pool" | "unknown-work-queue";

/** How the server answers a refused create; HttpStore reads the refusal back from the status. */
export const REFUSAL_STATUS: Record<CreateRefusal, number> = {
  duplicate: 409,
  "unknown-work-pool": 404,
  "unknown-work-queue": 422,
};
