// Hover in TypeScript over a flow or task: on its declaration, and on calls to it inside flows.
import type { Hover, Position, Range } from "vscode-languageserver";
import { declarationMarkdown } from "./declaration-summary.ts";
import type { Located, WorkspaceIndex } from "./workspace-index.ts";

const contains = (range: Range, position: Position): boolean =>
  (position.line > range.start.line ||
    (position.line === range.start.line && position.character >= range.start.character)) &&
  (position.line < range.end.line || (position.line === range.end.line && position.character <= range.end.character));

export function flowHover(index: WorkspaceIndex, file: string, position: Position): Hover | null {
  const analysis = index.get(file);
  if (!analysis) return null;
  let found: (Located & { range: Range }) | undefined;
  for (const declaration of analysis.declarations) {
    if (contains(declaration.nameRange, position)) found = { file, declaration, range: declaration.nameRange };
    for (const call of declaration.calls) {
      if (found || !contains(call.range, position)) continue;
      const target = index.resolveCall(file, call);
      if (target) found = { ...target, range: call.range };
    }
    if (found) break;
  }
  if (!found) return null;
  return {
    contents: { kind: "markdown", value: declarationMarkdown(index, found.file, found.declaration) },
    range: found.range,
  };
}
