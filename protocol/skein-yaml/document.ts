// A parsed skein.yaml that keeps every node's range, so each finding points at the exact text. The one parse of
// the file that the language server, `skein deploy` and the server share (protocol/skein-yaml/model.ts reads
// its meaning). Anchors, aliases and merge keys resolve as YAML defines them; `{{ }}` templates stay text.
import { isMap, isScalar, isSeq, parseDocument, type Document, type Node, type Pair, type YAMLMap } from "yaml";

/** Enough for any real skein.yaml, and a hard stop for alias bombs ("billion laughs"). */
const maxAliasCount = 1000;

import { LineIndex, type Position } from "../line-index.ts";

export type { Position };
export interface Range {
  start: Position;
  end: Position;
}

/** One problem in a skein.yaml, located; the editor shows it as a diagnostic, `skein deploy` as file:line:col. */
export interface Finding {
  range: Range;
  message: string;
  severity: "error" | "warning";
  code: string;
  /** Texts that may replace the range (quick fixes). */
  replacements?: string[];
}

export interface DeploymentEntry {
  index: number;
  node: YAMLMap;
  /** The deployment's value as plain data (aliases resolved). */
  value: Record<string, unknown>;
}

export class SkeinYamlDocument {
  private readonly lines: LineIndex;
  readonly document: Document.Parsed;
  readonly syntaxFindings: Finding[] = [];
  /** The whole file as plain data; undefined when it could not be converted (for example an alias bomb). */
  readonly value: unknown;

  constructor(
    readonly file: string,
    readonly text: string,
  ) {
    this.lines = new LineIndex(text);
    this.document = parseDocument(text, { prettyErrors: false, uniqueKeys: true, strict: true, merge: true });
    for (const error of this.document.errors)
      this.syntaxFindings.push(this.yamlIssue(error.pos, error.message, "error", error.code));
    for (const warning of this.document.warnings)
      this.syntaxFindings.push(this.yamlIssue(warning.pos, warning.message, "warning", warning.code));
    this.value = this.document.errors.length ? undefined : this.toPlainData();
  }

  private toPlainData(): unknown {
    try {
      return this.document.toJS({ maxAliasCount });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.syntaxFindings.push({
        range: this.rangeOf([0, 0]),
        message: `skein.yaml could not be read: ${message}. Reduce the use of aliases (*name)`,
        severity: "error",
        code: "yaml-aliases",
      });
      return undefined;
    }
  }

  private yamlIssue(pos: [number, number], message: string, severity: Finding["severity"], code: string): Finding {
    return { range: this.rangeOf(pos), message: `YAML: ${message.split("\n")[0]}`, severity, code };
  }

  positionAt(offset: number): Position {
    return this.lines.positionAt(offset);
  }

  rangeOf([start, end]: readonly [number, number] | readonly [number, number, number]): Range {
    return { start: this.positionAt(start), end: this.positionAt(Math.max(start, end)) };
  }

  /** The range of a node (its value), or of the whole first line when the node has no position. */
  rangeOfNode(node: Node | null | undefined): Range {
    return node?.range
      ? this.rangeOf([node.range[0], node.range[1]])
      : this.rangeOf([0, this.text.indexOf("\n") >>> 0]);
  }

  /** The node at a path of keys and indexes (`["deployments", 0, "entrypoint"]`), when present. */
  nodeAt(path: readonly (string | number)[]): Node | undefined {
    const node = this.document.getIn(path, true);
    return isScalar(node) || isMap(node) || isSeq(node) ? (node as Node) : undefined;
  }

  /** The key node of the pair at `path` (the last element names the key). */
  keyAt(path: readonly (string | number)[]): Node | undefined {
    const parent = path.length > 1 ? this.document.getIn(path.slice(0, -1), true) : this.document.contents;
    if (!isMap(parent)) return undefined;
    const pair = parent.items.find((item: Pair) => isScalar(item.key) && item.key.value === path[path.length - 1]);
    return pair && isScalar(pair.key) ? pair.key : undefined;
  }

  /** The key's range when the key is there, else the value's. */
  rangeOfKey(path: readonly (string | number)[]): Range {
    return this.rangeOfNode(this.keyAt(path) ?? this.nodeAt(path));
  }

  /** The deployments that are mappings, with their nodes. */
  deployments(): DeploymentEntry[] {
    const sequence = this.document.get("deployments", true);
    const plain = (this.value as { deployments?: unknown } | undefined)?.deployments;
    if (!isSeq(sequence) || !Array.isArray(plain)) return [];
    return sequence.items.flatMap((node, index) => {
      const value = plain[index];
      return isMap(node) && value && typeof value === "object" && !Array.isArray(value)
        ? [{ index, node, value: value as Record<string, unknown> }]
        : [];
    });
  }
}

/** The last parse of each file: revalidation after a flow change, and completion, reuse it while the text is the same. */
const lastParses = new Map<string, SkeinYamlDocument>();
const maxRememberedFiles = 100;

export function parseSkeinYaml(file: string, text: string): SkeinYamlDocument {
  const last = lastParses.get(file);
  if (last?.text === text) return last;
  const parsed = new SkeinYamlDocument(file, text);
  if (lastParses.size >= maxRememberedFiles) lastParses.clear();
  lastParses.set(file, parsed);
  return parsed;
}

/** `file:line:col` for a finding, as compilers print it (1-based). */
export const locate = (file: string, finding: Finding): string =>
  `${file}:${finding.range.start.line + 1}:${finding.range.start.character + 1}`;
