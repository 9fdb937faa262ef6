// Who may address the server from a browser. A web page the user opens could otherwise point a name it owns at
// 127.0.0.1 (DNS rebinding) and drive the local API as if it were this machine, or post to it from another origin.
// So the server answers only requests whose Host is an IP address, `localhost`, or a name configured in
// SKEIN_SERVER_HOSTS (a rebinding page's Host is always its own name), and refuses any request that carries an
// Origin other than the server's own (browsers send Origin on cross-origin requests; Skein's clients send none).
import { isIP } from "node:net";
import type { FastifyInstance } from "fastify";

/** The environment variable naming extra host names the server answers to, comma-separated. */
export const SERVER_HOSTS_VARIABLE = "SKEIN_SERVER_HOSTS";

/** Host names from SKEIN_SERVER_HOSTS: `skein.example.com`, or `.example.com` for the name and its subdomains. */
export function configuredHosts(env: NodeJS.ProcessEnv): string[] {
  return (env[SERVER_HOSTS_VARIABLE] ?? "")
    .split(",")
    .map((name) => name.trim().toLowerCase())
    .filter(Boolean);
}

/** The host name of a Host header value (`[::1]:4300` → `::1`, `Example.com:80` → `example.com`). */
function hostName(hostHeader: string): string {
  const bracketed = /^\[([^\]]*)\](?::\d*)?$/.exec(hostHeader);
  if (bracketed) return bracketed[1].toLowerCase();
  return hostHeader.replace(/:\d*$/, "").toLowerCase();
}

/** Whether a Host header names this server: an IP address, `localhost`, or a configured name. */
export function isAllowedHost(hostHeader: string | undefined, extraHosts: readonly string[]): boolean {
  if (!hostHeader) return false;
  const name = hostName(hostHeader);
  if (isIP(name) !== 0 || name === "localhost") return true;
  return extraHosts.some((allowed) =>
    allowed.startsWith(".") ? name === allowed.slice(1) || name.endsWith(allowed) : name === allowed,
  );
}

/** Whether an Origin header is the origin of the server the request is addressed to (scheme, host and port). */
export function isSameOrigin(origin: string, hostHeader: string): boolean {
  try {
    const url = new URL(origin);
    return (url.protocol === "http:" || url.protocol === "https:") && url.host === new URL(`http://${hostHeader}`).host;
  } catch {
    // "null" (sandboxed frames, file pages) and anything unparsable are not this server.
    return false;
  }
}

/** Refuses requests to a foreign Host (421) and requests from a foreign Origin (403), before anything else runs. */
export function installRequestOriginCheck(app: FastifyInstance, extraHosts: readonly string[]): void {
  app.addHook("onRequest", async (request, reply) => {
    const host = request.headers.host;
    if (!isAllowedHost(host, extraHosts)) {
      return reply.code(421).send({
        error:
          `this Skein server does not answer to host '${host ?? ""}': only IP addresses, localhost and the names ` +
          `in ${SERVER_HOSTS_VARIABLE} (comma-separated, set where the server starts) are served`,
      });
    }
    const origin = request.headers.origin;
    if (origin !== undefined && !isSameOrigin(origin, host!)) {
      return reply.code(403).send({
        error: `cross-origin request refused: Origin '${origin}' is not this server (${host})`,
      });
    }
  });
}
