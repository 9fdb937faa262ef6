// Debug launch configurations. The lens's Debug, Debug with parameters and Debug task again all become one node
// launch of the engine's CLI (nodeLaunchConfiguration); the `skein` launch type users put in launch.json
// ({ type: "skein", request: "launch", flow: "file.ts:export", parameters?, env?, args? }) resolves to the same.
import path from "node:path";
import { parseEntrypoint } from "../../protocol/entrypoints.ts";
import type { NodeRuntime } from "../runs/node-runtime.ts";

export interface SkeinLaunchConfiguration {
  type: "skein";
  request: "launch";
  name: string;
  /** `path/to/file.ts:exportName`, relative to the workspace folder. */
  flow: string;
  parameters?: Record<string, unknown>;
  env?: Record<string, string>;
  /** More arguments for `skein run`. */
  args?: string[];
}

export interface NodeLaunchRequest {
  name: string;
  runtime: NodeRuntime;
  cliPath: string;
  cliArgs: string[];
  cwd: string;
  env?: Record<string, string>;
}

/** js-debug's `node` launch of the CLI; breakpoints bind in the user's .ts through the bundle's inline source maps. */
export function nodeLaunchConfiguration(request: NodeLaunchRequest): Record<string, unknown> {
  return {
    type: "node",
    request: "launch",
    name: request.name,
    runtimeExecutable: request.runtime.command,
    env: { ...request.runtime.env, ...request.env },
    program: request.cliPath,
    args: request.cliArgs,
    cwd: request.cwd,
    sourceMaps: true,
    resolveSourceMapLocations: null,
    // The bundle lives in SKEIN_HOME, outside the workspace globs js-debug pre-scans: wait for each script's source
    // map so breakpoints in the .ts bind before the flow's code runs.
    pauseForSourceMap: true,
    skipFiles: ["<node_internals>/**", `${path.dirname(request.cliPath)}/**`],
    console: "internalConsole",
    // Stopping the session must not kill the process: the extension cancels the run through the back-channel, so
    // it ends Cancelled with its onCancellation hooks (and kills it only if it does not end by itself).
    killBehavior: "none",
  };
}

/** Checks a `skein` launch configuration; the error names the field to fix. */
export function checkSkeinLaunch(
  config: Record<string, unknown>,
  folder: string | undefined,
): {
  file: string;
  exportPath: string;
  parameters?: Record<string, unknown>;
  env: Record<string, string>;
  args: string[];
} {
  const entry = typeof config.flow === "string" ? parseEntrypoint(config.flow) : undefined;
  if (!entry) throw new Error(`"flow" must be "path/to/file.ts:exportName", got ${JSON.stringify(config.flow)}`);
  const { parameters, env = {}, args = [] } = config;
  if (parameters !== undefined && (typeof parameters !== "object" || parameters === null || Array.isArray(parameters)))
    throw new Error(`"parameters" must be an object of parameter values`);
  if (typeof env !== "object" || env === null || Object.values(env).some((v) => typeof v !== "string"))
    throw new Error(`"env" must be an object of strings`);
  if (!Array.isArray(args) || args.some((a) => typeof a !== "string"))
    throw new Error(`"args" must be a list of strings`);
  const file = path.isAbsolute(entry.file) ? entry.file : path.join(folder ?? process.cwd(), entry.file);
  return {
    file,
    exportPath: entry.exportPath,
    parameters: parameters as Record<string, unknown> | undefined,
    env: env as Record<string, string>,
    args: args as string[],
  };
}
