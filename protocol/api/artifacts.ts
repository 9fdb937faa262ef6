// Artifacts of a flow run, one artifact, and the latest artifact of a key (keys name an artifact across runs).
import { Type } from "typebox";
import { IdParams, nullable } from "./common.ts";
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
};
