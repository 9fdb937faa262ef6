// Variables: named JSON values shared by every run and the CLI.
import { Type } from "typebox";
import { Deleted, NameParams } from "./common.ts";
import { defineRoute } from "./contract.ts";
import { BoundedJson } from "./input-limits.ts";

const Variable = Type.Object({ name: Type.String(), value: Type.Unknown() });

export const variablesApi = {
  list: defineRoute({
    method: "GET",
    path: "/api/variables",
    response: Type.Object({ variables: Type.Array(Variable) }),
  }),
  get: defineRoute({ method: "GET", path: "/api/variables/:name", params: NameParams, response: Variable }),
  set: defineRoute({
    method: "PUT",
    path: "/api/variables/:name",
    params: NameParams,
    body: Type.Object({ value: BoundedJson<unknown>() }, { additionalProperties: false }),
    response: Variable,
  }),
  unset: defineRoute({ method: "DELETE", path: "/api/variables/:name", params: NameParams, response: Deleted }),
};
