// `skein run FILE:FLOW`: bundle the file, run the flow as a flow run of SKEIN_HOME's store, print its events,
// print the result, exit 0 when it completed and 1 otherwise (130 / 143 after SIGINT / SIGTERM), and 3
// (STORE_WRITE_EXIT_CODE) whatever the state when some of its records could not be stored. What it prints
// itself (the result, a failure) is masked like every run event (engine/masking.ts).
import path from "node:path";
import { format } from "node:util";
import { skeinHome } from "../client/home.ts";
import { closeRuntime, onRunEvent, STORE_WRITE_EXIT_CODE } from "../engine/runtime.ts";
import { RecordsNotStoredError } from "../store/write-behind.ts";
import { type FlowRunRequest, runFlowRun, type RunState } from "../engine/flow-run.ts";
import type { FlowDefinition } from "../engine/flow.ts";
import { bundleFlowFile, type EngineEntries } from "./bundle.ts";
import { type FlowModule, findFlow, importFlowFile, parseRunEntrypoint } from "./entrypoint.ts";
import { type Entrypoint, formatEntrypoint } from "../protocol/entrypoints.ts";
import { createPrinter, type OutputMode } from "./printer.ts";
import { openEventChannel } from "./event-channel.ts";
import { declaredType, generatedParameterSchema } from "./parameter-schemas.ts";
import type { JsonSchema } from "../engine/parameters.ts";
import { RunAbortedError } from "../engine/errors.ts";
import { flowErrorText } from "./error-report.ts";
import { claimRunOutput, minimumLogLevel } from "../engine/logging.ts";
import { formatState } from "../engine/states.ts";
import { maskSecrets, maskSecretsDeep } from "../engine/masking.ts";

/** How much of a result `Result:` prints in text mode; `--output jsonl` carries it whole. */
const RESULT_PREVIEW_CHARS = 2_000;

export interface RunCommandOptions {
  param?: string[];
  params?: string;
  output: OutputMode;
  /** Retry this existing flow run instead of creating one. */
  flowRunId?: string;
  /** A rerun from a task (`skein flow-run rerun`): the stored results the new run reuses, and edited inputs. */
  reuse?: FlowRunRequest["reuse"];
}

export async function runCommand(
  entrypointText: string,
  options: RunCommandOptions,
  engine: EngineEntries,
): Promise<number> {
  return runFromFlowFile(entrypointText, options.output, engine, async (module, entrypoint, bundle) => {
    const { definition, thisArg } = findFlow(module, entrypoint);
    // A deployment run a worker starts had its parameters checked against the deployment's stored schema when it
    // was created; deriving the schema again (TypeScript's parser) would cost most of the run's start-up time.
    const startedByWorker = options.flowRunId !== undefined && process.env.SKEIN_WORKER_NAME !== undefined;
    const generatedSchema =
      definition.options.validateParameters === false || definition.options.parameterSchema || startedByWorker
        ? undefined
        : await generatedParameterSchema(path.resolve(entrypoint.file), entrypoint.exportPath, bundle);
    const parameters = parseParameterOptions(options, definition.options.parameterSchema ?? generatedSchema);
    const request: FlowRunRequest = {
      parameters,
      thisArg,
      flowRunId: options.flowRunId,
      generatedParameterSchema: generatedSchema,
      entrypoint: formatEntrypoint({
        ...entrypoint,
        file: path.relative(process.cwd(), path.resolve(entrypoint.file)),
      }),
      reuse: options.reuse,
    };
    return { definition, request };
  });
}

/** What a command runs once the flow file is loaded: a flow and the request for its run. */
export type PrepareRun = (
  module: FlowModule,
  entrypoint: Entrypoint,
  bundle: string,
) => Promise<{ definition: FlowDefinition; request: FlowRunRequest }>;

/**
 * Bundles and loads the entrypoint's file, runs the flow run `prepare` picks from it with the run's events printed,
 * and reports how it ended: the exit code of `skein run` (see the header). `skein task-run debug` runs its own flow.
 */
export async function runFromFlowFile(
  entrypointText: string,
  output: OutputMode,
  engine: EngineEntries,
  prepare: PrepareRun,
): Promise<number> {
  process.setSourceMapsEnabled(true);
  claimRunOutput(); // this command prints run events, in the mode asked for
  minimumLogLevel(); // an unknown SKEIN_LOGGING_LEVEL stops the command before the run starts
  endWithWorker();
  const entrypoint = parseRunEntrypoint(entrypointText);
  const bundle = await bundleFlowFile(entrypoint.file, engine, skeinHome());
  let module: FlowModule;
  try {
    module = await importFlowFile(bundle);
  } catch (error) {
    // The file threw while loading (top-level code): show where, like a failed run.
    reportError(error, path.resolve(entrypoint.file));
    return 1;
  }
  const { definition, request } = await prepare(module, entrypoint, bundle);
  const out = (line: string) => process.stdout.write(`${line}\n`);
  const unsubscribe = onRunEvent(createPrinter(output, out));
  // Under the editor's debugger, the events also go to its back-channel (stdout is the Debug Console's).
  const channel = await openEventChannel();
  const unsubscribeChannel = channel ? onRunEvent((event) => channel.send(event)) : () => undefined;
  let state: RunState;
  let notStored: RecordsNotStoredError | undefined;
  try {
    state = await runFlowRun(definition, { ...request, returnState: true });
  } finally {
    unsubscribe();
    unsubscribeChannel();
    await channel?.close();
    notStored = await closeRuntime().then(
      () => undefined,
      (error: unknown) => {
        if (error instanceof RecordsNotStoredError) return error;
        throw error;
      },
    );
  }
  if (state.type === "COMPLETED" && output === "text") {
    out(`Result: ${preview(maskSecrets(display(maskSecretsDeep(state.result()))), state.runId)}`);
  }
  if (state.type !== "COMPLETED") reportFailure(state, path.resolve(entrypoint.file));
  if (notStored) {
    process.stderr.write(`skein: ${maskSecrets(notStored.message)}\n`);
    return STORE_WRITE_EXIT_CODE;
  }
  if (state.type === "COMPLETED") return 0;
  return typeof process.exitCode === "number" && process.exitCode !== 0 ? process.exitCode : 1;
}

let endsWithWorker = false;

/**
 * A run process a worker started (worker/runner-pool.ts) has an IPC channel to it: when the worker dies the
 * channel closes, and the run ends Crashed as on SIGTERM, since no one is left to enforce its cancellation or
 * record its fate. The channel keeps the process alive only for a runner waiting for its next run.
 */
export function endWithWorker(options: { keepChannel?: boolean } = {}): void {
  if (endsWithWorker || !process.channel || !process.env.SKEIN_WORKER_NAME) return;
  endsWithWorker = true;
  if (!options.keepChannel) process.channel.unref();
  process.once("disconnect", () => process.kill(process.pid, "SIGTERM"));
}

/** `--params JSON` then each `--param name=value` (shared with `skein deployment run`). */
export function parseParameterOptions(
  options: Pick<RunCommandOptions, "param" | "params">,
  schema: JsonSchema | undefined,
): Record<string, unknown> {
  const parameters: Record<string, unknown> = {};
  if (options.params) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(options.params);
    } catch (error) {
      throw new Error(`--params must be a JSON object: ${(error as Error).message}`);
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
      throw new Error("--params must be a JSON object");
    for (const [name, value] of Object.entries(parsed)) setParameter(parameters, name, value);
  }
  for (const pair of options.param ?? []) {
    const eq = pair.indexOf("=");
    if (eq <= 0) throw new Error(`--param expects name=value, got '${pair}'`);
    const name = pair.slice(0, eq);
    const text = pair.slice(eq + 1);
    // A string parameter keeps the text as typed: `--param zip=02139` or `--param id=123` stay strings.
    setParameter(parameters, name, declaredType(schema, name) === "string" ? text : parseValue(text));
  }
  return parameters;
}

/**
 * An own property even for the name `__proto__`: assigning that name would set the object's prototype instead,
 * whose properties the flow would then read as parameters that the unknown-parameter check never saw.
 */
function setParameter(parameters: Record<string, unknown>, name: string, value: unknown): void {
  Object.defineProperty(parameters, name, { value, enumerable: true, writable: true, configurable: true });
}

/** `--param n=3` is the number 3 and `--param flags=[1,2]` an array; anything that is not JSON is a string. */
export function parseValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function display(value: unknown): string {
  if (value === undefined) return "undefined";
  try {
    return JSON.stringify(value, (_, v) => (typeof v === "bigint" ? `${v}n` : v)) ?? format(value);
  } catch {
    return format(value);
  }
}

/** A terminal shows the start of a large result (cut after masking, so no part of a secret shows) and says where the rest is. */
function preview(text: string, flowRunId: string): string {
  if (text.length <= RESULT_PREVIEW_CHARS) return text;
  return `${text.slice(0, RESULT_PREVIEW_CHARS)}... (${text.length} characters in all: \`skein flow-run inspect ${flowRunId} --json\` shows the whole result)`;
}

function reportFailure(state: RunState, sourceFile: string): void {
  let error: unknown;
  try {
    state.result();
  } catch (thrown) {
    error = thrown;
  }
  process.stderr.write(maskSecrets(`Flow run finished in state ${formatState(state)}\n`));
  // A signal or a crash: the state says why (and an uncaught error was printed as it happened).
  if (error !== undefined && !(error instanceof RunAbortedError)) reportError(error, sourceFile);
}

function reportError(error: unknown, sourceFile: string): void {
  process.stderr.write(`${maskSecrets(flowErrorText(error))}\n`);
  const location = userLocation(error, sourceFile);
  if (location) process.stderr.write(`Error location: ${location}\n`);
}

/** The first stack frame in the user's code (source-mapped to the .ts file), for the final message. */
function userLocation(error: unknown, sourceFile: string): string | undefined {
  const stack = error instanceof Error ? (error.stack ?? "") : "";
  const frames = [...stack.matchAll(/\(?((?:file:\/\/)?[^\s()]+\.[cm]?[tj]sx?):(\d+):(\d+)\)?/g)].map((m) => ({
    file: m[1].replace(/^file:\/\//, ""),
    line: m[2],
    column: m[3],
  }));
  const own =
    frames.find((f) => path.resolve(f.file) === sourceFile) ??
    frames.find((f) => !f.file.includes("node_modules") && !f.file.includes("/engine/") && !f.file.startsWith("node:"));
  return own && `${path.relative(process.cwd(), own.file)}:${own.line}:${own.column}`;
}
