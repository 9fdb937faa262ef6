// Artifacts: markdown, tables, links, progress (updatable) and images attached to the current run. Secrets are
// masked in their content where every run event is (runtime.ts emit).
import { isoNow, newId } from "../protocol/ids.ts";
import type { ArtifactType } from "../protocol/run-events.ts";
import { currentScope } from "./context.ts";
import { SkeinError } from "./errors.ts";
import { emit } from "./runtime.ts";

export interface ArtifactOptions {
  /** Artifacts with a key form a history you can look up across runs (lowercase, digits and dashes). */
  key?: string;
  description?: string;
}

function createArtifact(type: ArtifactType, data: unknown, options: ArtifactOptions): string {
  const scope = currentScope();
  if (!scope)
    throw new SkeinError(`create${type[0].toUpperCase()}${type.slice(1)}Artifact() was called outside a flow run`);
  if (options.key !== undefined && !/^[a-z0-9-]+$/.test(options.key)) {
    throw new SkeinError(`Artifact key '${options.key}' must contain only lowercase letters, digits and dashes`);
  }
  const artifactId = newId();
  emit({
    kind: "artifact",
    id: artifactId,
    artifactId,
    timestamp: isoNow(),
    flowRunId: scope.flowRun.id,
    taskRunId: scope.taskRun?.id,
    key: options.key,
    type,
    description: options.description,
    data,
  });
  return artifactId;
}

export function createMarkdownArtifact(markdown: string, options: ArtifactOptions = {}): string {
  return createArtifact("markdown", markdown, options);
}

/** Rows as objects ({column: value}) or as arrays with `columns` naming them. */
export function createTableArtifact(
  rows: Record<string, unknown>[] | unknown[][],
  options: ArtifactOptions & { columns?: string[] } = {},
): string {
  const { columns, ...rest } = options;
  return createArtifact("table", columns ? { columns, rows } : { rows }, rest);
}

export function createLinkArtifact(url: string, options: ArtifactOptions & { linkText?: string } = {}): string {
  const { linkText, ...rest } = options;
  return createArtifact("link", { url, text: linkText ?? url }, rest);
}

export function createImageArtifact(imageUrl: string, options: ArtifactOptions = {}): string {
  return createArtifact("image", { url: imageUrl }, options);
}

export function createProgressArtifact(progress: number, options: ArtifactOptions = {}): string {
  return createArtifact("progress", clampProgress(progress), options);
}

export function updateProgressArtifact(artifactId: string, progress: number): void {
  const scope = currentScope();
  emit({
    kind: "artifact-updated",
    id: newId(),
    artifactId,
    timestamp: isoNow(),
    flowRunId: scope?.flowRun.id ?? "",
    data: clampProgress(progress),
  });
}

function clampProgress(progress: number): number {
  if (!Number.isFinite(progress)) throw new SkeinError(`Progress must be a number from 0 to 100, got ${progress}`);
  return Math.min(100, Math.max(0, progress));
}
