// `path/to/file.ts:exportName` entrypoints in skein.yaml, resolved against the flow index.
import fs from "node:fs";
import path from "node:path";
import type { Declaration } from "../model.ts";
import type { WorkspaceIndex } from "../workspace-index.ts";

export interface Entrypoint {
  /** Absolute path of the file, resolved from the skein.yaml's folder. */
  file: string;
  exportPath: string;
}

function parseEntrypoint(yamlFile: string, entrypoint: string): Entrypoint | undefined {
  const colon = entrypoint.lastIndexOf(":");
  if (colon <= 0 || colon === entrypoint.length - 1) return undefined;
  return {
    file: path.resolve(path.dirname(yamlFile), entrypoint.slice(0, colon)),
    exportPath: entrypoint.slice(colon + 1),
  };
}

export type EntrypointResolution =
  | { status: "flow"; entrypoint: Entrypoint; flow: Declaration }
  | { status: "not-a-flow"; entrypoint: Entrypoint; declaration: Declaration }
  | { status: "no-such-export"; entrypoint: Entrypoint; flowsInFile: Declaration[] }
  | { status: "no-such-file"; entrypoint: Entrypoint }
  | { status: "malformed" };

export function resolveEntrypoint(index: WorkspaceIndex, yamlFile: string, entrypoint: string): EntrypointResolution {
  const parsed = parseEntrypoint(yamlFile, entrypoint);
  if (!parsed) return { status: "malformed" };
  const declaration = index.findExport(parsed.file, parsed.exportPath);
  if (declaration?.kind === "flow") return { status: "flow", entrypoint: parsed, flow: declaration };
  if (declaration) return { status: "not-a-flow", entrypoint: parsed, declaration };
  const analysis = index.get(parsed.file);
  if (!analysis && !fs.existsSync(parsed.file)) return { status: "no-such-file", entrypoint: parsed };
  return {
    status: "no-such-export",
    entrypoint: parsed,
    flowsInFile: analysis?.declarations.filter((candidate) => candidate.kind === "flow" && candidate.exportPath) ?? [],
  };
}

/** Every exported flow as an entrypoint string relative to the skein.yaml's folder. */
export function entrypointsFrom(
  index: WorkspaceIndex,
  yamlFile: string,
): { entrypoint: string; file: string; flow: Declaration }[] {
  const base = path.dirname(yamlFile);
  return [...index.declarations("flow")]
    .filter(({ declaration }) => declaration.exportPath)
    .map(({ file, declaration }) => ({
      entrypoint: `${path.relative(base, file).split(path.sep).join("/")}:${declaration.exportPath}`,
      file,
      flow: declaration,
    }));
}
