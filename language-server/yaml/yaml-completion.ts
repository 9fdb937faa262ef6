// Completion in skein.yaml: entrypoints of the workspace's flows, the parameter names of the deployment's
// flow, known work pools, and the keys a deployment may have.
import { CompletionItemKind, type CompletionItem } from "vscode-languageserver";
import type { Position } from "vscode-languageserver";
import type { TextDocument } from "vscode-languageserver-textdocument";
import skeinYamlSchema from "../../protocol/skein-yaml/skein-yaml.schema.json";
import { signatureOf } from "../declaration-summary.ts";
import type { WorkPoolDirectory } from "../work-pools.ts";
import type { WorkspaceIndex } from "../workspace-index.ts";
import { entrypointsFrom, resolveEntrypoint } from "./entrypoints.ts";
import { parseSkeinYaml } from "../../protocol/skein-yaml/document.ts";
import { cursorAt, deploymentIndexAt } from "./yaml-cursor.ts";

// Every key the schema allows, except the deployment-level `job_variables` it names only to say where it belongs.
const deploymentKeys = (
  Object.entries(skeinYamlSchema.definitions.deployment.properties) as [string, { description?: string }][]
).filter(([key]) => key !== "job_variables");

export async function skeinYamlCompletion(
  file: string,
  document: TextDocument,
  position: Position,
  index: WorkspaceIndex,
  pools: WorkPoolDirectory,
): Promise<CompletionItem[]> {
  const text = document.getText();
  const cursor = cursorAt(text, position);
  const replace = (newText: string) => ({ range: cursor.wordRange, newText });
  const parent = cursor.parents[cursor.parents.length - 1];

  if (cursor.inValue && cursor.key === "entrypoint" && parent === "deployments") {
    return entrypointsFrom(index, file).map(({ entrypoint, flow }) => ({
      label: entrypoint,
      kind: CompletionItemKind.Function,
      detail: signatureOf(flow),
      textEdit: replace(entrypoint),
    }));
  }
  if (cursor.inValue && cursor.key === "name" && parent === "work_pool") {
    const names = (await pools.names()) ?? [];
    return names.map((name) => ({
      label: name,
      kind: CompletionItemKind.Value,
      detail: "work pool",
      textEdit: replace(name),
    }));
  }
  if (!cursor.inValue && parent === "parameters" && cursor.parents.includes("deployments")) {
    const yaml = parseSkeinYaml(file, text);
    const deploymentIndex = deploymentIndexAt(yaml.document, document.offsetAt(position));
    const entrypoint =
      deploymentIndex === undefined ? undefined : yaml.document.getIn(["deployments", deploymentIndex, "entrypoint"]);
    if (typeof entrypoint !== "string") return [];
    const resolution = resolveEntrypoint(index, file, entrypoint);
    if (resolution.status !== "flow") return [];
    const given = yaml.document.getIn(["deployments", deploymentIndex!, "parameters"]) as
      | { has?: (key: string) => boolean }
      | undefined;
    return resolution.flow.parameters
      .filter((parameter) => parameter.name === cursor.word || !given?.has?.(parameter.name))
      .map((parameter) => ({
        label: parameter.name,
        kind: CompletionItemKind.Property,
        detail: parameter.typeText ?? "untyped",
        documentation: parameter.defaultText
          ? `Default: ${parameter.defaultText}`
          : parameter.optional
            ? "Optional"
            : "Required",
        textEdit: replace(`${parameter.name}: `),
      }));
  }
  if (!cursor.inValue && parent === "deployments") {
    return deploymentKeys.map(([key, property]) => ({
      label: key,
      kind: CompletionItemKind.Property,
      documentation: property.description,
      textEdit: replace(`${key}: `),
    }));
  }
  return [];
}
