// Offsets in a parsed TypeScript file → LSP ranges. TypeScript's own line map also breaks lines at U+2028 and
// U+2029, which editors do not, so positions are computed with the editor's rule instead.
import type { ts } from "ts-morph";
import type { Range } from "vscode-languageserver";
import { LineIndex } from "../protocol/line-index.ts";

const lineIndexes = new WeakMap<ts.SourceFile, LineIndex>();

function lineIndexOf(sourceFile: ts.SourceFile): LineIndex {
  let index = lineIndexes.get(sourceFile);
  if (!index) lineIndexes.set(sourceFile, (index = new LineIndex(sourceFile.text)));
  return index;
}

export function rangeOf(sourceFile: ts.SourceFile, start: number, end: number): Range {
  const lines = lineIndexOf(sourceFile);
  return { start: lines.positionAt(start), end: lines.positionAt(end) };
}

export function nodeRange(sourceFile: ts.SourceFile, node: ts.Node): Range {
  return rangeOf(sourceFile, node.getStart(sourceFile), node.getEnd());
}
