// Which Node.js runs the user's flows. Flows need node:sqlite (Node >= 22.13): by default we reuse the runtime
// of VS Code's extension host (Electron's Node, started as plain Node), else the `skein.nodePath` setting.
import { execFile } from "node:child_process";
import { promisify } from "node:util";

export const MINIMUM_NODE = [22, 13] as const;

export interface NodeRuntime {
  /** Executable to spawn. */
  command: string;
  /** Environment additions needed to run it as plain Node. */
  env: Record<string, string>;
  version: string;
}

export function isSupportedNodeVersion(version: string): boolean {
  const [major, minor] = version.replace(/^v/, "").split(".").map(Number);
  return major > MINIMUM_NODE[0] || (major === MINIMUM_NODE[0] && minor >= MINIMUM_NODE[1]);
}

/** Resolves the runtime; rejects with a message that says how to fix an unsupported or missing Node. */
export async function resolveNodeRuntime(configuredPath: string): Promise<NodeRuntime> {
  const runtime: NodeRuntime = configuredPath
    ? { command: configuredPath, env: {}, version: await versionOf(configuredPath) }
    : { command: process.execPath, env: { ELECTRON_RUN_AS_NODE: "1" }, version: process.versions.node };
  if (!isSupportedNodeVersion(runtime.version)) {
    throw new Error(
      `Skein needs Node.js ${MINIMUM_NODE.join(".")} or later to run flows, but ${runtime.command} is ${runtime.version}. ` +
        `Set "skein.nodePath" to a newer Node.js.`,
    );
  }
  return runtime;
}

async function versionOf(command: string): Promise<string> {
  try {
    const { stdout } = await promisify(execFile)(command, ["-p", "process.versions.node"], { timeout: 10_000 });
    return stdout.trim();
  } catch (error) {
    throw new Error(`"skein.nodePath" is set to ${command}, which could not be run: ${(error as Error).message}`);
  }
}
