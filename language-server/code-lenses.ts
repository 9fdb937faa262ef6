// Code lenses: Run, Debug, Run with parameters… and Deploy over each exported flow; over tasks, the last run's
// state when one is known.
import path from "node:path";
import type { CodeLens } from "vscode-languageserver";
import { LensCommands, type FlowLensArgs } from "../protocol/lsp";
import type { Declaration } from "./model";
import type { TaskRunStateSource } from "./task-run-states";
import type { WorkspaceIndex } from "./workspace-index";

export function flowLensArgs(index: WorkspaceIndex, file: string, flow: Declaration, workspaceRoots: string[]): FlowLensArgs {
  const root = workspaceRoots.find((candidate) => file.startsWith(candidate + path.sep));
  const relative = root ? path.relative(root, file).split(path.sep).join("/") : path.basename(file);
  return {
    file,
    exportPath: flow.exportPath ?? flow.localName,
    flowName: flow.name,
    parameterSchema: flow.parameterSchema,
    entrypoint: `${relative}:${flow.exportPath ?? flow.localName}`,
    tasks: index.tasksCalledBy(file, flow).map((task) => task.declaration.name),
  };
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
      if (state) lenses.push({ range, command: { title: `Last run: ${state.name}`, command: "" } });
      continue;
    }
    if (!declaration.exportPath) continue;
    const args = flowLensArgs(index, file, declaration, workspaceRoots);
    lenses.push(
      { range, command: { title: "$(play) Run", command: LensCommands.run, arguments: [args] } },
      { range, command: { title: "$(debug-alt) Debug", command: LensCommands.debug, arguments: [args] } },
      { range, command: { title: "Run with parameters…", command: LensCommands.runWithParameters, arguments: [args] } },
      { range, command: { title: "$(cloud-upload) Deploy", command: LensCommands.deploy, arguments: [args] } },
    );
  }
  return lenses;
}
