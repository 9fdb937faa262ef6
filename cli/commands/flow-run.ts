// `skein flow-run ls | inspect | logs | cancel | retry | rerun | delete`: flow runs in the CLI's store
// (connection.ts); rerun lives in flow-run-rerun.ts, delete in flow-run-delete.ts.
import type { Command } from "commander";
import { LOG_LEVELS } from "../../protocol/run-events.ts";
import { formatState, isFinal } from "../../protocol/states.ts";
import type { FlowRunRecord } from "../../store/types.ts";
import type { EngineEntries } from "../bundle.ts";
import { runCommand } from "../run.ts";
import { requestFlowRunCancellation } from "../../server/orchestration/cancel-flow-run.ts";
import { explainWaiting } from "../../server/services/waiting-reasons.ts";
import { type CliStore, withCliStore } from "./connection.ts";
import { registerFlowRunDelete } from "./flow-run-delete.ts";
import { registerFlowRunRerun } from "./flow-run-rerun.ts";
import { RunEnd } from "./run-end.ts";
import { logLine, minimumLevel, printJson, printLine, printTable, shortTime } from "./output.ts";

/** How often `logs --tail` looks for new lines. */
const TAIL_POLL_MS = 250;

export function register(program: Command, engineEntries: () => EngineEntries): void {
  const group = program.command("flow-run").description("Inspect, follow, cancel, retry and rerun flow runs");

  group
    .command("ls")
    .description("Latest flow runs (runs whose process died are marked Crashed first)")
    .option("--flow <name>", "only runs of this flow")
    .option("--state <types>", "only these state types, comma-separated (e.g. FAILED,CRASHED)")
    .option("--limit <n>", "how many", "20")
    .option("--json", "as JSON")
    .action((options: { flow?: string; state?: string; limit: string; json?: boolean }) =>
      withCliStore(async ({ store }) => {
        await store.markDeadRunsCrashed();
        const runs = await store.listFlowRuns({
          flowName: options.flow,
          limit: positiveInteger(options.limit, "--limit"),
          stateTypes: options.state?.toUpperCase().split(","),
        });
        if (options.json) return printJson(runs);
        printTable(
          ["ID", "FLOW", "NAME", "STATE", "CREATED"],
          runs.map((r) => [r.id, r.flowName, r.name, formatState(r.state), shortTime(r.createdAt)]),
          { names: [1, 2, 3], ids: [0] },
        );
      }),
    );

  group
    .command("inspect")
    .argument("<id>")
    .description("A flow run with its parameters, state history and task runs")
    .option("--json", "as JSON")
    .action((id: string, options: { json?: boolean }) =>
      withCliStore(async (cli) => {
        const { store } = cli;
        await store.markDeadRunsCrashed();
        const run = await requireRun(cli, id);
        const [taskRuns, states, alive] = await Promise.all([
          store.listTaskRuns(id),
          store.listStates(id),
          store.isFlowRunAlive(id),
        ]);
        const waiting = await explainWaiting(store, run);
        if (options.json) return printJson({ ...run, alive, waiting, states, taskRuns });
        printLine(`Flow run '${run.name}' (${run.id}) of flow '${run.flowName}'`);
        printLine(`  state:       ${formatState(run.state)}`);
        if (waiting.code !== "not-waiting") printLine(`  waiting:     ${waiting.message}`);
        if (run.workPoolName) printLine(`  work pool:   ${run.workPoolName} / ${run.workQueueName}`);
        if (run.workerName) printLine(`  worker:      ${run.workerName}`);
        printLine(`  entrypoint:  ${run.entrypoint ?? "(not started by skein run)"}`);
        printLine(`  parameters:  ${JSON.stringify(run.parameters)}`);
        printLine(`  created:     ${shortTime(run.createdAt)}`);
        printLine();
        printTable(
          ["TIME", "STATE", "MESSAGE"],
          states.map((s) => [shortTime(s.timestamp), s.name, s.message ?? ""]),
        );
        printLine();
        printTable(
          ["TASK RUN", "NAME", "STATE"],
          taskRuns.map((t) => [t.id, t.name, formatState(t.state)]),
        );
      }),
    );

  group
    .command("logs")
    .argument("<id>")
    .description("The logs of a flow run and its task runs")
    .option("--level <level>", `minimum level (${LOG_LEVELS.join(", ")})`)
    .option("--tail", "keep printing new lines until the run ends (through a retry its worker starts after a crash)")
    .option("--json", "one JSON object per line")
    .action((id: string, options: { level?: string; tail?: boolean; json?: boolean }) =>
      withCliStore(async (cli) => {
        const minimum = minimumLevel(options.level);
        await requireRun(cli, id);
        const printed = new Set<string>();
        const printNew = async () => {
          for (const log of await cli.store.listLogs(id)) {
            if (printed.has(log.id) || LOG_LEVELS.indexOf(log.level) < minimum) continue;
            printed.add(log.id);
            printLine(options.json ? JSON.stringify(log) : logLine(log));
          }
        };
        await printNew();
        if (!options.tail) return;
        const end = new RunEnd();
        let run: FlowRunRecord;
        do {
          await new Promise((resolve) => setTimeout(resolve, TAIL_POLL_MS));
          run = await requireRun(cli, id);
          // A run whose process died never ends by itself: record it Crashed (a store-wide sweep, so only then).
          if (!isFinal(run.state) && !(await cli.store.isFlowRunAlive(id))) {
            await cli.store.markDeadRunsCrashed();
            run = await requireRun(cli, id);
          }
          await printNew();
        } while (!end.reached(run));
        if (!options.json) printLine(`Flow run '${run.name}' finished in state ${formatState(run.state)}`);
      }),
    );

  group
    .command("cancel")
    .argument("<id>")
    .description("Ask the run's process to cancel it; the run ends Cancelled")
    .action((id: string) =>
      withCliStore(async (cli) => {
        const run = await requireRun(cli, id);
        if (isFinal(run.state))
          throw new Error(`Flow run '${run.name}' already finished in state ${formatState(run.state)}`);
        const answer = await requestFlowRunCancellation(cli.store, run);
        printLine(
          isFinal(answer.state)
            ? `Flow run '${run.name}' (${id}) cancelled before it started`
            : `Cancellation requested for flow run '${run.name}' (${id})`,
        );
      }),
    );

  group
    .command("retry")
    .argument("<id>")
    .description(
      "Run a failed flow run again, under the same id, from its entrypoint and parameters: task runs that completed " +
        "with a stored result are reused (Cached), the others run",
    )
    .option("--output <mode>", "text or jsonl", "text")
    .action(async (id: string, options: { output: "text" | "jsonl" }) => {
      const run = await withCliStore((cli) => requireRun(cli, id));
      if (!run.entrypoint)
        throw new Error(`Flow run '${run.name}' was not started by 'skein run', so its entrypoint is unknown`);
      // The retry itself writes where `skein run` writes.
      process.exitCode = await runCommand(
        run.entrypoint,
        { params: JSON.stringify(run.parameters), output: options.output, flowRunId: id },
        engineEntries(),
      );
    });

  registerFlowRunRerun(group, engineEntries);
  registerFlowRunDelete(group);
}

async function requireRun({ store, via }: CliStore, id: string): Promise<FlowRunRecord> {
  const run = await store.getFlowRun(id);
  if (!run) throw new Error(`No flow run with id ${id} in ${via}`);
  return run;
}

function positiveInteger(text: string, flag: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${flag} must be a positive whole number, got '${text}'`);
  return value;
}
