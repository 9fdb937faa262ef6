// Runs the engine's CLI as a child process (`skein run FILE:EXPORT --output jsonl`, `skein flow-run retry ID`, ...),
// streaming its events and output. A user's flow never runs inside the extension host: a crash or a busy loop there
// would take the editor down.
import type { ChildProcess, spawn as spawnFunction } from "node:child_process";
import type { RunEvent } from "../../protocol/run-events.ts";
import type { NodeRuntime } from "./node-runtime.ts";
import { RunEventReader, type RunOutputItem } from "./run-event-reader.ts";
import { createRunLogWriter, type RunLog } from "./run-log.ts";

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
  /** The flow run the command started (or retried); undefined when it never got that far. */
  rootFlowRunId: string | undefined;
}

export interface RunHandle {
  child: ChildProcess;
  done: Promise<RunOutcome>;
  /** Asks the run to stop (SIGINT): the engine ends it Cancelled and runs its onCancellation hooks. */
  cancel(): void;
}

export interface FlowRunnerDeps {
  spawn: typeof spawnFunction;
  runtime: NodeRuntime;
  /** Path of the engine's CLI bundle (dist/engine/cli.mjs). */
  cliPath: string;
  log: RunLog;
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
    return this.runCli(cliArguments(request), request.cwd, onEvents);
  }

  /** Any CLI command that runs flows with `--output jsonl` (run, flow-run retry / rerun). */
  runCli(args: string[], cwd: string, onEvents?: (events: RunEvent[]) => void): RunHandle {
    const { spawn, runtime, cliPath, log } = this.deps;
    const child = spawn(runtime.command, [cliPath, ...args], {
      cwd,
      env: { ...(this.deps.env ?? process.env), ...runtime.env, FORCE_COLOR: "0" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let captured = "";
    const events: RunEvent[] = [];
    const keep = (text: string) => {
      captured += `${text}\n`;
    };
    const writeEvent = createRunLogWriter(log);
    const reader = new RunEventReader();
    let rootFlowRunId: string | undefined;
    const take = (items: RunOutputItem[]) => {
      const batch: RunEvent[] = [];
      for (const item of items) {
        if ("text" in item) {
          // What the flow printed itself (console.log without logPrints).
          log.write("info", item.text);
          keep(item.text);
          continue;
        }
        const event = item.event;
        batch.push(event);
        // The first event is the root flow run's: its creation, or for a retry (whose run exists) its new state.
        rootFlowRunId ??= event.flowRunId;
        for (const line of writeEvent(event, rootFlowRunId)) keep(line);
      }
      events.push(...batch);
      if (batch.length > 0) onEvents?.(batch);
    };
    child.stdout?.on("data", (chunk: Buffer) => take(reader.push(chunk.toString("utf8"))));
    child.stdout?.on("end", () => take(reader.end()));
    child.stderr?.on("data", (chunk: Buffer) => {
      const text = chunk.toString("utf8");
      captured += text;
      for (const line of text.split("\n")) if (line) log.write("error", line);
    });
    const done = new Promise<RunOutcome>((resolve) => {
      child.on("error", (error) => {
        const message = `Could not start the run: ${error.message}`;
        log.write("error", message);
        keep(message);
        resolve({ exitCode: null, signal: null, output: captured, events, rootFlowRunId });
      });
      child.on("close", (exitCode, signal) => resolve({ exitCode, signal, output: captured, events, rootFlowRunId }));
    });
    return { child, done, cancel: () => child.kill("SIGINT") };
  }
}
