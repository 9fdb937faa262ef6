#!/usr/bin/env node
// The `skein` command line. Each command group lives in cli/commands/*.ts; this file wires them up.
import { collect } from "./commands/repeatable-option.ts";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Command, CommanderError, Option } from "commander";
import { runCommand } from "./run.ts";
import { register as registerFlowRunCommands } from "./commands/flow-run.ts";
import { register as registerTaskRunCommands } from "./commands/task-run.ts";
import { register as registerStoredValueCommands } from "./commands/variables-secrets-limits.ts";
import type { EngineEntries } from "./bundle.ts";
import { prepareRuntime, STORE_WRITE_EXIT_CODE } from "../engine/runtime.ts";
import { maskSecrets } from "../engine/masking.ts";
import { exitAfterOutput } from "./exit.ts";
import { LOG_LEVELS } from "../protocol/run-events.ts";
import { commandErrorText, setVerbose } from "./error-report.ts";
import { skeinVersion } from "./version.ts";
import { setParameterSchemaProvider } from "../engine/deploy.ts";
import { exportedFlows } from "./parameter-schemas.ts";
import { ignoreClosedOutput } from "../engine/closed-output.ts";

/** The engine's entry files: dist/engine/*.mjs beside this bundle when built, engine/*.ts when run from source (tsx). */
function engineEntries(): EngineEntries {
  const self = fileURLToPath(import.meta.url);
  const extension = path.extname(self);
  const engineDir = extension === ".ts" ? path.join(path.dirname(self), "../engine") : path.dirname(self);
  return {
    index: path.join(engineDir, `index${extension}`),
    testing: path.join(engineDir, `testing${extension}`),
  };
}

// `skein … | head -1`: the reader leaving ends neither a run nor a command (engine/closed-output.ts).
ignoreClosedOutput();

// `flow.deploy()` in a flow file run by this CLI stores the parameter schema the editor derives from the signature.
setParameterSchemaProvider(
  async (file, exportPath) =>
    (await exportedFlows(file)).find((candidate) => candidate.exportPath === exportPath)?.parameterSchema,
);

// Commander ends with process.exit() after --help or a usage error; exitOverride hands that exit to us instead
// (subcommands made after this inherit it), so it too waits for the output to drain.
const program = new Command("skein")
  .description("Prefect-style workflow orchestration for TypeScript")
  .version(skeinVersion(), "-V, --version", "print Skein's version")
  .option("--verbose", "with an error, print its stack trace too (or set SKEIN_VERBOSE=1)")
  .showHelpAfterError()
  .exitOverride()
  .hook("preAction", (command) => setVerbose(command.opts().verbose === true));

program
  .command("run")
  .description("Run a flow from a TypeScript file as a flow run recorded in SKEIN_HOME")
  .argument("<entrypoint>", "FILE:FLOW, e.g. flows/etl.ts:etl or flows/etl.ts:Pipelines.nightly")
  .option(
    "--param <name=value>",
    "a parameter (value parsed as JSON when it is JSON, else a string); repeatable",
    collect,
  )
  .option("--params <json>", "all parameters as one JSON object")
  .addOption(
    new Option("--output <mode>", "text for people, jsonl for one run event per line (protocol/run-events.ts)")
      .choices(["text", "jsonl"])
      .default("text"),
  )
  .option(
    "--flow-run-id <id>",
    "retry this flow run (reusing its completed task results) instead of starting a new one",
  )
  .addHelpText(
    "after",
    [
      "",
      "Exit codes:",
      "  0        the flow run completed and all its records are stored",
      "  1        the flow run did not complete",
      `  ${STORE_WRITE_EXIT_CODE}        some of its records could not be stored (disk full, read-only or damaged store,`,
      "           refused by the server): stderr says why, the file or URL, and how many are missing",
      "  130/143  stopped by SIGINT/SIGTERM",
      "",
      "Environment:",
      `  SKEIN_LOGGING_LEVEL  the lowest level of run logs recorded and printed: ${LOG_LEVELS.join(", ")}`,
      "                       (default info)",
    ].join("\n"),
  )
  .action(async (entrypoint: string, options) => {
    process.exitCode = await runCommand(
      entrypoint,
      { param: options.param, params: options.params, output: options.output, flowRunId: options.flowRunId },
      engineEntries(),
    );
  });

registerFlowRunCommands(program, engineEntries);
registerTaskRunCommands(program, engineEntries);
registerStoredValueCommands(program);

/** The commands that run flows (`run`, `flow-run retry|rerun`, `task-run debug`) start without the groups below. */
const RUNNING_COMMANDS = new Set(["run", "flow-run", "task-run"]);

type CommandGroup = { register(program: Command, entries: () => EngineEntries): void };

/** Command groups with heavy dependencies (the server's HTTP stack, Ajv schemas), with the commands each defines. */
const LAZY_GROUPS: { commands: string[]; load(): Promise<CommandGroup> }[] = [
  { commands: ["server"], load: () => import("./commands/server.ts") },
  { commands: ["doctor"], load: () => import("./commands/doctor.ts") },
  { commands: ["work-pool", "work-queue"], load: () => import("./commands/work-pool.ts") },
  { commands: ["worker"], load: () => import("./commands/worker.ts") },
  { commands: ["deployment"], load: () => import("./commands/deployment.ts") },
  { commands: ["artifact"], load: () => import("./commands/artifact.ts") },
  { commands: ["deploy"], load: () => import("./commands/deploy.ts") },
];

/**
 * Loads only the group the command needs (a worker's runner process, started for every few runs, pays for no
 * other), or all of them for help and unknown commands, so commander can list and suggest them.
 */
async function registerOtherCommands(): Promise<void> {
  // The command is the first argument that is not an option (`skein --verbose run ...` is a run too).
  const command = process.argv.slice(2).find((arg) => !arg.startsWith("-")) ?? "";
  if (RUNNING_COMMANDS.has(command)) return;
  const named = LAZY_GROUPS.filter((group) => group.commands.includes(command));
  const groups = await Promise.all((named.length ? named : LAZY_GROUPS).map((group) => group.load()));
  for (const group of groups) group.register(program, engineEntries);
}

Promise.all([prepareRuntime(), registerOtherCommands()])
  .then(() => program.parseAsync(process.argv))
  .then(
    // User code may leave timers or sockets open; the command is done.
    () => exitAfterOutput(typeof process.exitCode === "number" ? process.exitCode : 0),
    (error: unknown) => {
      // Commander has already printed its own usage errors and help.
      if (error instanceof CommanderError) return exitAfterOutput(error.exitCode);
      process.stderr.write(`${maskSecrets(commandErrorText(error))}\n`);
      return exitAfterOutput(1);
    },
  );
