// What the run views' buttons do outside the webview: open a link (http and https only, in the browser), go to a
// task's source line, run the flow again with the same parameters, fetch another run of the same flow for the
// Compare tab, and list an artifact key's artifacts across runs. Every request has already passed
// parseRunViewRequest; what it names is still looked up in the run's own snapshot or sent to the server as a
// query value, never trusted as a path or a command.
import type * as vscodeApi from "vscode";
import path from "node:path";
import { LensCommands } from "../../protocol/lsp.ts";
import { emptyRunSnapshot, RunSnapshotReducer, type SnapshotTaskRun } from "../../protocol/run-snapshot.ts";
import { ARTIFACT_HISTORY_LIMIT, isOpenableLink, type RunViewRequest } from "../../protocol/webview/run-view.ts";
import type { RunSource } from "./run-source.ts";
import type { RunViewHost, RunViewPanel } from "./run-view-panel.ts";

/** A command another part of the extension may register to run an entrypoint with parameters (`skein run`). */
export const RUN_ENTRYPOINT_COMMAND = "skein.runEntrypoint";

/** Where a task is defined; the engine adds it to task runs (optional: older runs have none). */
interface SourceLocation {
  file: string;
  line: number;
  column?: number;
}

export function runViewActions(vscode: typeof vscodeApi, source: RunSource): RunViewHost {
  return {
    handle(view, request) {
      void act(vscode, source, view, request).catch((error: Error) =>
        view.post({ type: "error", message: error.message }),
      );
    },
  };
}

async function act(
  vscode: typeof vscodeApi,
  source: RunSource,
  view: RunViewPanel,
  request: Exclude<RunViewRequest, { type: "ready" }>,
): Promise<void> {
  const snapshot = view.snapshot;
  const run = snapshot.flowRuns[view.flowRunId];
  switch (request.type) {
    case "open-link":
      if (isOpenableLink(request.url)) await vscode.env.openExternal(vscode.Uri.parse(request.url, true));
      return;
    case "go-to-source": {
      const location = sourceOf(snapshot.taskRuns[request.taskRunId]);
      if (!location) throw new Error("This task run does not say where its task is defined.");
      const position = new vscode.Position(Math.max(0, location.line - 1), Math.max(0, (location.column ?? 1) - 1));
      await vscode.window.showTextDocument(vscode.Uri.file(location.file), {
        selection: new vscode.Range(position, position),
        viewColumn: vscode.ViewColumn.One,
      });
      return;
    }
    case "run-again":
      if (!run?.entrypoint) throw new Error("This run has no entrypoint (it was not started by `skein run`).");
      await runAgain(vscode, run.entrypoint, run.parameters);
      return;
    case "list-compare-candidates": {
      if (!run) return;
      const candidates = await source.listRuns(run.flowName, 100);
      view.post({
        type: "compare-candidates",
        candidates: candidates.filter((candidate) => candidate.flowRunId !== view.flowRunId),
      });
      return;
    }
    case "load-compare": {
      const reducer = new RunSnapshotReducer(emptyRunSnapshot(request.flowRunId));
      reducer.apply(await source.load(request.flowRunId));
      view.post({ type: "compare-snapshot", flowRunId: request.flowRunId, snapshot: reducer.snapshot });
      return;
    }
    case "list-artifact-history":
      view.post({
        type: "artifact-history",
        key: request.key,
        artifacts: await source.artifactHistory(request.key, ARTIFACT_HISTORY_LIMIT),
      });
      return;
  }
}

/**
 * Runs the flow of `entrypoint` (`path/to/file.ts:exportPath`, relative to the workspace) again with these
 * parameters: through the run-entrypoint command when one is registered, else through the lens's Run command.
 */
export async function runAgain(
  vscode: typeof vscodeApi,
  entrypoint: string,
  parameters: Record<string, unknown>,
): Promise<void> {
  const commands = await vscode.commands.getCommands(true);
  if (commands.includes(RUN_ENTRYPOINT_COMMAND)) {
    await vscode.commands.executeCommand(RUN_ENTRYPOINT_COMMAND, { entrypoint, parameters });
    return;
  }
  const separator = entrypoint.lastIndexOf(":");
  if (separator <= 0) throw new Error(`Cannot run '${entrypoint}': an entrypoint is path/to/file.ts:exportName.`);
  const relative = entrypoint.slice(0, separator);
  const exportPath = entrypoint.slice(separator + 1);
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? "";
  const file = path.isAbsolute(relative) ? relative : path.join(folder, relative);
  await vscode.commands.executeCommand(LensCommands.run, {
    file,
    exportPath,
    flowName: exportPath,
    parameters,
  });
}

function sourceOf(taskRun: SnapshotTaskRun | undefined): SourceLocation | undefined {
  const location = (taskRun as { source?: unknown } | undefined)?.source as Partial<SourceLocation> | undefined;
  if (typeof location?.file !== "string" || typeof location.line !== "number") return undefined;
  return { file: location.file, line: location.line, column: location.column };
}
