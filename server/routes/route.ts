// Registers one route from its contract (protocol/api/): fastify takes the method, the path and the request
// schemas from it and validates with them, so no path or method is written in server/routes/. Answers do not go
// through fastify's response serializer, which silently drops properties a schema does not list; tests check
// real answers against the contract instead (validators.ts, ServerOptions.checkResponses).
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { PartOf, ResponseOf, RouteContract } from "../../protocol/api/contract.ts";

type RouteGeneric<C extends RouteContract> = {
  Params: PartOf<C, "params">;
  Querystring: PartOf<C, "querystring">;
  Body: PartOf<C, "body">;
};

/** A stream route writes its answer itself (reply.hijack()); any other returns the contract's response. */
// biome-ignore lint/suspicious/noConfusingVoidType: a stream handler's result is a function's result: nothing.
type Answer<C extends RouteContract> = C extends { stream: true } ? void : ResponseOf<C>;

export type RouteHandler<C extends RouteContract> = (
  request: FastifyRequest<RouteGeneric<C>>,
  reply: FastifyReply,
) => Answer<C> | Promise<Answer<C>>;

/** A refusal with its status: the server's error handler answers `{ error: message }`. */
export class RouteError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
  }
}

export function route<C extends RouteContract>(app: FastifyInstance, contract: C, handler: RouteHandler<C>): void {
  // Only the parts the contract has: fastify warns about a part given as undefined.
  const schema = Object.fromEntries(
    (["params", "querystring", "body"] as const).flatMap((part) => (contract[part] ? [[part, contract[part]]] : [])),
  );
  app.route<RouteGeneric<C>>({
    method: contract.method,
    url: contract.path,
    schema,
    config: { contract },
    handler,
  });
}

/** The contract a route was registered with (undefined for fastify's own answers, e.g. not found). */
export function contractOf(request: FastifyRequest): RouteContract | undefined {
  return (request.routeOptions.config as { contract?: RouteContract }).contract;
}
