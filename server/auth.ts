// Who may talk to the server. On loopback only this machine can reach it, so no key is needed; bound to any
// other address it refuses to start without SKEIN_API_KEY, and with a key every request must carry it.
import { timingSafeEqual, createHash } from "node:crypto";
import { isIP } from "node:net";
import type { FastifyInstance } from "fastify";

export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, "");
  if (bare === "localhost") return true;
  if (isIP(bare) === 4) return bare.startsWith("127.");
  if (isIP(bare) === 6) return bare === "::1" || bare.toLowerCase().startsWith("::ffff:127.");
  return false;
}

/** Throws the one-line reason when binding `host` without a key would expose the API. */
export function checkBindRule(host: string, apiKey: string | undefined): void {
  if (!isLoopbackHost(host) && !apiKey) {
    throw new Error(
      `refusing to listen on ${host} without SKEIN_API_KEY: anyone on the network could drive your runs. ` +
        `Set SKEIN_API_KEY, or bind to 127.0.0.1 (the default).`,
    );
  }
}

function sameKey(given: string, expected: string): boolean {
  // Hashing first gives equal lengths, which timingSafeEqual needs, without leaking the key's length.
  const a = createHash("sha256").update(given).digest();
  const b = createHash("sha256").update(expected).digest();
  return timingSafeEqual(a, b);
}

/** Reads the key from `Authorization: Bearer KEY` (the scheme in any case, as RFC 9110 says) or `X-Api-Key: KEY`. */
export function requestKey(headers: Record<string, string | string[] | undefined>): string | undefined {
  const auth = headers.authorization;
  const bearer = typeof auth === "string" ? /^bearer +(.*)$/i.exec(auth) : null;
  if (bearer) return bearer[1];
  const key = headers["x-api-key"];
  return typeof key === "string" ? key : undefined;
}

export function installApiKeyCheck(app: FastifyInstance, apiKey: string | undefined): void {
  if (!apiKey) return;
  app.addHook("onRequest", async (request, reply) => {
    const given = requestKey(request.headers);
    if (given === undefined)
      return reply.code(401).send({ error: "missing API key: send 'Authorization: Bearer <SKEIN_API_KEY>'" });
    if (!sameKey(given, apiKey)) return reply.code(403).send({ error: "wrong API key" });
  });
}
