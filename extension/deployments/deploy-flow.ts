// "Deploy" from the lens: ensures the flow's entry in skein.yaml (deploy-scaffold.ts), then registers it with
// `skein deploy NAME` (skein-cli.ts) and says how that went: the deployment registered, or the CLI's first located
// error (file:line:col, with a button that goes there). A work pool the entry names but nobody created is the
// common first stumble: the user is offered to create it (`skein work-pool create NAME --type process`) and the
// deploy is tried again.
import type * as vscodeApi from "vscode";
import path from "node:path";
import type { FlowLensArgs } from "../../protocol/lsp.ts";
import { ensureDeploymentInSkeinYaml } from "../deploy-scaffold.ts";
import { type LocatedProblem, locatedProblems, runSkeinCli, type SkeinCli } from "./skein-cli.ts";

export interface DeployFlowDeps {
  vscode: typeof vscodeApi;
  cli: SkeinCli;
  /** After a deployment was registered (the Deployments view reloads). */
  onDeployed: () => void;
  /** After a work pool was created (the language server's skein.yaml checks know of it at once). */
  onPoolCreated: () => void;
}

export interface DeployOutcome {
  deployed: boolean;
  /** The deployment's name in skein.yaml. */
  name: string;
  /** What the user was told. */
  message: string;
}

export const CREATE_POOL_ACTION = "Create Work Pool";

/** The pool named by `skein deploy`'s "Work pool 'X' does not exist" error. */
export function missingPoolOf(problems: LocatedProblem[]): string | undefined {
  for (const problem of problems) {
    const match = /^Work pool '([^']+)' does not exist/.exec(problem.message);
    if (match) return match[1];
  }
  return undefined;
}

export async function deployFlow(deps: DeployFlowDeps, args: FlowLensArgs): Promise<DeployOutcome> {
  const { vscode } = deps;
  const entry = await ensureDeploymentInSkeinYaml(vscode, args);
  const deployArgs = ["deploy", entry.name, "--file", entry.yamlUri.fsPath];
  let offeredPool: string | undefined;
  for (;;) {
    const result = await runSkeinCli(deps.cli, deployArgs, entry.folder);
    if (result.code === 0) {
      const message = result.stdout.trim().split("\n")[0] || `Deployed '${entry.name}'`;
      void vscode.window.showInformationMessage(`Skein: ${message}`);
      deps.onDeployed();
      return { deployed: true, name: entry.name, message };
    }
    const problems = locatedProblems(result.stderr);
    const pool = missingPoolOf(problems);
    if (pool && pool !== offeredPool) {
      offeredPool = pool;
      // Modal: nothing can be deployed until the pool exists, and the question must not get lost among toasts.
      const choice = await vscode.window.showWarningMessage(
        `Work pool '${pool}' does not exist.`,
        {
          modal: true,
          detail: `Deployment '${entry.name}' sends its runs to work pool '${pool}'. Create it as a 'process' pool (runs start as local processes of a worker) and deploy again?`,
        },
        CREATE_POOL_ACTION,
      );
      if (choice !== CREATE_POOL_ACTION) return refused(deps, entry.name, problems, result.stderr, entry.folder);
      const created = await runSkeinCli(deps.cli, ["work-pool", "create", pool, "--type", "process"], entry.folder);
      if (created.code !== 0) return refused(deps, entry.name, [], created.stderr, entry.folder);
      deps.onPoolCreated();
      continue;
    }
    return refused(deps, entry.name, problems, result.stderr, entry.folder);
  }
}

/** Tells the user why nothing was deployed: the first located error (with a way there), else the CLI's last line. */
function refused(
  deps: DeployFlowDeps,
  name: string,
  problems: LocatedProblem[],
  stderr: string,
  /** What the CLI's relative file names are relative to. */
  folder: string,
): DeployOutcome {
  const { vscode } = deps;
  const first = problems.find((problem) => problem.severity === "error");
  const lastLine = stderr.trim().split("\n").at(-1) ?? "skein deploy failed";
  const message = first
    ? `${first.file}:${first.line}:${first.column}: ${first.message}`
    : lastLine.replace(/^error:\s*/i, "");
  const goTo = "Go to Problem";
  void vscode.window
    .showErrorMessage(`Skein: could not deploy '${name}': ${message}`, ...(first ? [goTo] : []))
    .then((choice) => {
      if (choice !== goTo || !first) return;
      const file = path.resolve(folder, first.file);
      const at = new vscode.Position(first.line - 1, first.column - 1);
      void vscode.window.showTextDocument(vscode.Uri.file(file), { selection: new vscode.Range(at, at) });
    });
  return { deployed: false, name, message };
}
