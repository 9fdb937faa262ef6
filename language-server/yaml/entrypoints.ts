// `path/to/file.ts:exportName` entrypoints in skein.yaml, resolved against the flow index.
import fs from "node:fs";
import path from "node:path";
import { type Entrypoint, formatEntrypoint, parseEntrypoint } from "../../protocol/entrypoints.ts";
import type { Declaration } from "../model.ts";
import type { WorkspaceIndex } from "../workspace-index.ts";

/** An entrypoint of skein.yaml with its file made absolute from the skein.yaml's folder. */
function parseYamlEntrypoint(yamlFile: string, entrypoint: string): Entrypoint | undefined {
  const parsed = parseEntrypoint(entrypoint);
  return parsed && { ...parsed, file: path.resolve(path.dirname(yamlFile), parsed.file) };
}

export type EntrypointResolution =
  | { status: "flow"; entrypoint: Entrypoint; flow: Declaration }
  | { status: "not-a-flow"; entrypoint: Entrypoint; declaration: Declaration }
  | { status: "no-such-export"; entrypoint: Entrypoint; flowsInFile: Declaration[] }
  | { status: "no-such-file"; entrypoint: Entrypoint }
  | { status: "malformed" };

export function resolveEntrypoint(index: WorkspaceIndex, yamlFile: string, entrypoint: string): EntrypointResolution {
  const parsed = parseYamlEntrypoint(yamlFile, entrypoint);
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

/** Every exported flow as an entrypoint string relative to the skein.yaml's folder (and that relative file). */
export function entrypointsFrom(
  index: WorkspaceIndex,
  yamlFile: string,
): { entrypoint: string; relativeFile: string; file: string; flow: Declaration }[] {
  const base = path.dirname(yamlFile);
  return [...index.declarations("flow")]
    .filter(({ declaration }) => declaration.exportPath)
    .map(({ file, declaration }) => {
      const relativeFile = path.relative(base, file).split(path.sep).join("/");
      const entrypoint = formatEntrypoint({ file: relativeFile, exportPath: declaration.exportPath as string });
      return { entrypoint, relativeFile, file, flow: declaration };
    });
}
