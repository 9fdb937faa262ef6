// `skein task-run ls|inspect|logs|inputs|debug`: the task runs of a flow run, one task run (found by its id alone)
// with its state history, and its logs; inputs and debug live in task-run-debug.ts.
import type { Command } from "commander";
import { LOG_LEVELS } from "../../protocol/run-events.ts";
import type { TaskRunRecord } from "../../store/types.ts";
import type { EngineEntries } from "../bundle.ts";
import { withCliStore, type CliStore } from "./connection.ts";
import { registerTaskRunDebug } from "./task-run-debug.ts";
import { logLine, minimumLevel, printJson, printLine, printTable, shortTime } from "./output.ts";

const FLOW_RUN_OPTION = "the flow run the task run belongs to (optional: checked when given)";

export function register(program: Command, engineEntries: () => EngineEntries): void {
  const group = program
    .command("task-run")
    .description("Task runs of a flow run: list, inspect, logs, recorded inputs, debug again");

  group
    .command("ls")
    .argument("<flow-run-id>")
    .description("The task runs of a flow run")
    .option("--state <types>", "only these state types, comma-separated (e.g. FAILED,CRASHED)")
    .option("--json", "as JSON")
    .action((flowRunId: string, options: { state?: string; json?: boolean }) =>
      withCliStore(async (cli) => {
        await requireFlowRun(cli, flowRunId);
        const wanted = options.state?.toUpperCase().split(",");
        const taskRuns = (await cli.store.listTaskRuns(flowRunId)).filter(
          (t) => !wanted || wanted.includes(t.state.type),
        );
        if (options.json) return printJson(taskRuns);
        printTable(
          ["ID", "NAME", "STATE", "CREATED"],
          taskRuns.map((t) => [t.id, t.name, t.state.name, shortTime(t.createdAt)]),
        );
      }),
    );

  group
    .command("inspect")
    .argument("<task-run-id>")
    .option("--flow-run <id>", FLOW_RUN_OPTION)
    .description("A task run with its state history")
    .option("--json", "as JSON")
    .action((taskRunId: string, options: { flowRun?: string; json?: boolean }) =>
      withCliStore(async (cli) => {
        const taskRun = await requireTaskRun(cli, taskRunId, options.flowRun);
        const states = await cli.store.listStates(taskRunId);
        if (options.json) return printJson({ ...taskRun, states });
        printLine(`Task run '${taskRun.name}' (${taskRun.id}) of flow run ${taskRun.flowRunId}`);
        printLine(`  state:    ${taskRun.state.name}${taskRun.state.message ? ` - ${taskRun.state.message}` : ""}`);
        printLine(`  task key: ${taskRun.taskKey} #${taskRun.dynamicKey}`);
        printLine(`  tags:     ${taskRun.tags.join(", ") || "(none)"}`);
        printLine(`  upstream: ${taskRun.upstream.join(", ") || "(none)"}`);
        printLine();
        printTable(
          ["TIME", "STATE", "MESSAGE"],
          states.map((s) => [shortTime(s.timestamp), s.name, s.message ?? ""]),
        );
      }),
    );

  group
    .command("logs")
    .argument("<task-run-id>")
    .option("--flow-run <id>", FLOW_RUN_OPTION)
    .option("--level <level>", `minimum level (${LOG_LEVELS.join(", ")})`)
    .option("--json", "as JSON")
    .description("The logs of a task run")
    .action((taskRunId: string, options: { flowRun?: string; level?: string; json?: boolean }) =>
      withCliStore(async (cli) => {
        const minimum = minimumLevel(options.level);
        const taskRun = await requireTaskRun(cli, taskRunId, options.flowRun);
        const logs = (await cli.store.listLogs(taskRun.flowRunId)).filter(
          (log) => log.taskRunId === taskRunId && LOG_LEVELS.indexOf(log.level) >= minimum,
        );
        if (options.json) return printJson(logs);
        for (const log of logs) printLine(logLine(log));
      }),
    );

  registerTaskRunDebug(group, engineEntries);
}

async function requireFlowRun(cli: CliStore, flowRunId: string): Promise<void> {
  if (!(await cli.store.getFlowRun(flowRunId))) throw new Error(`no flow run with id ${flowRunId} in ${cli.via}`);
}

/** The task run with this id; when `flowRunId` is given (scripts written when it was required), it must be its. */
async function requireTaskRun(cli: CliStore, taskRunId: string, flowRunId?: string): Promise<TaskRunRecord> {
  const taskRun = await cli.store.getTaskRun(taskRunId);
  if (flowRunId !== undefined && taskRun?.flowRunId !== flowRunId) {
    await requireFlowRun(cli, flowRunId);
    throw new Error(`flow run ${flowRunId} has no task run ${taskRunId}`);
  }
  if (!taskRun) throw new Error(`no task run with id ${taskRunId} in ${cli.via}`);
  return taskRun;
}
