// What an HTTP route contract is: its method, its path (fastify syntax, `/api/flow-runs/:id`) and the TypeBox
// schemas of its path parameters, query, body and answer. The server registers every route from its contract
// (server/routes/route.ts) and the typed client calls it (client/api-client.ts): both ends read one path and one
// set of schemas, and the TypeScript types of requests and answers are derived from those schemas.
import type { Static, TSchema } from "typebox";

export type HttpMethod = "GET" | "POST" | "PUT" | "DELETE";

export interface RouteContract {
  readonly method: HttpMethod;
  readonly path: string;
  readonly params?: TSchema;
  readonly querystring?: TSchema;
  readonly body?: TSchema;
  /** The body of a 2xx answer (a failure answers ErrorBody); for a stream, the data of each event. */
  readonly response: TSchema;
  /** The answer is a stream of server-sent events rather than one JSON body. */
  readonly stream?: true;
}

/** Keeps the literal types of a contract (its path, its schemas), so requests and answers are typed from it. */
export function defineRoute<const C extends RouteContract>(contract: C): C {
  return contract;
}

type Part = "params" | "querystring" | "body" | "response";

/** The TypeScript type of one part of a contract; undefined when the route has no such part. */
export type PartOf<C extends RouteContract, K extends Part> = C extends { [key in K]: infer S extends TSchema }
  ? Static<S>
  : undefined;

type RequestParts<C extends RouteContract> = {
  params: PartOf<C, "params">;
  query: PartOf<C, "querystring">;
  body: PartOf<C, "body">;
};
type Present<C extends RouteContract> = {
  [K in keyof RequestParts<C>]: RequestParts<C>[K] extends undefined ? never : K;
}[keyof RequestParts<C>];
/** Parts every field of which may be left out (a query of optional filters): the part may be left out too. */
type Skippable<C extends RouteContract> = {
  [K in Present<C>]: {} extends RequestParts<C>[K] ? K : never;
}[Present<C>];

/** What a client sends: the parts its contract describes (path parameters, query, body), typed by its schemas. */
export type RequestOf<C extends RouteContract> = { [K in Exclude<Present<C>, Skippable<C>>]: RequestParts<C>[K] } & {
  [K in Skippable<C>]?: RequestParts<C>[K];
};

export type ResponseOf<C extends RouteContract> = PartOf<C, "response">;
