// Code lenses: Run, Debug, Run with parameters…, Debug with parameters… and Deploy over each exported flow; over tasks, the last run's
// state when one is known.
import path from "node:path";
import type { CodeLens } from "vscode-languageserver";
import { formatEntrypoint } from "../protocol/entrypoints.ts";
import { LensCommands, type FlowLensArgs } from "../protocol/lsp.ts";
import type { Declaration } from "./model.ts";
import type { RunState, TaskRunStateSource } from "./task-run-states.ts";
import type { WorkspaceIndex } from "./workspace-index.ts";

export const isExported = (declaration: Declaration): declaration is Declaration & { exportPath: string } =>
  !!declaration.exportPath;

/** The arguments of an exported flow's lenses. */
export function flowLensArgs(
  file: string,
  flow: Declaration & { exportPath: string },
  workspaceRoots: string[],
): FlowLensArgs {
  const root = workspaceRoots.find((candidate) => file.startsWith(candidate + path.sep));
  const relative = root ? path.relative(root, file).split(path.sep).join("/") : path.basename(file);
  return {
    file,
    exportPath: flow.exportPath,
    flowName: flow.name,
    parameterSchema: flow.parameterSchema,
    entrypoint: formatEntrypoint({ file: relative, exportPath: flow.exportPath }),
  };
}

/** Codicons by state type, so a failed task stands out; other types show their name alone. */
const stateIcons: Record<string, string> = {
  COMPLETED: "$(pass) ",
  FAILED: "$(error) ",
  CRASHED: "$(error) ",
  CANCELLED: "$(circle-slash) ",
};

function taskStateTitle(state: RunState): string {
  return `${stateIcons[state.type] ?? ""}Last run: ${state.name}`;
}

export function codeLensesFor(
  index: WorkspaceIndex,
  file: string,
  workspaceRoots: string[],
  taskStates: TaskRunStateSource,
): CodeLens[] {
  const lenses: CodeLens[] = [];
  for (const declaration of index.get(file)?.declarations ?? []) {
    const range = declaration.nameRange;
    if (declaration.kind === "task") {
      const state = taskStates.lastState(file, declaration.name);
      // No command id: VS Code shows the lens as plain text, nothing to click.
      if (state) lenses.push({ range, command: { title: taskStateTitle(state), command: "" } });
      continue;
    }
    if (!isExported(declaration)) continue;
    const args = flowLensArgs(file, declaration, workspaceRoots);
    lenses.push(
      { range, command: { title: "$(play) Run", command: LensCommands.run, arguments: [args] } },
      { range, command: { title: "$(debug-alt) Debug", command: LensCommands.debug, arguments: [args] } },
      { range, command: { title: "Run with parameters…", command: LensCommands.runWithParameters, arguments: [args] } },
      {
        range,
        command: { title: "Debug with parameters…", command: LensCommands.debugWithParameters, arguments: [args] },
      },
      { range, command: { title: "$(cloud-upload) Deploy", command: LensCommands.deploy, arguments: [args] } },
    );
  }
  return lenses;
}
