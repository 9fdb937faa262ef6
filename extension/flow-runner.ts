// Runs one flow as a child process of the engine's CLI (`skein run FILE:EXPORT`), streaming its output.
// A user's flow never runs inside the extension host: a crash or a busy loop there would take the editor down.
import type { ChildProcess, spawn as spawnFunction } from "node:child_process";
import type { NodeRuntime } from "./node-runtime";

export interface OutputSink {
  append(text: string): void;
}

export interface RunRequest {
  file: string;
  exportPath: string;
  parameters?: Record<string, unknown>;
  cwd: string;
}

export interface RunOutcome {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** Everything the run printed, stdout and stderr interleaved as they arrived. */
  output: string;
}

export interface RunHandle {
  child: ChildProcess;
  done: Promise<RunOutcome>;
  /** Asks the run to stop: the engine ends it Cancelled and runs its onCancellation hooks. */
  cancel(): void;
}

export interface FlowRunnerDeps {
  spawn: typeof spawnFunction;
  runtime: NodeRuntime;
  /** Path of the engine's CLI bundle (dist/engine/cli.mjs). */
  cliPath: string;
  output: OutputSink;
  env?: NodeJS.ProcessEnv;
}

export function cliArguments(request: RunRequest): string[] {
  const args = ["run", `${request.file}:${request.exportPath}`];
  if (request.parameters && Object.keys(request.parameters).length > 0) {
    args.push("--params", JSON.stringify(request.parameters));
  }
  return args;
}

export class FlowRunner {
  constructor(private readonly deps: FlowRunnerDeps) {}

  run(request: RunRequest): RunHandle {
    const { spawn, runtime, cliPath, output } = this.deps;
    const child = spawn(runtime.command, [cliPath, ...cliArguments(request)], {
      cwd: request.cwd,
      env: { ...(this.deps.env ?? process.env), ...runtime.env, FORCE_COLOR: "0" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let captured = "";
    const collect = (chunk: Buffer) => {
      const text = chunk.toString("utf8");
      captured += text;
      output.append(text);
    };
    child.stdout?.on("data", collect);
    child.stderr?.on("data", collect);
    const done = new Promise<RunOutcome>((resolve) => {
      child.on("error", (error) => {
        collect(Buffer.from(`Could not start the run: ${error.message}\n`));
        resolve({ exitCode: null, signal: null, output: captured });
      });
      child.on("close", (exitCode, signal) => resolve({ exitCode, signal, output: captured }));
    });
    return { child, done, cancel: () => child.kill("SIGINT") };
  }
}
