// Where the palette's run and task pickers read runs from. Behind a small interface so the integrator can switch
// it to the explorer's API connection; until then the CLI answers (`skein flow-run ls --json`, `task-run ls`,
// `task-run inputs`), reading the same store as every other command.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import type { NodeRuntime } from "./node-runtime.ts";

export interface RunStateSummary {
  type: string;
  name: string;
}

export interface FlowRunSummary {
  id: string;
  name: string;
  flowName: string;
  state: RunStateSummary;
  createdAt: string;
}

export interface TaskRunSummary {
  id: string;
  name: string;
  state: RunStateSummary;
  createdAt: string;
}

export interface RunCatalog {
  /** The latest flow runs, newest first; only these state types when given. */
  flowRuns(stateTypes?: string[]): Promise<FlowRunSummary[]>;
  taskRuns(flowRunId: string): Promise<TaskRunSummary[]>;
  /** The inputs recorded for a task run, by parameter name; undefined when none were recorded. */
  taskRunInputs(taskRunId: string): Promise<Record<string, unknown> | undefined>;
}

/** How many runs the picker offers. */
const PICKER_RUNS = 50;

export class CliRunCatalog implements RunCatalog {
  constructor(
    private readonly runtime: () => Promise<NodeRuntime>,
    private readonly cliPath: string,
    private readonly cwd: () => string,
  ) {}

  async flowRuns(stateTypes?: string[]): Promise<FlowRunSummary[]> {
    const args = ["flow-run", "ls", "--json", "--limit", String(PICKER_RUNS)];
    if (stateTypes?.length) args.push("--state", stateTypes.join(","));
    return (await this.json(args)) as FlowRunSummary[];
  }

  async taskRuns(flowRunId: string): Promise<TaskRunSummary[]> {
    return (await this.json(["task-run", "ls", flowRunId, "--json"])) as TaskRunSummary[];
  }

  async taskRunInputs(taskRunId: string): Promise<Record<string, unknown> | undefined> {
    const { inputs } = (await this.json(["task-run", "inputs", taskRunId, "--json"])) as { inputs?: unknown };
    return typeof inputs === "object" && inputs !== null && !Array.isArray(inputs)
      ? (inputs as Record<string, unknown>)
      : undefined;
  }

  private async json(args: string[]): Promise<unknown> {
    const runtime = await this.runtime();
    const { stdout } = await promisify(execFile)(runtime.command, [this.cliPath, ...args], {
      cwd: this.cwd(),
      env: { ...process.env, ...runtime.env },
      maxBuffer: 64 * 1024 * 1024,
    });
    return JSON.parse(stdout);
  }
}
