// `skein flow-run ls | inspect | logs | cancel | retry`: flow runs in the store of SKEIN_HOME.
import type { Command } from "commander";
import { closeRuntime, getStore } from "../runtime.ts";
import { formatState } from "../states.ts";
import type { EngineEntries } from "./bundle.ts";
import { runCommand } from "./run.ts";

const print = (line: string) => process.stdout.write(`${line}\n`);

export function registerFlowRunCommands(program: Command, engineEntries: () => EngineEntries): void {
  const group = program.command("flow-run").description("Inspect, cancel and retry flow runs");

  group
    .command("ls")
    .description("Latest flow runs (runs whose process died are marked Crashed first)")
    .option("--flow <name>", "only runs of this flow")
    .option("--limit <n>", "how many", "20")
    .option("--json", "as JSON")
    .action(async (options) => {
      const store = getStore();
      await store.markDeadRunsCrashed();
      const runs = await store.listFlowRuns({ flowName: options.flow, limit: Number(options.limit) });
      if (options.json) print(JSON.stringify(runs, null, 2));
      else for (const run of runs) print(`${run.id}  ${run.flowName}/${run.name}  ${formatState(run.state)}  ${run.createdAt}`);
      await closeRuntime();
    });

  group
    .command("inspect")
    .argument("<id>")
    .description("A flow run with its task runs, as JSON")
    .action(async (id: string) => {
      const store = getStore();
      await store.markDeadRunsCrashed();
      const run = await requireRun(id);
      const taskRuns = await store.listTaskRuns(id);
      print(JSON.stringify({ ...run, alive: await store.isFlowRunAlive(id), taskRuns }, null, 2));
      await closeRuntime();
    });

  group
    .command("logs")
    .argument("<id>")
    .description("The logs of a flow run")
    .action(async (id: string) => {
      await requireRun(id);
      for (const log of await getStore().listLogs(id)) print(`${log.timestamp} | ${log.level.toUpperCase().padEnd(8)} | ${log.message}`);
      await closeRuntime();
    });

  group
    .command("cancel")
    .argument("<id>")
    .description("Ask the run's process to cancel it; the run ends Cancelled")
    .action(async (id: string) => {
      const run = await requireRun(id);
      if (["COMPLETED", "FAILED", "CANCELLED", "CRASHED"].includes(run.state.type)) {
        throw new Error(`Flow run '${run.name}' already finished in state ${formatState(run.state)}`);
      }
      await getStore().requestCancellation(id);
      print(`Cancellation requested for flow run '${run.name}' (${id})`);
      await closeRuntime();
    });

  group
    .command("retry")
    .argument("<id>")
    .description("Run a failed flow run again from its entrypoint; completed task results are reused")
    .option("--output <mode>", "text or jsonl", "text")
    .action(async (id: string, options) => {
      const run = await requireRun(id);
      if (!run.entrypoint) throw new Error(`Flow run '${run.name}' was not started by 'skein run', so its entrypoint is unknown`);
      await closeRuntime();
      process.exitCode = await runCommand(run.entrypoint, { params: JSON.stringify(run.parameters), output: options.output, flowRunId: id }, engineEntries());
    });
}

async function requireRun(id: string) {
  const run = await getStore().getFlowRun(id);
  if (!run) throw new Error(`No flow run with id ${id} in ${getStore().location}`);
  return run;
}
