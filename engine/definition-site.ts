// Where a task or flow is defined, read from the stack when task() / flow() is called: the file relative to its
// project, the line and column, and the variable that holds it (`export const load = task(...)` gives "load").
// This is a task's identity, so it must be the same however the code runs: `skein run` (an esbuild bundle whose
// stack Node maps back to the .ts files), the `skein/testing` harness and a plain script (tsx, or Node's own type
// stripping) all report the original file and position.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { SourceSite } from "../protocol/run-events.ts";

export interface DefinitionSite {
  /** Relative to the nearest folder with a package.json (else the working directory), with `/` separators. */
  file: string;
  line: number;
  column: number;
  /** The file's absolute path on this machine (an editor opens it; a deployment's entrypoint names it). */
  absoluteFile: string;
  /** The absolute folder `file` is relative to: the project, which scopes the task's cache entries. */
  project: string;
  /** The variable or property the definition is assigned to, when the source shows one. */
  variable?: string;
}

// "    at fn (file:3:9)", "    at file:3:9", "    at async fn (file:3:9)"
const FRAME = /^\s*at (?:(?:async )?(.*?) \()?(.+):(\d+):(\d+)\)?$/;
// Compilers apply decorators through helpers named __decorateElement, __decorate, __esDecorate...
const COMPILER_HELPER = /(?:^|\.)__\w/;
// What precedes `task(` when its value is assigned: `const load = `, `load: Task<...> = `, `{ load: `.
const ASSIGNED_TO = /([\p{ID_Start}$_][\p{ID_Continue}$]*)\s*(?::[^=;(){}]*=|:|=)\s*$/u;

/** The site of the call to `declaring` (task or flow) that is running now, or undefined when the stack has none. */
export function definitionSite(declaring: Function): DefinitionSite | undefined {
  const holder: { stack?: string } = {};
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 8; // the caller, and the compiler helpers between it and a decorator
  Error.captureStackTrace(holder, declaring);
  Error.stackTraceLimit = limit;
  for (const frame of (holder.stack ?? "").split("\n").slice(1)) {
    const match = FRAME.exec(frame);
    if (!match || COMPILER_HELPER.test(match[1] ?? "")) continue;
    const file = match[2].startsWith("file:") ? fileURLToPath(match[2]) : match[2];
    if (!path.isAbsolute(file)) return undefined; // node:internal, eval: no file to name the task after
    const line = Number(match[3]);
    const column = Number(match[4]);
    const project = projectRoot(path.dirname(file));
    return {
      file: path.relative(project, file).split(path.sep).join("/"),
      line,
      column,
      absoluteFile: file,
      project,
      variable: assignedVariable(file, line, column),
    };
  }
  return undefined;
}

/** The site as run events carry it (protocol/run-events.ts), made once per definition and shared by its runs. */
export function sourceSite(site: DefinitionSite | undefined): SourceSite | undefined {
  return site && { file: site.file, line: site.line, column: site.column, absoluteFile: site.absoluteFile };
}

const projectRoots = new Map<string, string>();

function projectRoot(dir: string): string {
  let root = projectRoots.get(dir);
  if (root === undefined) {
    const parent = path.dirname(dir);
    if (fs.existsSync(path.join(dir, "package.json"))) root = dir;
    else root = parent === dir ? process.cwd() : projectRoot(parent);
    projectRoots.set(dir, root);
  }
  return root;
}

const sourceLines = new Map<string, string[] | undefined>();

/** The name the source assigns the call at (line, column) to; the line before counts when the call starts one. */
function assignedVariable(file: string, line: number, column: number): string | undefined {
  let lines = sourceLines.get(file);
  if (!sourceLines.has(file)) {
    try {
      lines = fs.readFileSync(file, "utf8").split(/\r?\n/);
    } catch {
      lines = undefined; // a file we cannot read names nothing; the function's own name is used
    }
    sourceLines.set(file, lines);
  }
  if (!lines || line > lines.length) return undefined;
  let before = lines[line - 1].slice(0, column - 1);
  if (!before.trim() && line > 1) before = lines[line - 2];
  return ASSIGNED_TO.exec(before)?.[1];
}
