// The entrypoint grammar `path/to/file.ts:exportName` or `path/to/file.ts:Class.method`, shared by `skein run`,
// skein.yaml (language server) and the deployment API's JSON Schema, so all three accept exactly the same texts.
// The last colon separates the file from the export: a path may hold colons itself ("C:\flows\etl.ts:etl" on
// Windows, "a:b/etl.ts:etl" on POSIX). Identifiers are JavaScript's, Unicode included.

const identifier = "[\\p{ID_Start}$_][\\p{ID_Continue}$\\u200C\\u200D]*";
const exportPathPattern = `${identifier}(?:\\.${identifier})?`;

/**
 * The grammar as a JSON Schema `pattern` (ajv compiles patterns with the `u` flag, which `\p{...}` needs). The file
 * part starts with neither a space nor a colon and spans no line break; the export is `name` or `Class.method`.
 */
export const ENTRYPOINT_PATTERN = `^[^\\s:][^\\r\\n]*:${exportPathPattern}$`;

const entrypointRegExp = new RegExp(`^([^\\s:][^\\r\\n]*):(${exportPathPattern})$`, "u");

export interface Entrypoint {
  /** The file as written: relative to the working directory (CLI) or to the skein.yaml's folder. */
  file: string;
  /** `exportName` or `Class.method`. */
  exportPath: string;
}

/** The parts of an entrypoint text, or undefined when it does not follow the grammar. */
export function parseEntrypoint(text: string): Entrypoint | undefined {
  const match = entrypointRegExp.exec(text);
  return match ? { file: match[1], exportPath: match[2] } : undefined;
}

/** The entrypoint text of a file (written with `/` separators by the caller) and an export path. */
export function formatEntrypoint({ file, exportPath }: Entrypoint): string {
  return `${file}:${exportPath}`;
}
