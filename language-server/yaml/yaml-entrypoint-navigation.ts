// Hover and go-to-definition on a skein.yaml entrypoint: the flow's signature, and a jump to its declaration.
import type { Hover, Location, Position } from "vscode-languageserver";
import { declarationMarkdown } from "../declaration-summary.ts";
import type { Located, WorkspaceIndex } from "../workspace-index.ts";
import { resolveEntrypoint } from "./entrypoints.ts";
import { cursorAt } from "./yaml-cursor.ts";

function flowUnderCursor(
  file: string,
  text: string,
  position: Position,
  index: WorkspaceIndex,
): (Located & { range: Hover["range"] }) | undefined {
  const cursor = cursorAt(text, position);
  if (!cursor.inValue || cursor.key !== "entrypoint") return undefined;
  const resolution = resolveEntrypoint(index, file, cursor.word);
  return resolution.status === "flow"
    ? { file: resolution.entrypoint.file, declaration: resolution.flow, range: cursor.wordRange }
    : undefined;
}

export function entrypointHover(file: string, text: string, position: Position, index: WorkspaceIndex): Hover | null {
  const found = flowUnderCursor(file, text, position, index);
  if (!found) return null;
  return {
    contents: { kind: "markdown", value: declarationMarkdown(index, found.file, found.declaration) },
    range: found.range,
  };
}

/** `uriOf` gives the URI of a file (the editor's own when it is open: see Workspace.uriOf). */
export function entrypointDefinition(
  file: string,
  text: string,
  position: Position,
  index: WorkspaceIndex,
  uriOf: (file: string) => string,
): Location | null {
  const found = flowUnderCursor(file, text, position, index);
  return found ? { uri: uriOf(found.file), range: found.declaration.nameRange } : null;
}
