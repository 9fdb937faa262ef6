// Which run a run command acts on: the explorer node or `{ flowRunId }` it was given, a bare id, or, from the
// command palette, one picked with the shared flow-run picker (only the states the command applies to), read fresh
// from the API either way.
import type * as vscodeApi from "vscode";
import { BRIEF_RETRY } from "../../client/api-client.ts";
import { flowRunsApi } from "../../protocol/api/flow-runs.ts";
import { flowRunIdOf } from "../command-arguments.ts";
import { type FlowRunPickOptions, pickFlowRun } from "../runs/pickers.ts";
import { connectionRunCatalog } from "../runs/run-catalog.ts";
import type { FlowRunRecord } from "./run-data.ts";
import type { RunSource } from "./run-tree.ts";

export type RunArgument = string | { flowRunId?: unknown } | undefined;

/** The run a command was given, or one the user picks. */
export async function resolveRun(
  vscode: typeof vscodeApi,
  source: RunSource,
  argument: RunArgument,
  options: FlowRunPickOptions,
): Promise<FlowRunRecord | undefined> {
  const id = flowRunIdOf(argument) ?? (await pickFlowRun(vscode, connectionRunCatalog(source), options))?.id;
  if (!id) return undefined;
  return source.withClient((client) => client.call(flowRunsApi.get, { params: { id } }, { retry: BRIEF_RETRY }));
}
