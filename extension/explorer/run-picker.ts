// Which run a run command acts on: the explorer node or `{ flowRunId }` it was given, a bare id, or, from the
// command palette, one picked from the most recent runs (only unfinished ones when the command needs that).
import type * as vscodeApi from "vscode";
import { BRIEF_RETRY } from "../../client/api-client.ts";
import { flowRunsApi } from "../../protocol/api/flow-runs.ts";
import { isTerminal, TERMINAL_STATE_TYPES, STATE_TYPES } from "../../protocol/states.ts";
import type { FlowRunRecord } from "./run-data.ts";
import { runTiming } from "./run-nodes.ts";
import type { RunSource } from "./run-tree.ts";
import { flowRunIdOf } from "../command-arguments.ts";

/** How many recent runs the palette's picker offers. */
const PICKER_RUNS = 200;

export type RunArgument = string | { flowRunId?: unknown } | undefined;

export async function pickRun(
  vscode: typeof vscodeApi,
  source: RunSource,
  options: { title: string; unfinishedOnly?: boolean; finishedOnly?: boolean },
): Promise<FlowRunRecord | undefined> {
  const states = options.unfinishedOnly
    ? STATE_TYPES.filter((type) => !isTerminal(type))
    : options.finishedOnly
      ? TERMINAL_STATE_TYPES
      : [];
  const runs = source.withClient(async (client) => {
    const query = { limit: PICKER_RUNS, offset: 0, state: states.length > 0 ? states.join(",") : undefined };
    return (await client.call(flowRunsApi.list, { query }, { retry: BRIEF_RETRY })).flowRuns;
  });
  const now = Date.now();
  const items = runs.then((list) =>
    list.map((run) => ({
      label: `${run.flowName} / ${run.name}`,
      description: `${run.state.name} · ${runTiming(run.createdAt, run.state, now)}`,
      detail: run.state.message,
      run,
    })),
  );
  const picked = await vscode.window.showQuickPick(items, {
    title: options.title,
    placeHolder: options.unfinishedOnly ? "An unfinished run" : "A run",
    matchOnDescription: true,
  });
  return picked?.run;
}

/** The run a command was given, read fresh from the API, or one the user picks. */
export async function resolveRun(
  vscode: typeof vscodeApi,
  source: RunSource,
  argument: RunArgument,
  options: { title: string; unfinishedOnly?: boolean; finishedOnly?: boolean },
): Promise<FlowRunRecord | undefined> {
  const id = flowRunIdOf(argument);
  if (!id) return pickRun(vscode, source, options);
  return source.withClient((client) => client.call(flowRunsApi.get, { params: { id } }, { retry: BRIEF_RETRY }));
}
