// Starts (and stops) the local Skein server of a SKEIN_HOME the way a user would (`skein server start|stop`), with
// the Node.js that runs flows; start returns its URL. The server runs detached, outlives the window, and is shared with the CLI
// and other windows through SKEIN_HOME/server.json.
import type { spawn as spawnFunction } from "node:child_process";

export interface LocalServerDeps {
  spawn: typeof spawnFunction;
  /** The Node.js to run the CLI with (command and the environment it needs, e.g. ELECTRON_RUN_AS_NODE). */
  runtime(): Promise<{ command: string; env: Record<string, string> }>;
  /** Path of the engine's CLI bundle (dist/engine/cli.mjs). */
  cliPath: string;
}

export async function startLocalServer(deps: LocalServerDeps, home: string): Promise<string> {
  // Port 0: a free port, so two SKEIN_HOMEs (or a busy 4300) never collide; server.json tells everyone which.
  const stdout = await runServerCommand(deps, home, ["start", "--json", "--port", "0"]);
  let url: unknown;
  try {
    url = (JSON.parse(stdout) as { url?: unknown }).url;
  } catch {
    // Reported below with what the command printed.
  }
  if (typeof url !== "string") throw new Error(`'skein server start' printed no server URL: ${stdout.trim()}`);
  return url;
}

/** Stops the local server of `home` (`skein server stop`); resolves to what the command printed. */
export async function stopLocalServer(deps: LocalServerDeps, home: string): Promise<string> {
  return (await runServerCommand(deps, home, ["stop"])).trim();
}

async function runServerCommand(deps: LocalServerDeps, home: string, args: string[]): Promise<string> {
  const runtime = await deps.runtime();
  const child = deps.spawn(runtime.command, [deps.cliPath, "server", ...args], {
    env: { ...process.env, ...runtime.env, SKEIN_HOME: home },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", resolve);
  });
  if (code !== 0) throw new Error(`'skein server ${args[0]}' failed (exit ${code}): ${(stderr || stdout).trim()}`);
  return stdout;
}
