// Secrets: the server only ever holds ciphertext (the engine encrypts before sending). Listing gives names;
// the ciphertext goes out only on its own route, which run processes call when a flow reads the secret.
import { Type } from "typebox";
import { Deleted, NameParams } from "./common.ts";
import { defineRoute } from "./contract.ts";

export const secretsApi = {
  list: defineRoute({
    method: "GET",
    path: "/api/secrets",
    response: Type.Object({ secrets: Type.Array(Type.Object({ name: Type.String() })) }),
  }),
  ciphertext: defineRoute({
    method: "GET",
    path: "/api/secrets/:name/ciphertext",
    params: NameParams,
    response: Type.Object({ name: Type.String(), ciphertext: Type.String() }),
  }),
  set: defineRoute({
    method: "PUT",
    path: "/api/secrets/:name",
    params: NameParams,
    body: Type.Object(
      { ciphertext: Type.String({ minLength: 1, maxLength: 1_000_000 }) },
      { additionalProperties: false },
    ),
    response: Type.Object({ name: Type.String() }),
  }),
  unset: defineRoute({ method: "DELETE", path: "/api/secrets/:name", params: NameParams, response: Deleted }),
};
