// `skein worker start --pool P [--limit N] [--name W]`: a worker of a `process` work pool (worker/worker.ts) that
// claims due deployment runs and starts each as `skein run ... --flow-run-id ID`. It talks to the CLI's store
// (connection.ts): the server when one runs (and then learns of new runs at once from its live stream), else the
// SQLite file of SKEIN_HOME (a short poll). `skein worker run-crashed-hooks` is the child a worker starts to run
// the `onCrashed` hooks of a run whose process died: it loads the flow, which the worker itself never does.
import { hostname } from "node:os";
import path from "node:path";
import type { Command } from "commander";
import { ApiClient } from "../../client/api-client.ts";
import { findServer } from "../../client/discovery.ts";
import { skeinHome } from "../../client/home.ts";
import { FlowRunState } from "../../engine/flow-run-state.ts";
import { runHooks } from "../../engine/hooks.ts";
import { closeRuntime, getStore } from "../../engine/runtime.ts";
import { followWakeUps } from "../../worker/wake-ups.ts";
import { Worker } from "../../worker/worker.ts";
import { bundleFlowFile, type EngineEntries } from "../bundle.ts";
import { findFlow, importFlowFile, parseRunEntrypoint } from "../entrypoint.ts";
import type { FromHookRunner, FromRunner, ToRunner } from "../../protocol/worker-runner.ts";
import { endWithWorker, runCommand } from "../run.ts";
import { withCliStore } from "./connection.ts";
import { printLine } from "./output.ts";

/** The fallback poll: with a live stream a worker hears of new runs at once; without one this is its latency. */
const POLL_MS_WITH_STREAM = 2_000;
const POLL_MS_WITHOUT_STREAM = 500;

function envMs(name: string, fallback: number): number {
  const value = Number(process.env[name]);
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

function nonNegative(text: string, flag: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 0) throw new Error(`${flag} must be a whole number of at least 0`);
  return value;
}

function positive(text: string, flag: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 1) throw new Error(`${flag} must be a whole number of at least 1`);
  return value;
}

export function register(program: Command, engineEntries: () => EngineEntries): void {
  const group = program.command("worker").description("Workers: claim deployment runs of a work pool and start them");

  group
    .command("start")
    .description("Start a worker of a work pool (stops claiming on SIGINT/SIGTERM and waits for its runs)")
    .requiredOption("--pool <name>", "the work pool to serve")
    .option("--limit <n>", "most flow runs at once", "10")
    .option("--name <name>", "the worker's name (default: host and pid)")
    .option("--run-once", "claim what is due now, run it to the end and exit")
    .option("--warm <n>", "runner processes kept started ahead of runs, for a quick start", "2")
    .option(
      "--runs-per-process <n>",
      "flow runs one runner process runs one after another before it ends (1: a fresh process per run)",
      "1",
    )
    .addHelpText(
      "after",
      [
        "",
        "Environment:",
        "  SKEIN_WORKER_POLL_MS          fallback poll period (default 2000 with a server, 500 without)",
        "  SKEIN_WORKER_CANCEL_GRACE_MS  after a cancellation request, how long a run may take before SIGKILL (10000)",
        "  SKEIN_WORKER_CWD              where deployment entrypoints are resolved (default: the current directory)",
      ].join("\n"),
    )
    .action(
      (options: {
        pool: string;
        limit: string;
        name?: string;
        runOnce?: boolean;
        warm: string;
        runsPerProcess: string;
      }) =>
        withCliStore(async (cli) => {
          if (!(await cli.store.getWorkPool(options.pool)))
            throw new Error(
              `No work pool named '${options.pool}' in ${cli.via}; create it: skein work-pool create ${options.pool}`,
            );
          const url = findServer(skeinHome());
          const name = options.name ?? `${hostname()}-${process.pid}`;
          const log = (line: string) => process.stderr.write(`skein worker ${name}: ${line}\n`);
          const worker = new Worker({
            store: cli.store,
            pool: options.pool,
            name,
            limit: positive(options.limit, "--limit"),
            cli: { node: process.execPath, args: [...process.execArgv, process.argv[1]] },
            cwd: path.resolve(process.env.SKEIN_WORKER_CWD ?? process.cwd()),
            // Runs report to the server this worker talks to, whichever database is behind it.
            env: url ? { ...process.env, SKEIN_API_URL: url } : process.env,
            warmRunners: options.runOnce ? 0 : nonNegative(options.warm, "--warm"),
            runsPerProcess: positive(options.runsPerProcess, "--runs-per-process"),
            pollMs: envMs("SKEIN_WORKER_POLL_MS", url ? POLL_MS_WITH_STREAM : POLL_MS_WITHOUT_STREAM),
            cancelGraceMs: envMs("SKEIN_WORKER_CANCEL_GRACE_MS", 10_000),
            log,
          });
          const stopFollowing =
            url && !options.runOnce ? followWakeUps(new ApiClient(url), () => worker.wake(), log) : undefined;
          printLine(`Worker '${name}' serving work pool '${options.pool}' through ${cli.via}`);
          const stopped = new Promise<void>((resolve) => {
            process.once("SIGINT", resolve);
            process.once("SIGTERM", resolve);
          });
          const firstPoll = worker.start();
          if (options.runOnce) await firstPoll;
          else await stopped;
          stopFollowing?.();
          await worker.stop();
          printLine(`Worker '${name}' stopped after ${worker.stats.claimed} runs`);
        }),
    );

  group
    .command("runner", { hidden: true })
    .description("A runner process of a worker: runs the flow runs its worker hands it (worker/runner-pool.ts)")
    .action(() => serveRuns(engineEntries()));

  group
    .command("run-crashed-hooks", { hidden: true })
    .argument("<entrypoint>")
    .requiredOption("--flow-run-id <id>")
    .description("Run the onCrashed hooks of a flow run whose process died (started by a worker)")
    .action(async (entrypointText: string, options: { flowRunId: string }) => {
      const entrypoint = parseRunEntrypoint(entrypointText);
      const module = await importFlowFile(await bundleFlowFile(entrypoint.file, engineEntries(), skeinHome()));
      const { definition } = findFlow(module, entrypoint);
      const run = await getStore().getFlowRun(options.flowRunId);
      if (!run) throw new Error(`No flow run with id ${options.flowRunId}`);
      const flowRun = new FlowRunState(run.id, run.name, definition, run.parameters);
      flowRun.state = run.state;
      const info = { id: run.id, name: run.name, parameters: run.parameters };
      const retries: FromHookRunner = { kind: "flow-retries", retries: definition.options.retries ?? 0 };
      process.send?.(retries);
      try {
        await runHooks(definition.options.onCrashed, definition, info, run.state, { flowRun });
      } finally {
        await closeRuntime(); // the hooks' logs are stored before the process ends
      }
    });
}

/** A runner: waits for runs from its worker, runs each as `skein run --flow-run-id` would, and says how it ended. */
function serveRuns(engine: EngineEntries): Promise<void> {
  endWithWorker({ keepChannel: true });
  return new Promise((resolve) => {
    const send = (message: FromRunner) => process.send?.(message);
    process.on("message", (message: ToRunner) => {
      if (message.kind === "exit") return resolve();
      // One run at a time per runner: the folder is the run's until the next one moves it.
      try {
        process.chdir(message.cwd);
      } catch (error) {
        const reason = `cannot work in ${message.cwd}: ${(error as Error).message}`;
        process.stderr.write(`skein: ${reason}\n`);
        send({ kind: "finished", flowRunId: message.flowRunId, exitCode: 1, error: reason });
        return resolve();
      }
      const options = {
        params: JSON.stringify(message.parameters),
        output: "text" as const,
        flowRunId: message.flowRunId,
      };
      runCommand(message.entrypoint, options, engine)
        .then(
          (exitCode) => ({ exitCode, error: undefined }),
          (error: unknown) => {
            process.stderr.write(`skein: ${(error as Error).message}\n`);
            return { exitCode: 1, error: `${(error as Error).message} (working in ${process.cwd()})` };
          },
        )
        .then(({ exitCode, error }) => {
          send({ kind: "finished", flowRunId: message.flowRunId, exitCode, error });
          // A run that did not end cleanly (a signal, a store problem) leaves this process to end with its code.
          if (exitCode !== 0) {
            process.exitCode = exitCode;
            resolve();
          }
        });
    });
    send({ kind: "ready" });
  });
}
