// `skein flow-run rerun RUN --from-task TASK_RUN [--input NAME=JSON ...]`: a new flow run of RUN's entrypoint and
// parameters that reuses RUN's stored results for every task run that is neither the selected one nor downstream
// of it (cli/rerun-plan.ts), and runs the selected task again, with the edited inputs replacing its recorded ones
// by parameter name, and everything downstream of it. It writes where `skein run` writes.
import { collect } from "./repeatable-option.ts";
import type { Command } from "commander";
import { Option } from "commander";
import { recordedArguments, unknownInputMessage } from "../../engine/task-inputs.ts";
import { parseTaskKey } from "../../protocol/task-keys.ts";
import type { EngineEntries } from "../bundle.ts";
import type { OutputMode } from "../printer.ts";
import { planRerun, type RerunPlan } from "../rerun-plan.ts";
import { parseValue, runCommand } from "../run.ts";
import { type CliStore, withCliStore } from "./connection.ts";

interface RerunOptions {
  fromTask: string;
  input?: string[];
  output: OutputMode;
}

export function registerFlowRunRerun(group: Command, engineEntries: () => EngineEntries): void {
  group
    .command("rerun")
    .argument("<flow-run-id>")
    .description(
      "Run a flow run's entrypoint again as a new flow run from one of its task runs: that task and everything " +
        "downstream of it run again, every other task run's stored result is reused",
    )
    .requiredOption("--from-task <task-run-id>", "the task run to rerun from (`skein task-run ls FLOW_RUN_ID`)")
    .option(
      "--input <name=json>",
      "replace one of that task's inputs, by parameter name (parsed as JSON when it is JSON, else a string); repeatable",
      collect,
    )
    .addOption(new Option("--output <mode>", "text or jsonl").choices(["text", "jsonl"]).default("text"))
    .action(async (flowRunId: string, options: RerunOptions) => {
      const edits = parseInputs(options.input ?? []);
      const { entrypoint, parameters, plan } = await withCliStore((cli) =>
        prepareRerun(cli, flowRunId, options, edits),
      );
      if (options.output === "text") {
        const reruns = plan.rerun.length - 1;
        process.stdout.write(
          `Rerunning flow run ${flowRunId} from task run '${plan.selected.name}': reusing ${plan.reuse.length} stored ` +
            `result${plan.reuse.length === 1 ? "" : "s"}, running it${reruns ? ` and ${reruns} task run${reruns === 1 ? "" : "s"} downstream` : ""} again\n`,
        );
      }
      if (plan.unstored.length) {
        const names = plan.unstored.map((run) => `'${run.name}'`).join(", ");
        process.stderr.write(
          `skein: warning: ${names} completed without a stored result, so ${plan.unstored.length === 1 ? "it runs" : "they run"} again (give ${plan.unstored.length === 1 ? "its task" : "their tasks"} persistResult: true to reuse ${plan.unstored.length === 1 ? "it" : "them"})\n`,
        );
      }
      const { selected } = plan;
      process.exitCode = await runCommand(
        entrypoint,
        {
          params: JSON.stringify(parameters),
          output: options.output,
          reuse: {
            taskRuns: plan.reuse,
            edit: edits ? { taskKey: selected.taskKey, dynamicKey: selected.dynamicKey, inputs: edits } : undefined,
          },
        },
        engineEntries(),
      );
    });
}

async function prepareRerun(
  cli: CliStore,
  flowRunId: string,
  options: RerunOptions,
  edits: Record<string, unknown> | undefined,
): Promise<{ entrypoint: string; parameters: Record<string, unknown>; plan: RerunPlan }> {
  const run = await cli.store.getFlowRun(flowRunId);
  if (!run) throw new Error(`No flow run with id ${flowRunId} in ${cli.via}`);
  if (!run.entrypoint) {
    throw new Error(
      `Flow run '${run.name}' was not started by 'skein run' (a subflow run, or started from a script), so its entrypoint is unknown`,
    );
  }
  const selected = await cli.store.getTaskRun(options.fromTask);
  if (!selected) throw new Error(`No task run with id ${options.fromTask} in ${cli.via}`);
  if (selected.flowRunId !== flowRunId) {
    throw new Error(
      `Task run '${selected.name}' (${selected.id}) belongs to flow run ${selected.flowRunId}, not to ${flowRunId}`,
    );
  }
  const plan = planRerun(await cli.store.listTaskRuns(flowRunId), selected.id, flowRunId);
  if (edits) {
    // The recorded inputs name every parameter of the task; without them the engine checks the names when it runs.
    const recorded = await cli.store.getTaskRunInputs(selected.id);
    if (recorded?.inputs) {
      const known = Object.keys(recordedArguments(recorded.inputs));
      const task = parseTaskKey(selected.taskKey).name;
      for (const name of Object.keys(edits)) {
        if (!known.includes(name)) throw new Error(unknownInputMessage(task, name, known));
      }
    }
  }
  return { entrypoint: run.entrypoint, parameters: run.parameters, plan };
}

/** `--input name=json` options as edits by parameter name (shared with `task-run debug`). */
export function parseInputs(pairs: readonly string[]): Record<string, unknown> | undefined {
  if (pairs.length === 0) return undefined;
  const edits: Record<string, unknown> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf("=");
    if (eq <= 0) throw new Error(`--input expects name=json, got '${pair}'`);
    // An own property even for "__proto__" (see run.ts setParameter).
    Object.defineProperty(edits, pair.slice(0, eq), {
      value: parseValue(pair.slice(eq + 1)),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return edits;
}
