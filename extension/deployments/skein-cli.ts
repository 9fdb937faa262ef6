// The `skein` CLI as the editor runs it for one-shot commands (deploy, work-pool create): the extension's Node
// runtime with the SKEIN_HOME the views show, in the workspace folder, output captured. Deploying goes through
// the CLI rather than the API because only the CLI resolves entrypoints and derives parameter schemas from the
// TypeScript signature (cli/parameter-schemas.ts), the same way as `skein deploy` in a terminal.
import { execFile } from "node:child_process";
import type { NodeRuntime } from "../runs/node-runtime.ts";

export interface SkeinCli {
  /** The Node.js runtime, its env including SKEIN_HOME. */
  runtime: () => Promise<NodeRuntime>;
  /** dist/engine/cli.mjs of the extension. */
  cliPath: string;
}

export interface CliResult {
  /** The exit code; null when the process died of a signal. */
  code: number | null;
  stdout: string;
  stderr: string;
}

export async function runSkeinCli(cli: SkeinCli, args: string[], cwd: string): Promise<CliResult> {
  const runtime = await cli.runtime();
  return new Promise((resolve) => {
    execFile(
      runtime.command,
      [cli.cliPath, ...args],
      { cwd, env: { ...process.env, ...runtime.env }, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : null) : 0;
        resolve({
          code,
          stdout: String(stdout),
          stderr: String(stderr) || (error && code === null ? error.message : ""),
        });
      },
    );
  });
}

/** A problem the CLI printed as `file:line:col: severity: message` (skein deploy's located errors). */
export interface LocatedProblem {
  file: string;
  line: number;
  column: number;
  severity: "error" | "warning";
  message: string;
}

export function locatedProblems(stderr: string): LocatedProblem[] {
  const problems: LocatedProblem[] = [];
  for (const line of stderr.split("\n")) {
    const match = /^(.+?):(\d+):(\d+): (error|warning): (.*)$/.exec(line.trim());
    if (match)
      problems.push({
        file: match[1],
        line: Number(match[2]),
        column: Number(match[3]),
        severity: match[4] as "error" | "warning",
        message: match[5],
      });
  }
  return problems;
}
