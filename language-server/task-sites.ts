// Where the tasks of one file sit: each task it declares, and each call it makes to a task (its own or an imported
// one). The extension puts a task's latest run state and last log line at the end of these lines.
import type { TaskSite } from "../protocol/lsp.ts";
import type { CallReference } from "./model.ts";
import type { WorkspaceIndex } from "./workspace-index.ts";

export function taskSites(index: WorkspaceIndex, file: string): TaskSite[] {
  const analysis = index.get(file);
  if (!analysis) return [];
  const sites: TaskSite[] = [];
  for (const declaration of analysis.declarations) {
    if (declaration.kind === "task") {
      sites.push({
        kind: "definition",
        taskName: declaration.name,
        declarationFile: file,
        declarationLine: declaration.nameRange.start.line,
        line: declaration.nameRange.start.line,
      });
    }
  }
  const calls: CallReference[] = [...analysis.topLevelCalls, ...analysis.declarations.flatMap((d) => d.calls)];
  for (const call of calls) {
    const target = index.resolveCall(file, call);
    if (target?.declaration.kind !== "task") continue;
    sites.push({
      kind: "call",
      taskName: target.declaration.name,
      declarationFile: target.file,
      declarationLine: target.declaration.nameRange.start.line,
      line: call.range.start.line,
    });
  }
  return sites;
}
