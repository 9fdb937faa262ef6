// Artifacts of a flow run, one artifact, and the latest artifact of a key or its history (keys name an artifact
// across runs).
import { Type } from "typebox";
import { IdParams, nullable, PagingQuery } from "./common.ts";
import { defineRoute } from "./contract.ts";

export const ArtifactRecord = Type.Object({
  id: Type.String(),
  flowRunId: Type.String(),
  taskRunId: nullable(Type.String()),
  key: nullable(Type.String()),
  type: Type.Enum(["markdown", "table", "link", "progress", "image"]),
  description: nullable(Type.String()),
  data: Type.Unknown(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

/** One entry of a key's history: the artifact and the name of the flow run that made it. */
export const KeyedArtifactRecord = Type.Object({ ...ArtifactRecord.properties, flowRunName: Type.String() });

const ArtifactKey = Type.String({ minLength: 1, maxLength: 1000 });

export const artifactsApi = {
  list: defineRoute({
    method: "GET",
    path: "/api/flow-runs/:id/artifacts",
    params: IdParams,
    response: Type.Object({ artifacts: Type.Array(ArtifactRecord) }),
  }),
  get: defineRoute({ method: "GET", path: "/api/artifacts/:id", params: IdParams, response: ArtifactRecord }),
  byKey: defineRoute({
    method: "GET",
    path: "/api/artifacts/by-key/:key",
    params: Type.Object({ key: Type.String({ minLength: 1 }) }),
    response: ArtifactRecord,
  }),
  /** The artifacts of a key across runs, newest first. */
  history: defineRoute({
    method: "GET",
    path: "/api/artifacts",
    querystring: Type.Object({ key: ArtifactKey, limit: PagingQuery.limit }, { additionalProperties: false }),
    response: Type.Object({ artifacts: Type.Array(KeyedArtifactRecord) }),
  }),
};
