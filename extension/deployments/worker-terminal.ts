// "Start worker": `skein worker start --pool P` in a VS Code terminal named "Skein worker: P". A terminal, not a
// hidden child process, because a worker is long-lived and the user owns it: they see what it claims and the
// runs' output, and stop it (Ctrl+C or the terminal's trash can) like any worker they would start by hand. It runs
// with the extension's Node runtime and the SKEIN_HOME the views show, in the workspace folder (deployment
// entrypoints are relative to it). Asking twice for the same pool shows the terminal already running.
import type * as vscodeApi from "vscode";
import type { SkeinCli } from "./skein-cli.ts";

export const workerTerminalName = (pool: string): string => `Skein worker: ${pool}`;

export async function startWorkerTerminal(
  vscode: typeof vscodeApi,
  cli: SkeinCli,
  pool: string,
  cwd: string,
): Promise<vscodeApi.Terminal> {
  const name = workerTerminalName(pool);
  const running = vscode.window.terminals.find(
    (terminal) => terminal.name === name && terminal.exitStatus === undefined,
  );
  if (running) {
    running.show();
    return running;
  }
  const runtime = await cli.runtime();
  const terminal = vscode.window.createTerminal({
    name,
    cwd,
    // The worker is the terminal's process: no shell, so no quoting and no profile scripts in between.
    shellPath: runtime.command,
    shellArgs: [cli.cliPath, "worker", "start", "--pool", pool],
    env: runtime.env,
    iconPath: new vscode.ThemeIcon("server-process"),
  });
  terminal.show(true);
  return terminal;
}
