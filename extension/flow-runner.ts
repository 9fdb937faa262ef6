// Runs one flow as a child process of the engine's CLI (`skein run FILE:EXPORT`), streaming its output.
// A user's flow never runs inside the extension host: a crash or a busy loop there would take the editor down.
import type { ChildProcess, spawn as spawnFunction } from "node:child_process";
import type { RunEvent } from "../protocol/run-events.ts";
import { createRunEventFormatter } from "../protocol/run-event-text.ts";
import type { NodeRuntime } from "./node-runtime.ts";
import { RunEventReader, type RunOutputItem } from "./run-event-reader.ts";

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
  /** What the run showed the user: its events as text lines, then anything else it printed, as it arrived. */
  output: string;
  /** The run events, in the order the engine emitted them. */
  events: RunEvent[];
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
  const args = ["run", `${request.file}:${request.exportPath}`, "--output", "jsonl"];
  if (request.parameters && Object.keys(request.parameters).length > 0) {
    args.push("--params", JSON.stringify(request.parameters));
  }
  return args;
}

export class FlowRunner {
  constructor(private readonly deps: FlowRunnerDeps) {}

  /** Starts the run; `onEvents` receives each batch of run events as it arrives (for live views). */
  run(request: RunRequest, onEvents?: (events: RunEvent[]) => void): RunHandle {
    const { spawn, runtime, cliPath, output } = this.deps;
    const child = spawn(runtime.command, [cliPath, ...cliArguments(request)], {
      cwd: request.cwd,
      env: { ...(this.deps.env ?? process.env), ...runtime.env, FORCE_COLOR: "0" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let captured = "";
    const events: RunEvent[] = [];
    const show = (text: string) => {
      captured += text;
      output.append(text);
    };
    const format = createRunEventFormatter();
    const reader = new RunEventReader();
    let rootFlowRunId: string | undefined;
    const take = (items: RunOutputItem[]) => {
      const batch: RunEvent[] = [];
      for (const item of items) {
        if ("text" in item) {
          show(`${item.text}\n`);
          continue;
        }
        const event = item.event;
        batch.push(event);
        if (event.kind === "flow-run-created" && !event.parentFlowRunId) rootFlowRunId ??= event.flowRunId;
        const line = format(event);
        if (line !== undefined) show(`${line}\n`);
        if (
          event.kind === "state" &&
          event.runId === rootFlowRunId &&
          event.state.type === "COMPLETED" &&
          event.result !== undefined
        ) {
          show(`Result: ${event.result}\n`);
        }
      }
      events.push(...batch);
      if (batch.length > 0) onEvents?.(batch);
    };
    child.stdout?.on("data", (chunk: Buffer) => take(reader.push(chunk.toString("utf8"))));
    child.stdout?.on("end", () => take(reader.end()));
    child.stderr?.on("data", (chunk: Buffer) => show(chunk.toString("utf8")));
    const done = new Promise<RunOutcome>((resolve) => {
      child.on("error", (error) => {
        show(`Could not start the run: ${error.message}\n`);
        resolve({ exitCode: null, signal: null, output: captured, events });
      });
      child.on("close", (exitCode, signal) => resolve({ exitCode, signal, output: captured, events }));
    });
    return { child, done, cancel: () => child.kill("SIGINT") };
  }
}
