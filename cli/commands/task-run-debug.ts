// `skein task-run inputs TASK_RUN` prints what a task run was called with (or why that was not recorded), and
// `skein task-run debug TASK_RUN` runs that task's function once more with those inputs, in this process: the
// editor's "Debug Task Again" launches exactly this command under VS Code's Node debugger, and since the flow
// file is bundled as `skein run` bundles it (inline source maps), breakpoints in the task's .ts file bind.
// The task is found in the code of the flow run's entrypoint by its task key (by its name and file when the code
// has moved since); the run is recorded as a flow run of its own (engine/task-debug.ts).
import { parseInputs } from "./flow-run-rerun.ts";
import { collect } from "./repeatable-option.ts";
import type { Command } from "commander";
import { Option } from "commander";
import { debugTaskRun } from "../../engine/task-debug.ts";
import { definedTaskKeys, findDefinedTask } from "../../engine/task.ts";
import { recordedArguments } from "../../engine/task-inputs.ts";
import { parseTaskKey } from "../../protocol/task-keys.ts";
import type { TaskRunInputsRecord, TaskRunRecord } from "../../store/types.ts";
import type { EngineEntries } from "../bundle.ts";
import type { OutputMode } from "../printer.ts";
import { runFromFlowFile } from "../run.ts";
import { type CliStore, withCliStore } from "./connection.ts";
import { printJson, printLine } from "./output.ts";

/** `task-run debug` exits with this when the task run's inputs were not recorded (nothing to run it with). */
export const NO_RECORDED_INPUTS_EXIT_CODE = 4;

export function registerTaskRunDebug(group: Command, engineEntries: () => EngineEntries): void {
  group
    .command("inputs")
    .argument("<task-run-id>")
    .description("What a task run was called with, by parameter name (or why it was not recorded)")
    .option("--json", "as JSON: { taskRunId, inputs: {name: value} | null, notStoredReason }")
    .action((taskRunId: string, options: { json?: boolean }) =>
      withCliStore(async (cli) => {
        const { taskRun, recorded } = await taskRunWithInputs(cli, taskRunId);
        const inputs = recorded.inputs === null ? null : recordedArguments(recorded.inputs);
        if (options.json) return printJson({ ...recorded, inputs });
        if (!inputs) {
          process.exitCode = NO_RECORDED_INPUTS_EXIT_CODE;
          return printLine(notRecordedMessage(taskRun, recorded));
        }
        printLine(`Inputs of task run '${taskRun.name}' (${taskRun.id}):`);
        for (const [name, value] of Object.entries(inputs)) printLine(`  ${name} = ${display(value)}`);
      }),
    );

  group
    .command("debug")
    .argument("<task-run-id>")
    .description(
      "Run the task of a task run once more with the inputs recorded for it, as a flow run of its own (no retries, " +
        "no timeout, no cache); run it under a debugger to stop at breakpoints inside the task",
    )
    .option(
      "--input <name=json>",
      "give one of the task's inputs, by parameter name, over the recorded one (parsed as JSON when it is JSON, else a string); repeatable",
      collect,
    )
    .addOption(new Option("--output <mode>", "text or jsonl").choices(["text", "jsonl"]).default("text"))
    .addHelpText(
      "after",
      `\nExit codes: as \`skein run\` (0 when the task completed), and ${NO_RECORDED_INPUTS_EXIT_CODE} when the task run's inputs were not recorded and no --input gives them.`,
    )
    .action(async (taskRunId: string, options: { output: OutputMode; input?: string[] }) => {
      const given = parseInputs(options.input ?? []);
      const found = await withCliStore(async (cli) => {
        const { taskRun, recorded } = await taskRunWithInputs(cli, taskRunId);
        const flowRun = await cli.store.getFlowRun(taskRun.flowRunId);
        return { taskRun, recorded, entrypoint: flowRun?.entrypoint ?? null };
      });
      const { taskRun, recorded, entrypoint } = found;
      if (recorded.inputs === null && !given) {
        process.stderr.write(`skein: ${notRecordedMessage(taskRun, recorded)}\n`);
        process.exitCode = NO_RECORDED_INPUTS_EXIT_CODE;
        return;
      }
      if (!entrypoint) {
        throw new Error(
          `The flow run of task run '${taskRun.name}' was not started by 'skein run' (a subflow run, or started from a script), so where its code is is unknown`,
        );
      }
      const inputs = { ...(recorded.inputs === null ? {} : recordedArguments(recorded.inputs)), ...given };
      process.exitCode = await runFromFlowFile(entrypoint, options.output, engineEntries(), async () => {
        const task = findDefinedTask(taskRun.taskKey);
        if (!task) throw new Error(missingTaskMessage(taskRun, entrypoint));
        return debugTaskRun(task, inputs, taskRun.name);
      });
    });
}

async function taskRunWithInputs(
  cli: CliStore,
  taskRunId: string,
): Promise<{ taskRun: TaskRunRecord; recorded: TaskRunInputsRecord }> {
  const [taskRun, recorded] = await Promise.all([
    cli.store.getTaskRun(taskRunId),
    cli.store.getTaskRunInputs(taskRunId),
  ]);
  if (!taskRun || !recorded) throw new Error(`No task run with id ${taskRunId} in ${cli.via}`);
  return { taskRun, recorded };
}

function notRecordedMessage(taskRun: TaskRunRecord, recorded: TaskRunInputsRecord): string {
  const why =
    recorded.notStoredReason ??
    "it recorded none (it never got its upstream values, or it ran before Skein recorded inputs)";
  return `Task run '${taskRun.name}' (${taskRun.id}) has no recorded inputs: ${why}`;
}

function missingTaskMessage(taskRun: TaskRunRecord, entrypoint: string): string {
  const { name, site } = parseTaskKey(taskRun.taskKey);
  const sameName = definedTaskKeys().filter((key) => parseTaskKey(key).name === name);
  return (
    `The code of ${entrypoint} defines no task '${name}'${site ? ` in ${site.file}` : ""} any more` +
    (sameName.length ? ` (tasks of that name: ${sameName.join(", ")})` : "")
  );
}

function display(value: unknown): string {
  if (value === undefined) return "undefined";
  try {
    return JSON.stringify(value, (_, v) => (typeof v === "bigint" ? `${v}n` : v)) ?? String(value);
  } catch {
    return String(value);
  }
}
