// What the dispatch and scale-out benches share: a `skein server` in a temporary SKEIN_HOME (SQLite, or a
// PostgreSQL schema of its own), a work pool with a deployment of bench/fixtures/dispatch-flows.ts, workers as real
// `skein worker start` processes, and a few waits.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ApiClient } from "../../client/api-client.ts";
import { readServerFile } from "../../client/server-file.ts";
import { deploymentsApi } from "../../protocol/api/deployments.ts";
import { workPoolsApi } from "../../protocol/api/work-pools.ts";
import { workersApi } from "../../protocol/api/workers.ts";

export const ROOT = path.resolve(import.meta.dirname, "../..");
export const CLI = path.join(ROOT, "dist/engine/cli.mjs");
const FLOWS = path.join(ROOT, "bench/fixtures");

/**
 * With SKEIN_BENCH_PROFILE_DIR set, the server, the workers and their runner processes (which inherit the worker's
 * Node options) each write a V8 CPU profile there when they exit: where a deployment bench's time goes, by process.
 */
function profileArgs(): string[] {
  const dir = process.env.SKEIN_BENCH_PROFILE_DIR;
  return dir ? ["--cpu-prof", `--cpu-prof-dir=${path.resolve(dir)}`] : [];
}

export interface BenchServer {
  home: string;
  client: ApiClient;
  env: NodeJS.ProcessEnv;
  stop(): void;
}

export function startBenchServer(databaseUrl?: string): BenchServer {
  if (!fs.existsSync(CLI)) throw new Error("run 'npm run build' first: dist/engine/cli.mjs is missing");
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "skein-bench-deploy-"));
  const env = { ...process.env, SKEIN_HOME: home, SKEIN_API_URL: "", SKEIN_DATABASE_URL: databaseUrl ?? "" };
  execFileSync(process.execPath, [...profileArgs(), CLI, "server", "start", "--port", "0"], { env, stdio: "ignore" });
  const url = readServerFile(home)!.url;
  return {
    home,
    client: new ApiClient(url),
    env,
    stop() {
      execFileSync(process.execPath, [CLI, "server", "stop"], { env, stdio: "ignore" });
      fs.rmSync(home, { recursive: true, force: true });
    },
  };
}

export async function deployFlow(server: BenchServer, pool: string, exportName: string): Promise<string> {
  await server.client.call(workPoolsApi.create, { body: { name: pool } });
  const deployment = await server.client.call(deploymentsApi.create, {
    body: { name: exportName, flowName: exportName, entrypoint: `dispatch-flows.ts:${exportName}`, workPoolName: pool },
  });
  return deployment.id;
}

export function startWorker(server: BenchServer, pool: string, name: string, args: string[] = []): ChildProcess {
  return spawn(process.execPath, [...profileArgs(), CLI, "worker", "start", "--pool", pool, "--name", name, ...args], {
    env: { ...server.env, SKEIN_WORKER_CWD: FLOWS },
    stdio: ["ignore", "ignore", "inherit"],
  });
}

export async function stopWorker(worker: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => worker.once("exit", resolve));
  worker.kill("SIGTERM");
  await exited;
}

export async function until<T>(probe: () => Promise<T | undefined> | T | undefined, everyMs = 2): Promise<T> {
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** Waits until `count` workers of the pool have polled. */
export function workersPolling(server: BenchServer, pool: string, count: number): Promise<true> {
  return until(async () => {
    const { workers } = await server.client.call(workersApi.list, { query: { pool } });
    return workers.length >= count ? true : undefined;
  }, 50);
}

/** Median wall time of spawning `node -e 0`: what a fresh process costs on this machine now. */
export function nodeStartMs(): number {
  const start = performance.now();
  execFileSync(process.execPath, ["-e", "0"]);
  return performance.now() - start;
}
