// Runs the API server in this process until SIGINT/SIGTERM: opens the store (PostgreSQL or the SQLite file of
// SKEIN_HOME), applies the bind rule, listens, starts the scheduler (services/scheduler.ts: one leader per
// database), and announces itself in SKEIN_HOME/server.json.
import { sqliteFile } from "../client/home.ts";
import { openServerStore } from "../store/open-store.ts";
import { buildServer, type SkeinServer } from "./app.ts";
import { checkBindRule } from "./auth.ts";
import { configuredHosts } from "./request-origin.ts";
import { PgEventRelay } from "./streaming/pg-event-relay.ts";
import { announce } from "./context.ts";
import { Scheduler } from "./services/scheduler.ts";
import { removeServerFile, writeServerFile, type ServerFile } from "../client/server-file.ts";

export interface RunServerOptions {
  home: string;
  host: string;
  port: number;
  env?: NodeJS.ProcessEnv;
}

export interface RunningServer {
  server: SkeinServer;
  info: ServerFile;
  stop(): Promise<void>;
}

export async function startServer(options: RunServerOptions): Promise<RunningServer> {
  const env = options.env ?? process.env;
  const apiKey = env.SKEIN_API_KEY || undefined;
  checkBindRule(options.host, apiKey);
  const { store, backend } = await openServerStore(options.home, env);
  // Runs without SKEIN_API_URL write to the SQLite file directly; the server streams what they write.
  const server = buildServer({
    store,
    backend,
    apiKey,
    allowedHosts: configuredHosts(env),
    sqliteFile: backend === "sqlite" ? sqliteFile(options.home) : undefined,
  });
  const closers: (() => Promise<void>)[] = [];
  let address: string;
  try {
    address = await server.app.listen({ host: options.host, port: options.port });
  } catch (error) {
    await server.close();
    await store.close();
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EADDRINUSE")
      throw new Error(`port ${options.port} on ${options.host} is in use; pass --port to choose another`);
    throw error;
  }
  if (backend === "postgres") {
    const relay = await PgEventRelay.start(store.location, server.ctx.hub.epoch, {
      events: (events) => server.ctx.hub.publish(events),
      deleted: (deletions) => server.ctx.hub.publishDeleted(deletions),
    });
    server.ctx.relay = relay;
    closers.push(() => relay.stop());
  }
  // After the relay: the runs it creates reach the other servers' streams too.
  const scheduler = new Scheduler(store, {
    announce: (events) => announce(server.ctx, events),
    log: (line) => process.stderr.write(`skein server: ${line}\n`),
  });
  scheduler.start();
  closers.unshift(() => scheduler.stop());
  const port = Number(new URL(address).port);
  const urlHost = options.host.includes(":") ? `[${options.host}]` : options.host;
  const info: ServerFile = {
    pid: process.pid,
    url: `http://${urlHost}:${port}`,
    host: options.host,
    port,
    backend,
    startedAt: new Date().toISOString(),
  };
  writeServerFile(options.home, info);
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      removeServerFile(options.home, process.pid);
      for (const close of closers) await close();
      await server.close();
      await store.close();
    })());
  return { server, info, stop };
}

/** `skein server start --foreground`: serve until a signal, then close cleanly. */
export async function serveUntilSignal(options: RunServerOptions): Promise<void> {
  const running = await startServer(options);
  process.stderr.write(`Skein server listening on ${running.info.url} (${running.info.backend} store)\n`);
  await new Promise<void>((resolve) => {
    const shutdown = () => void running.stop().then(resolve, resolve);
    process.once("SIGINT", shutdown);
    process.once("SIGTERM", shutdown);
  });
}
