// Parses open documents incrementally: the previous syntax tree of each file is kept, and TypeScript's
// incremental parser re-reads only the edited region (found by comparing the old and new text). Keystrokes in
// a large file then cost a fraction of a full parse.
import { ts } from "ts-morph";

export type Parse = (file: string, text: string) => ts.SourceFile;

const scriptKind = (file: string) => (/\.[cm]?tsx$/i.test(file) ? ts.ScriptKind.TSX : ts.ScriptKind.TS);

/** A full parse, without parent pointers (the analysis always passes the source file along). */
export const parseFresh: Parse = (file, text) =>
  ts.createSourceFile(file, text, ts.ScriptTarget.ES2023, false, scriptKind(file));

/** The span where two texts differ: common prefix and suffix removed. */
export function changeRange(before: string, after: string): ts.TextChangeRange {
  const shorter = Math.min(before.length, after.length);
  let start = 0;
  while (start < shorter && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let end = 0;
  while (
    end < shorter - start &&
    before.charCodeAt(before.length - 1 - end) === after.charCodeAt(after.length - 1 - end)
  )
    end++;
  return ts.createTextChangeRange(ts.createTextSpan(start, before.length - start - end), after.length - start - end);
}

export class IncrementalParser {
  private readonly trees = new Map<string, ts.SourceFile>();

  readonly parse: Parse = (file, text) => {
    const previous = this.trees.get(file);
    const tree =
      previous && previous.text !== text
        ? ts.updateSourceFile(previous, text, changeRange(previous.text, text))
        : (previous ?? parseFresh(file, text));
    this.trees.set(file, tree);
    return tree;
  };

  forget(file: string): void {
    this.trees.delete(file);
  }
}
