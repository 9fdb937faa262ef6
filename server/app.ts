// The API server: a fastify app over one Store. Every route is registered from its contract in protocol/api/,
// whose schemas validate each body, query and path; errors come back as `{ "error": "<one line>" }` with a 4xx
// status, and nothing a client sends can stop the process.
import Fastify, { type FastifyError, type FastifyInstance } from "fastify";
import type { Store } from "../store/types.ts";
import { installApiKeyCheck } from "./auth.ts";
import { installRequestOriginCheck } from "./request-origin.ts";
import type { ServerContext } from "./context.ts";
import { CrashDetector, type CrashDetectorOptions } from "./services/crash-detector.ts";
import { EventHub, type RingLimits } from "./streaming/event-hub.ts";
import { DEFAULT_STREAM_CLIENT_LIMITS, type StreamClientLimits } from "./streaming/stream-client.ts";
import { HeartbeatRegistry } from "./services/heartbeats.ts";
import { SqliteChangeFeed } from "./streaming/sqlite-change-feed.ts";
import { artifactRoutes } from "./routes/artifacts.ts";
import { cacheRoutes } from "./routes/cache.ts";
import { concurrencyRoutes } from "./routes/concurrency.ts";
import { eventRoutes } from "./routes/events.ts";
import { flowRunRoutes } from "./routes/flow-runs.ts";
import { healthRoutes } from "./routes/health.ts";
import { logRoutes } from "./routes/logs.ts";
import { secretRoutes } from "./routes/secrets.ts";
import { taskRunRoutes } from "./routes/task-runs.ts";
import { variableRoutes } from "./routes/variables.ts";
import { deploymentRoutes } from "./routes/deployments.ts";
import { workPoolRoutes } from "./routes/work-pools.ts";
import { workerRoutes } from "./routes/workers.ts";
import { installResponseCheck, installValidators } from "./validators.ts";

export interface ServerOptions {
  store: Store;
  backend: string;
  apiKey?: string;
  /** Host names answered besides IP addresses and localhost (SKEIN_SERVER_HOSTS; see request-origin.ts). */
  allowedHosts?: readonly string[];
  crashDetection?: CrashDetectorOptions & { enabled?: boolean };
  /** What the live stream keeps for resumption (events, bytes) and lets each client leave unread. */
  streamLimits?: Partial<RingLimits & StreamClientLimits>;
  /** The SQLite file behind `store`, when runs may also write to it directly: their events are streamed too. */
  sqliteFile?: string;
  /** Check every JSON answer against its route's contract and answer 500 when it differs (tests turn it on). */
  checkResponses?: boolean;
}

export interface SkeinServer {
  app: FastifyInstance;
  ctx: ServerContext;
  detector: CrashDetector;
  /** Stops the crash detector and the HTTP server; the store stays open (its owner closes it). */
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 64 * 1024 * 1024;

export function buildServer(options: ServerOptions): SkeinServer {
  const app = Fastify({
    logger: false,
    bodyLimit: MAX_BODY_BYTES,
    // Stream connections stay open; closing the server must not wait for them.
    forceCloseConnections: true,
  });
  installValidators(app);
  const ctx: ServerContext = {
    store: options.store,
    hub: new EventHub(options.streamLimits),
    streamLimits: { ...DEFAULT_STREAM_CLIENT_LIMITS, ...options.streamLimits },
    heartbeats: new HeartbeatRegistry(),
    backend: options.backend,
  };
  const detector = new CrashDetector(ctx, options.crashDetection);

  installRequestOriginCheck(app, options.allowedHosts ?? []);
  installApiKeyCheck(app, options.apiKey);
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error.validation) {
      return reply.code(400).send({ error: `invalid request: ${error.message}` });
    }
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    if (status === 500)
      process.stderr.write(`skein server: ${request.method} ${request.url} failed: ${error.stack ?? error.message}\n`);
    return reply.code(status).send({ error: status === 500 ? `internal error: ${error.message}` : error.message });
  });
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send({ error: `no route ${request.method} ${request.url}` }),
  );

  if (options.checkResponses) installResponseCheck(app);

  // Registered as a plugin, which fastify loads at ready(): hooks added before then (onRoute, in the test that
  // compares routes with contracts) see every route.
  app.register(async (api) => {
    healthRoutes(api, ctx, detector);
    eventRoutes(api, ctx);
    flowRunRoutes(api, ctx);
    taskRunRoutes(api, ctx);
    logRoutes(api, ctx);
    artifactRoutes(api, ctx);
    cacheRoutes(api, ctx);
    variableRoutes(api, ctx);
    secretRoutes(api, ctx);
    concurrencyRoutes(api, ctx);
    workPoolRoutes(api, ctx);
    deploymentRoutes(api, ctx);
    workerRoutes(api, ctx);
  });

  if (options.crashDetection?.enabled !== false) detector.start();
  const feed = options.sqliteFile
    ? new SqliteChangeFeed(options.sqliteFile, (events) => ctx.hub.publish(events))
    : undefined;
  feed?.start();
  return {
    app,
    ctx,
    detector,
    async close() {
      feed?.stop();
      await detector.stop();
      await app.close();
    },
  };
}
