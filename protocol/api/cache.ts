// The task result cache, for run processes that report through the server.
import { Type } from "typebox";
import { Id, IsoTime, nullable, Ok } from "./common.ts";
import { defineRoute } from "./contract.ts";

const KeyParams = Type.Object({ key: Type.String({ minLength: 1, maxLength: 2000 }) });

export const CacheEntry = Type.Object({
  key: Type.String(),
  /** Serialized result. */
  value: Type.String(),
  taskRunId: Type.String(),
  flowRunId: Type.String(),
  expiresAt: nullable(Type.String()),
});

export const cacheApi = {
  read: defineRoute({ method: "GET", path: "/api/cache/:key", params: KeyParams, response: CacheEntry }),
  write: defineRoute({
    method: "PUT",
    path: "/api/cache/:key",
    params: KeyParams,
    body: Type.Object(
      { value: Type.String(), taskRunId: Id, flowRunId: Id, expiresAt: nullable(IsoTime) },
      { additionalProperties: false },
    ),
    response: Ok,
  }),
};
