// The workspace's flows and tasks, file by file. Each file's analysis is replaced as a whole when it changes, so
// an edit re-analyses one file; questions that span files (imported tasks, duplicate names) are answered here.
import type { CallReference, Declaration, FileAnalysis } from "./model.ts";
import { relativeModuleCandidates } from "./module-resolution.ts";

export interface Located {
  file: string;
  declaration: Declaration;
}

export class WorkspaceIndex {
  private readonly files = new Map<string, FileAnalysis>();

  /** Replaces a file's analysis; files with nothing to say are not kept. */
  set(analysis: FileAnalysis): void {
    if (analysis.declarations.length || analysis.topLevelCalls.length || analysis.diagnostics.length) {
      this.files.set(analysis.file, analysis);
    } else {
      this.files.delete(analysis.file);
    }
  }

  delete(file: string): void {
    this.files.delete(file);
  }

  get(file: string): FileAnalysis | undefined {
    return this.files.get(file);
  }

  analyses(): IterableIterator<FileAnalysis> {
    return this.files.values();
  }

  *declarations(kind?: "flow" | "task"): Generator<Located> {
    for (const analysis of this.files.values()) {
      for (const declaration of analysis.declarations) {
        if (!kind || declaration.kind === kind) yield { file: analysis.file, declaration };
      }
    }
  }

  /** The flow or task that `file.ts:exportPath` names. */
  findExport(file: string, exportPath: string): Declaration | undefined {
    return this.files.get(file)?.declarations.find((declaration) => declaration.exportPath === exportPath);
  }

  /** Files whose parameter schemas were built from type declarations in `file`. */
  dependentsOf(file: string): string[] {
    return [...this.files.values()]
      .filter((analysis) => analysis.typeDependencies.includes(file))
      .map((analysis) => analysis.file);
  }

  /** Flows sharing a run-time name, keyed by that name (only names used more than once). */
  duplicateFlowNames(): Map<string, Located[]> {
    const byName = new Map<string, Located[]>();
    for (const located of this.declarations("flow")) {
      const list = byName.get(located.declaration.name) ?? [];
      list.push(located);
      byName.set(located.declaration.name, list);
    }
    for (const [name, list] of byName) if (list.length < 2) byName.delete(name);
    return byName;
  }

  /** What a call in `file` refers to: a declaration of the same file or one imported from a relative module. */
  resolveCall(file: string, call: CallReference): Located | undefined {
    const analysis = this.files.get(file);
    if (!analysis) return undefined;
    const local = analysis.declarations.find((declaration) => declaration.localName === call.localName);
    if (local) return { file, declaration: local };
    const [head, ...rest] = call.localName.split(".");
    const binding = analysis.imports.get(head);
    if (!binding) return undefined;
    const target = relativeModuleCandidates(file, binding.module).find((candidate) => this.files.has(candidate));
    if (!target) return undefined;
    const exportPath = [binding.importedName, ...rest].join(".");
    const declaration = this.findExport(target, exportPath);
    return declaration ? { file: target, declaration } : undefined;
  }

  /** The tasks a flow calls, in call order, each once. */
  tasksCalledBy(file: string, flow: Declaration): Located[] {
    const seen = new Set<Declaration>();
    const tasks: Located[] = [];
    for (const call of flow.calls) {
      const located = this.resolveCall(file, call);
      if (located?.declaration.kind === "task" && !seen.has(located.declaration)) {
        seen.add(located.declaration);
        tasks.push(located);
      }
    }
    return tasks;
  }
}
