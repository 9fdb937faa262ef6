// Full validation of one skein.yaml in the editor: the shared model's findings (syntax, schema, schedules,
// keys Prefect drops: protocol/skein-yaml/model.ts), then what needs the workspace (entrypoints that name flows,
// parameters against their signatures) and the server (work pools). Entrypoint and parameter checks wait for
// the workspace index: before the start-up scan ends, every flow would look missing.
import path from "node:path";
import { Diagnostic, DiagnosticSeverity } from "vscode-languageserver";
import { closestNames, didYouMeanText } from "../../protocol/closest-names.ts";
import { formatEntrypoint, parseEntrypoint } from "../../protocol/entrypoints.ts";
import type { DeploymentEntry, Finding, SkeinYamlDocument } from "../../protocol/skein-yaml/document.ts";
import { isTemplate, readSkeinYaml } from "../../protocol/skein-yaml/model.ts";
import { withReplacements } from "../quick-fixes.ts";
import type { Declaration } from "../model.ts";
import type { WorkPoolDirectory } from "../work-pools.ts";
import type { WorkspaceIndex } from "../workspace-index.ts";
import { entrypointsFrom, resolveEntrypoint } from "./entrypoints.ts";
import { parameterDiagnostics } from "./parameter-checks.ts";

export interface DeployedFlow {
  file: string;
  flow: Declaration;
  deployment: string;
}

export interface SkeinYamlReport {
  diagnostics: Diagnostic[];
  /** The flows this file deploys, for checks in flow code (parameters that cannot cross a process boundary). */
  deployedFlows: DeployedFlow[];
}

/** A finding of the shared model as an editor diagnostic (its replacements as quick fixes). */
export function toDiagnostic(finding: Finding): Diagnostic {
  const severity = finding.severity === "error" ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning;
  return withReplacements(
    Diagnostic.create(finding.range, finding.message, severity, finding.code, "skein"),
    finding.replacements ?? [],
  );
}

export async function validateSkeinYaml(
  file: string,
  text: string,
  index: WorkspaceIndex,
  pools: WorkPoolDirectory,
  indexReady = true,
): Promise<SkeinYamlReport> {
  try {
    return await validateParsed(file, text, index, pools, indexReady);
  } catch (error) {
    // Pathological input (say, nesting deep enough to exhaust the stack) must still end in a located message.
    const reason =
      error instanceof RangeError ? "it is nested too deeply" : error instanceof Error ? error.message : String(error);
    const origin = { line: 0, character: 0 };
    return {
      diagnostics: [
        Diagnostic.create(
          { start: origin, end: origin },
          `skein.yaml could not be validated: ${reason}`,
          DiagnosticSeverity.Error,
          "yaml-unreadable",
          "skein",
        ),
      ],
      deployedFlows: [],
    };
  }
}

async function validateParsed(
  file: string,
  text: string,
  index: WorkspaceIndex,
  pools: WorkPoolDirectory,
  indexReady: boolean,
): Promise<SkeinYamlReport> {
  const model = readSkeinYaml(file, text);
  const yaml = model.document;
  const diagnostics = model.findings.map(toDiagnostic);
  const deployedFlows: DeployedFlow[] = [];
  const deployments = yaml.deployments();
  if (indexReady) {
    for (const deployment of deployments) {
      const flow = checkEntrypoint(yaml, deployment, index, diagnostics);
      if (!flow) continue;
      const name = deployment.value.name;
      deployedFlows.push({ ...flow, deployment: typeof name === "string" ? name : `#${deployment.index + 1}` });
      diagnostics.push(...parameterDiagnostics(yaml, deployment, flow.flow));
    }
  }
  diagnostics.push(...(await poolDiagnostics(yaml, deployments, pools)));
  return { diagnostics, deployedFlows };
}

function checkEntrypoint(
  yaml: SkeinYamlDocument,
  deployment: DeploymentEntry,
  index: WorkspaceIndex,
  diagnostics: Diagnostic[],
): { file: string; flow: Declaration } | undefined {
  const entrypoint = deployment.value.entrypoint;
  if (typeof entrypoint !== "string" || isTemplate(entrypoint)) return undefined; // the model reports a missing one
  const range = yaml.rangeOfNode(yaml.nodeAt(["deployments", deployment.index, "entrypoint"]));
  const report = (message: string, replacements: string[] = []) =>
    diagnostics.push(
      withReplacements(
        Diagnostic.create(range, message, DiagnosticSeverity.Error, "invalid-entrypoint", "skein"),
        replacements,
      ),
    );
  const resolution = resolveEntrypoint(index, yaml.file, entrypoint);
  const relativeFile = parseEntrypoint(entrypoint)?.file ?? entrypoint;
  switch (resolution.status) {
    case "flow":
      return { file: resolution.entrypoint.file, flow: resolution.flow };
    case "malformed":
      return undefined;
    case "no-such-file": {
      const files = entrypointsFrom(index, yaml.file).map((candidate) => candidate.relativeFile);
      const close = closestNames(relativeFile, files);
      report(
        `No file '${relativeFile}' (paths are relative to ${path.basename(yaml.file)}'s folder).${didYouMeanText(close)}`,
        close.map((file) => formatEntrypoint({ file, exportPath: resolution.entrypoint.exportPath })),
      );
      return undefined;
    }
    case "not-a-flow":
      report(
        `'${resolution.entrypoint.exportPath}' in ${relativeFile} is a task, not a flow; deploy a flow (tasks run inside flows)`,
      );
      return undefined;
    case "no-such-export": {
      const inFile = resolution.flowsInFile.map((flow) => flow.exportPath!);
      if (inFile.length) {
        const close = closestNames(resolution.entrypoint.exportPath, inFile);
        report(
          `${relativeFile} has no exported flow '${resolution.entrypoint.exportPath}'.${didYouMeanText(close) || ` Its flows: ${inFile.join(", ")}.`}`,
          close.map((name) => formatEntrypoint({ file: relativeFile, exportPath: name })),
        );
      } else {
        const close = closestNames(
          entrypoint,
          entrypointsFrom(index, yaml.file).map((candidate) => candidate.entrypoint),
        );
        report(
          `${relativeFile} has no exported flow '${resolution.entrypoint.exportPath}'. It exports no flows.${didYouMeanText(close)}`,
          close,
        );
      }
      return undefined;
    }
  }
}

async function poolDiagnostics(
  yaml: SkeinYamlDocument,
  deployments: DeploymentEntry[],
  pools: WorkPoolDirectory,
): Promise<Diagnostic[]> {
  const named = deployments.flatMap((deployment) => {
    const pool = (deployment.value.work_pool as { name?: unknown } | undefined)?.name;
    return typeof pool === "string" && !isTemplate(pool)
      ? [{ pool, range: yaml.rangeOfNode(yaml.nodeAt(["deployments", deployment.index, "work_pool", "name"])) }]
      : [];
  });
  if (!named.length) return [];
  const known = await pools.names();
  if (!known) {
    return named.map(({ pool, range }) =>
      Diagnostic.create(
        range,
        `Work pool '${pool}' could not be verified: ${pools.unavailableReason}`,
        DiagnosticSeverity.Warning,
        "unverified-work-pool",
        "skein",
      ),
    );
  }
  return named
    .filter(({ pool }) => !known.includes(pool))
    .map(({ pool, range }) => {
      const close = closestNames(pool, known);
      return withReplacements(
        Diagnostic.create(
          range,
          `The Skein server has no work pool '${pool}'.${didYouMeanText(close) || ` Known pools: ${known.join(", ") || "none"}.`} Create it with \`skein work-pool create ${pool}\` or pick a known one`,
          DiagnosticSeverity.Error,
          "unknown-work-pool",
          "skein",
        ),
        close,
      );
    });
}
