// Where the cursor is in a skein.yaml, for completion, hover and definition. Read from indentation rather
// than from the YAML tree, because the file is usually half-typed while the user asks for completion.
import type { Position, Range } from "vscode-languageserver";
import { isMap, isSeq, type Document } from "yaml";

export interface YamlCursor {
  /** Keys of the enclosing mappings, outermost first (sequence items are not listed). */
  parents: string[];
  /** The key on the cursor's line, when the line has one. */
  key?: string;
  /** True when the cursor is after the key's colon (editing a value), false when on the key. */
  inValue: boolean;
  /** The text typed so far (value or key) and the range it spans on the line. */
  word: string;
  wordRange: Range;
}

const keyLine = /^(\s*)(-\s+)?([^\s:#][^:#]*?)\s*:(?:\s|$)/;
const itemOrKeyStart = /^(\s*)(-\s*)?(\S?)/;

/** The column where a line's key starts (after a "- " marker); undefined for blank and comment lines. */
function keyColumn(line: string): number | undefined {
  const match = itemOrKeyStart.exec(line);
  if (!match?.[3] || match[3] === "#") return undefined;
  return match[1].length + (match[2]?.length ?? 0);
}

export function cursorAt(text: string, position: Position): YamlCursor {
  const lines = text.split(/\r?\n/);
  const line = (lines[position.line] ?? "").slice(0, Math.max(0, position.character));
  const fullLine = lines[position.line] ?? "";
  const match = keyLine.exec(fullLine);
  const column = keyColumn(fullLine) ?? line.length;
  // A "- " line's own key is a sibling of the item's other keys; its parent sits left of the dash.
  const dash = /^(\s*)-(\s|$)/.exec(fullLine);
  const threshold = dash ? dash[1].length : column;

  const parents: string[] = [];
  let limit = threshold;
  for (let i = position.line - 1; i >= 0 && limit > 0; i--) {
    const candidate = lines[i];
    const candidateColumn = keyColumn(candidate);
    if (candidateColumn === undefined || candidateColumn >= limit) continue;
    const candidateKey = keyLine.exec(candidate);
    if (candidateKey) parents.unshift(candidateKey[3]);
    const candidateDash = /^(\s*)-(\s|$)/.exec(candidate);
    limit = candidateDash ? candidateDash[1].length : candidateColumn;
  }

  const colon = match ? fullLine.indexOf(":", match[1].length + (match[2]?.length ?? 0) + match[3].length) : -1;
  const inValue = match !== null && position.character > colon;
  if (inValue) {
    const valueStart = colon + 1 + (/^\s*/.exec(fullLine.slice(colon + 1))?.[0].length ?? 0);
    const raw = fullLine
      .slice(valueStart)
      .replace(/\s+#.*$/, "")
      .trimEnd();
    const unquoted = raw.replace(/^["']/, "").replace(/["']$/, "");
    const start = valueStart + (raw.length - raw.replace(/^["']/, "").length);
    return {
      parents,
      key: match![3],
      inValue,
      word: unquoted,
      wordRange: {
        start: { line: position.line, character: start },
        end: { line: position.line, character: start + unquoted.length },
      },
    };
  }
  const wordStart = Math.min(column, line.length);
  const word = fullLine.slice(wordStart).replace(/:.*$/, "").trimEnd();
  return {
    parents,
    key: match?.[3],
    inValue: false,
    word,
    wordRange: {
      start: { line: position.line, character: wordStart },
      end: { line: position.line, character: wordStart + word.length },
    },
  };
}

/** The index of the deployment whose item spans `offset`, from the parsed tree (tolerant of errors). */
export function deploymentIndexAt(document: Document, offset: number): number | undefined {
  const deployments = isMap(document.contents) ? document.contents.get("deployments", true) : undefined;
  if (!isSeq(deployments)) return undefined;
  let found: number | undefined;
  deployments.items.forEach((item, index) => {
    const range = (item as { range?: [number, number, number] } | null)?.range;
    if (range && range[0] <= offset && offset <= range[2]) found = index;
  });
  // The cursor may be just past the last item's end, on a line being typed.
  if (found === undefined && deployments.items.length) {
    const last = deployments.items[deployments.items.length - 1] as { range?: [number, number, number] } | null;
    if (last?.range && offset > last.range[0]) found = deployments.items.length - 1;
  }
  return found;
}
