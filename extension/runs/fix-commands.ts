// Fixing a run where it broke: Retry (`skein flow-run retry ID`, completed results reused), Rerun from a task
// (`skein flow-run rerun ID --from-task TASK_RUN_ID [--input NAME=JSON]`, with the task's inputs edited first) and
// Debug task again (`skein task-run debug TASK_RUN_ID` under the debugger, with its recorded inputs). Each takes its
// ids from the explorer or a run view, and asks with pickers when the palette gave none.
import type * as vscodeApi from "vscode";
import type { RunOutcome } from "./flow-runner.ts";
import type { StateType } from "../../protocol/states.ts";
import { flowRunIdOf, taskRunIdOf } from "../command-arguments.ts";
import { pickFlowRun, pickTaskRun } from "./pickers.ts";
import { runCliSession, runDirectory, startDebugRun, type RunCommandDeps } from "./run-commands.ts";
import { editTaskInputs, inputFlags, promptTaskInputs } from "./task-inputs-prompt.ts";

export const FixCommands = {
  retryRun: "skein.retryRun",
  rerunFromTask: "skein.rerunFromTask",
  debugTaskAgain: "skein.debugTaskAgain",
} as const;

/** The states a run can be retried from. */
const RETRYABLE: StateType[] = ["FAILED", "CRASHED", "CANCELLED"];

export function registerFixCommands(deps: RunCommandDeps): vscodeApi.Disposable[] {
  const { vscode } = deps;
  return [
    vscode.commands.registerCommand(FixCommands.retryRun, (argument?: unknown) => retryRun(deps, argument)),
    vscode.commands.registerCommand(FixCommands.rerunFromTask, (argument?: unknown) => rerunFromTask(deps, argument)),
    vscode.commands.registerCommand(FixCommands.debugTaskAgain, (argument?: unknown) => debugTaskAgain(deps, argument)),
  ];
}

export async function retryRun(deps: RunCommandDeps, argument: unknown): Promise<RunOutcome | undefined> {
  const flowRunId =
    flowRunIdOf(argument) ??
    (await pickFlowRun(deps.vscode, deps.catalog, { title: "Skein: Retry Flow Run", stateTypes: RETRYABLE }))?.id;
  if (!flowRunId) return undefined;
  return runCliSession(
    deps,
    `Retry ${flowRunId}`,
    ["flow-run", "retry", flowRunId, "--output", "jsonl"],
    runDirectory(deps.vscode, undefined),
  );
}

/** Both ids from the argument, or from pickers for what it lacks. */
async function taskRunOf(
  deps: RunCommandDeps,
  argument: unknown,
  title: string,
): Promise<{ flowRunId: string; taskRunId: string } | undefined> {
  let flowRunId = flowRunIdOf(typeof argument === "string" ? undefined : argument);
  let taskRunId = taskRunIdOf(argument);
  if (taskRunId && flowRunId) return { flowRunId, taskRunId };
  flowRunId ??= (await pickFlowRun(deps.vscode, deps.catalog, { title }))?.id;
  if (!flowRunId) return undefined;
  taskRunId ??= (await pickTaskRun(deps.vscode, deps.catalog, flowRunId, title))?.id;
  return taskRunId ? { flowRunId, taskRunId } : undefined;
}

export async function rerunFromTask(deps: RunCommandDeps, argument: unknown): Promise<RunOutcome | undefined> {
  const title = "Skein: Rerun from Task";
  const ids = await taskRunOf(deps, argument, title);
  if (!ids) return undefined;
  const recorded = (await deps.catalog.taskRunInputs(ids.taskRunId)) ?? {};
  const edited = await editTaskInputs(deps.vscode, title, recorded, "Rerun from this task");
  if (!edited) return undefined;
  // Only what the user changed: the CLI reuses the recorded values for the rest.
  const changed = Object.fromEntries(
    Object.entries(edited).filter(([name, value]) => JSON.stringify(value) !== JSON.stringify(recorded[name])),
  );
  return runCliSession(
    deps,
    `Rerun ${ids.flowRunId} from ${ids.taskRunId}`,
    ["flow-run", "rerun", ids.flowRunId, "--from-task", ids.taskRunId, ...inputFlags(changed), "--output", "jsonl"],
    runDirectory(deps.vscode, undefined),
  );
}

export async function debugTaskAgain(deps: RunCommandDeps, argument: unknown): Promise<boolean> {
  const title = "Skein: Debug Task Again";
  const taskRunId = taskRunIdOf(argument) ?? (await taskRunOf(deps, argument, title))?.taskRunId;
  if (!taskRunId) return false;
  let flags: string[] = [];
  if ((await deps.catalog.taskRunInputs(taskRunId)) === undefined) {
    const given = await promptTaskInputs(deps.vscode, title);
    if (!given) return false;
    flags = inputFlags(given);
  }
  return startDebugRun(deps, `Task run ${taskRunId}`, ["task-run", "debug", taskRunId, ...flags], undefined);
}
