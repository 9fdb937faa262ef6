// `skein server start|status|stop`: the API server of SKEIN_HOME. `start` runs it in the background (a detached
// child writing SKEIN_HOME/server.log) and returns once it answers; `--foreground` serves in this process.
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import type { Command } from "commander";
import { skeinHome } from "../../client/home.ts";
import { BRIEF_RETRY, ONE_TRY, probeHealth } from "../../client/api-client.ts";
import { isProcessAlive } from "../../client/processes.ts";
import { serveUntilSignal } from "../../server/run-server.ts";
import {
  DEFAULT_HOST,
  DEFAULT_PORT,
  readServerFile,
  removeServerFile,
  serverFilePath,
  type ServerFile,
} from "../../client/server-file.ts";
import { printJson, printLine } from "./output.ts";

const START_TIMEOUT_MS = 20_000;
const STOP_TIMEOUT_MS = 10_000;

interface StartOptions {
  host: string;
  port: string;
  foreground?: boolean;
  json?: boolean;
}

export function register(program: Command): void {
  const server = program
    .command("server")
    .description("The Skein API server of SKEIN_HOME (runs, logs, artifacts, live events)");

  server
    .command("start")
    .description(`Start the server (default ${DEFAULT_HOST}:${DEFAULT_PORT}; other addresses need SKEIN_API_KEY)`)
    .option("--host <address>", "address to bind", DEFAULT_HOST)
    .option("--port <port>", "port (0 picks a free one)", String(DEFAULT_PORT))
    .option("--foreground", "serve in this process until Ctrl-C")
    .option("--json", "print the server's address as JSON")
    .action(async (options: StartOptions) => {
      const home = skeinHome();
      const port = parsePort(options.port);
      if (options.foreground) return serveUntilSignal({ home, host: options.host, port });
      const running = readServerFile(home);
      if (running) {
        report(options.json, running, `Skein server already running at ${running.url} (pid ${running.pid})`);
        return;
      }
      const info = await startInBackground(home, options.host, port);
      report(
        options.json,
        info,
        `Skein server started at ${info.url} (pid ${info.pid}, ${info.backend} store); log: ${logFile(home)}`,
      );
    });

  server
    .command("status")
    .description("Whether the server of SKEIN_HOME runs, where, and on which store")
    .option("--json", "as JSON")
    .action(async (options: { json?: boolean }) => {
      const home = skeinHome();
      const info = readServerFile(home);
      if (!info) {
        if (options.json) printJson({ running: false, home });
        else printLine(`No Skein server is running for SKEIN_HOME=${home}. Start one with 'skein server start'.`);
        process.exitCode = 1;
        return;
      }
      const health = await probeHealth(info.url, BRIEF_RETRY);
      if (options.json) printJson({ running: true, ...info, location: health.location });
      else
        printLine(
          `Skein server running at ${info.url} (pid ${info.pid}) since ${info.startedAt}, ${health.backend} store at ${health.location}`,
        );
    });

  server
    .command("stop")
    .description("Stop the server of SKEIN_HOME")
    .action(async () => {
      const home = skeinHome();
      const info = readServerFile(home);
      if (!info) return printLine(`No Skein server is running for SKEIN_HOME=${home}.`);
      if (!(await isServerProcess(info))) {
        removeServerFile(home, info.pid);
        printLine(
          `The Skein server of SKEIN_HOME=${home} is gone: ${info.url} does not answer as pid ${info.pid}, and that pid ` +
            `now belongs to a process started after the server, so it was left alone. Removed the stale ${serverFilePath(home)}.`,
        );
        return;
      }
      process.kill(info.pid, "SIGTERM");
      if (!(await waitForExit(info.pid, STOP_TIMEOUT_MS))) {
        process.kill(info.pid, "SIGKILL");
        await waitForExit(info.pid, STOP_TIMEOUT_MS);
      }
      removeServerFile(home, info.pid);
      printLine(`Stopped the Skein server at ${info.url} (pid ${info.pid}).`);
    });
}

/**
 * Whether the pid in server.json is still that server, and not a process that got its pid after it died: the
 * server at the URL answers with that pid, or (not answering: hung, or wanting an API key) the process started
 * before the server announced itself.
 */
async function isServerProcess(info: ServerFile): Promise<boolean> {
  try {
    if ((await probeHealth(info.url, ONE_TRY)).pid === info.pid) return true;
  } catch {
    // Not answering: judged by start time below.
  }
  const started = processStartTime(info.pid);
  return started !== undefined && started <= Date.parse(info.startedAt);
}

/** When the process started (to the second, as `ps` tells it), or undefined when `ps` cannot say. */
function processStartTime(pid: number): number | undefined {
  try {
    const text = execFileSync("ps", ["-o", "lstart=", "-p", String(pid)], {
      encoding: "utf8",
      env: { ...process.env, LC_ALL: "C" },
      stdio: ["ignore", "pipe", "ignore"],
    }).trim();
    const time = Date.parse(text);
    return Number.isNaN(time) ? undefined : time;
  } catch {
    return undefined;
  }
}

function parsePort(text: string): number {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`--port must be a number from 0 to 65535, got '${text}'`);
  return port;
}

function report(json: boolean | undefined, info: ServerFile, line: string): void {
  if (json) printJson(info);
  else printLine(line);
}

function logFile(home: string): string {
  return path.join(home, "server.log");
}

/** Spawns `<this CLI> server start --foreground` detached and waits until it has announced itself and answers. */
async function startInBackground(home: string, host: string, port: number): Promise<ServerFile> {
  fs.mkdirSync(home, { recursive: true });
  const log = fs.openSync(logFile(home), "a");
  const child = spawn(
    process.execPath,
    [...process.execArgv, process.argv[1], "server", "start", "--foreground", "--host", host, "--port", String(port)],
    { detached: true, stdio: ["ignore", log, log], env: { ...process.env, SKEIN_HOME: home } },
  );
  fs.closeSync(log);
  child.unref();
  let exited: number | null | undefined;
  child.once("exit", (code) => (exited = code));
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (exited !== undefined)
      throw new Error(`the server did not start: ${lastLogLine(home) ?? `exit code ${exited}`}`);
    const info = readServerFile(home);
    if (info && info.pid === child.pid) {
      try {
        await probeHealth(info.url, ONE_TRY);
        return info;
      } catch {
        // Listening but not answering yet.
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`the server did not answer within ${START_TIMEOUT_MS / 1000}s; see ${logFile(home)}`);
}

function lastLogLine(home: string): string | undefined {
  try {
    return fs.readFileSync(logFile(home), "utf8").trim().split("\n").pop();
  } catch {
    return undefined;
  }
}

async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isProcessAlive(pid)) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return false;
}
