// Runs the `skein` CLI from source (tsx) as a real child process against a temporary SKEIN_HOME.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { SqliteStore } from "../../../store/sqlite/sqlite-store.ts";
import type { FlowRunRecord } from "../../../store/types.ts";

export const ROOT = path.resolve(import.meta.dirname, "../../..");
const CLI = path.join(ROOT, "cli/main.ts");

const homes: string[] = [];
process.on("exit", () => homes.forEach((home) => fs.rmSync(home, { recursive: true, force: true })));

/** A fresh SKEIN_HOME, deleted when the test process exits. */
export function tempHome(): string {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "skein-it-"));
  homes.push(home);
  return home;
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  /** Written to the command's standard input, which is then closed; without it stdin is ignored. */
  input?: string;
  /** Added to the environment (SKEIN_API_URL, ...). */
  env?: NodeJS.ProcessEnv;
}

export function startCli(
  args: string[],
  home: string,
  options: CliOptions = {},
): ChildProcess & { done: Promise<CliResult> } {
  const child = spawn(process.execPath, ["--import", "tsx", CLI, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...options.env, SKEIN_HOME: home },
    stdio: [options.input === undefined ? "ignore" : "pipe", "pipe", "pipe"],
  });
  if (options.input !== undefined) child.stdin!.end(options.input);
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (chunk) => (stdout += chunk));
  child.stderr!.on("data", (chunk) => (stderr += chunk));
  const done = new Promise<CliResult>((resolve) =>
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return Object.assign(child, { done });
}

export function runCli(args: string[], home: string, options: CliOptions = {}): Promise<CliResult> {
  return startCli(args, home, options).done;
}

export function openStore(home: string): SqliteStore {
  return new SqliteStore(path.join(home, "skein.db"));
}

/** Polls the store until a flow run of `flowName` satisfies `ready`. */
export async function waitForRun(
  home: string,
  flowName: string,
  ready: (run: FlowRunRecord) => boolean,
  timeoutMs = 20_000,
): Promise<FlowRunRecord> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (fs.existsSync(path.join(home, "skein.db"))) {
      const store = openStore(home);
      try {
        const [run] = await store.listFlowRuns({ flowName, limit: 1 });
        if (run && ready(run)) return run;
      } finally {
        await store.close();
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`no flow run of '${flowName}' became ready in ${timeoutMs} ms`);
}

/** Waits until the run's log contains `message` (the flow body reached that point). */
export async function waitForLog(home: string, flowRunId: string, message: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const store = openStore(home);
    try {
      if ((await store.listLogs(flowRunId)).some((log) => log.message === message)) return;
    } finally {
      await store.close();
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`log '${message}' did not appear in ${timeoutMs} ms`);
}
