// Workspace symbols (Ctrl+T): every flow and task, matched by run-time name or identifier.
import path from "node:path";
import { SymbolKind, type SymbolInformation } from "vscode-languageserver";
import type { WorkspaceIndex } from "./workspace-index.ts";

const maxSymbols = 500;

/** Letters of the query in order (VS Code's own fuzzy rule), case-insensitive. */
function matches(query: string, name: string): boolean {
  let at = 0;
  const lower = name.toLowerCase();
  for (const character of query.toLowerCase()) {
    at = lower.indexOf(character, at) + 1;
    if (at === 0) return false;
  }
  return true;
}

/** `uriOf` gives the URI of a file (the editor's own when it is open: see Workspace.uriOf). */
export function workspaceSymbols(
  index: WorkspaceIndex,
  query: string,
  uriOf: (file: string) => string,
): SymbolInformation[] {
  const symbols: SymbolInformation[] = [];
  for (const { file, declaration } of index.declarations()) {
    if (!matches(query, declaration.name) && !matches(query, declaration.localName)) continue;
    symbols.push({
      name: declaration.name,
      kind: declaration.kind === "flow" ? SymbolKind.Function : SymbolKind.Method,
      location: { uri: uriOf(file), range: declaration.nameRange },
      containerName: `${declaration.kind} ${declaration.localName} · ${path.basename(file)}`,
    });
    if (symbols.length >= maxSymbols) break;
  }
  return symbols;
}
