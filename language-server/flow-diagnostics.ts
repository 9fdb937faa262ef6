// Diagnostics in flow code. The file's own findings (options, templates) come with its analysis; this adds the
// ones that need the whole workspace: tasks called outside any flow, duplicate flow names, and parameters that
// cannot cross a process boundary on flows a skein.yaml deploys.
import path from "node:path";
import { Diagnostic, DiagnosticSeverity } from "vscode-languageserver";
import type { FileAnalysis, LocalDiagnostic } from "./model.ts";
import type { Located, WorkspaceIndex } from "./workspace-index.ts";
import type { DeployedFlow } from "./yaml/skein-yaml-validation.ts";

const severities: Record<LocalDiagnostic["severity"], DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
};

export interface WorkspaceFacts {
  duplicateFlowNames: Map<string, Located[]>;
  deployedFlows: DeployedFlow[];
}

export function workspaceFacts(index: WorkspaceIndex, deployedFlows: DeployedFlow[]): WorkspaceFacts {
  return { duplicateFlowNames: index.duplicateFlowNames(), deployedFlows };
}

export function flowDiagnostics(analysis: FileAnalysis, index: WorkspaceIndex, facts: WorkspaceFacts): Diagnostic[] {
  const diagnostics = analysis.diagnostics.map((local) =>
    Diagnostic.create(local.range, local.message, severities[local.severity], local.code, "skein"),
  );

  for (const call of analysis.topLevelCalls) {
    const target = index.resolveCall(analysis.file, call);
    if (target?.declaration.kind !== "task") continue;
    diagnostics.push(
      Diagnostic.create(
        call.range,
        `Task '${target.declaration.name}' is called outside any flow, so it will throw when this module loads. Call it from inside a flow, or call the bare function with ${call.localName}.fn(...)`,
        DiagnosticSeverity.Error,
        "task-outside-flow",
        "skein",
      ),
    );
  }

  for (const declaration of analysis.declarations) {
    if (declaration.kind !== "flow") continue;
    const sameName = facts.duplicateFlowNames.get(declaration.name);
    if (sameName) {
      const others = sameName
        .filter((other) => other.declaration !== declaration)
        .map(
          (other) =>
            `${path.basename(other.file)}:${other.declaration.nameRange.start.line + 1} (${other.declaration.localName})`,
        );
      diagnostics.push(
        Diagnostic.create(
          declaration.flowNameRange,
          `Flow name '${declaration.name}' is also used by ${others.join(", ")}; runs and deployments would be mixed up. Give each flow a unique \`name\` option`,
          DiagnosticSeverity.Error,
          "duplicate-flow-name",
          "skein",
        ),
      );
    }
    // By entrypoint, not identity: the yaml may have been validated against an older analysis of this file.
    const deployments = facts.deployedFlows
      .filter((deployed) => deployed.file === analysis.file && deployed.flow.exportPath === declaration.exportPath)
      .map((deployed) => deployed.deployment);
    if (!deployments.length) continue;
    for (const parameter of declaration.parameters) {
      if (!parameter.notSerializable) continue;
      diagnostics.push(
        Diagnostic.create(
          parameter.range,
          `Parameter '${parameter.name}' cannot cross a process boundary (${parameter.notSerializable}), but skein.yaml deploys this flow (${deployments.map((d) => `'${d}'`).join(", ")}) and deployment runs receive their parameters as JSON. Take plain data instead`,
          DiagnosticSeverity.Error,
          "parameter-not-serializable",
          "skein",
        ),
      );
    }
  }
  return diagnostics;
}
