// The SkeinConnection as the editor configures it: `skein.apiUrl` (empty: the local server of the SKEIN_HOME),
// `skein.home` (empty: the SKEIN_HOME environment variable, else ~/.skein), and the remote server's API key in VS
// Code's SecretStorage (never in settings, which are synced and shared in plain text). A settings change or a new
// key resets the connection, and everything that shows Skein's data reloads through `onDidReset`.
import type * as vscodeApi from "vscode";
import os from "node:os";
import path from "node:path";
import { type ConnectionStatus, SkeinConnection } from "./skein-connection.ts";

export const API_KEY_SECRET = "skein.apiKey";

export const ConnectionCommands = {
  setApiKey: "skein.setApiKey",
  clearApiKey: "skein.clearApiKey",
} as const;

export interface EditorConnectionDeps {
  vscode: typeof vscodeApi;
  secrets: vscodeApi.SecretStorage;
  /** Starts the local server of a SKEIN_HOME (local-server.ts with the flow runtime). */
  startLocalServer(home: string): Promise<string>;
}

export interface EditorConnection extends vscodeApi.Disposable {
  readonly connection: SkeinConnection;
  /** The SKEIN_HOME the editor's runs and the local server use. */
  home(): string;
  /** Forgets the current server; the next call connects again, and `onDidReset` listeners reload. */
  reset(): void;
  readonly onDidReset: vscodeApi.Event<void>;
  readonly onDidChangeStatus: vscodeApi.Event<ConnectionStatus>;
}

/** `skein.home`, else SKEIN_HOME, else ~/.skein: the same rule as the CLI's, with the setting first. */
export function resolveHome(configured: string, env: NodeJS.ProcessEnv = process.env): string {
  const chosen = configured.trim() || env.SKEIN_HOME || path.join(os.homedir(), ".skein");
  return path.resolve(chosen.replace(/^~(?=$|[\\/])/, os.homedir()));
}

export function createEditorConnection(deps: EditorConnectionDeps): EditorConnection {
  const { vscode } = deps;
  const settings = () => vscode.workspace.getConfiguration("skein");
  const resetEmitter = new vscode.EventEmitter<void>();
  const statusEmitter = new vscode.EventEmitter<ConnectionStatus>();
  const home = () => resolveHome(settings().get<string>("home", ""));
  // The server the connection last reached: when it reconnects elsewhere by itself (the local server was stopped
  // and started again on another port), what followed the old server's stream must reload too.
  let lastUrl: string | undefined;
  const connection = new SkeinConnection({
    home,
    apiUrl: () => settings().get<string>("apiUrl", ""),
    apiKey: async () => (await deps.secrets.get(API_KEY_SECRET)) || undefined,
    startLocalServer: deps.startLocalServer,
    onStatus: (status) => {
      statusEmitter.fire(status);
      if (status.kind !== "connected") return;
      const moved = lastUrl !== undefined && lastUrl !== status.url;
      lastUrl = status.url;
      if (moved) resetEmitter.fire();
    },
  });
  const reset = () => {
    lastUrl = undefined;
    connection.reset();
    resetEmitter.fire();
  };

  const disposables: vscodeApi.Disposable[] = [
    resetEmitter,
    statusEmitter,
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration("skein.apiUrl") || event.affectsConfiguration("skein.home")) reset();
    }),
    deps.secrets.onDidChange((event) => {
      if (event.key === API_KEY_SECRET) reset();
    }),
    vscode.commands.registerCommand(ConnectionCommands.setApiKey, async () => {
      const key = await vscode.window.showInputBox({
        title: "Skein: API key of the remote server (skein.apiUrl)",
        prompt: "Kept in VS Code's secret storage, sent as a Bearer token.",
        password: true,
        ignoreFocusOut: true,
      });
      if (key === undefined) return;
      await deps.secrets.store(API_KEY_SECRET, key.trim());
    }),
    vscode.commands.registerCommand(ConnectionCommands.clearApiKey, () => deps.secrets.delete(API_KEY_SECRET)),
  ];

  return {
    connection,
    home,
    reset,
    onDidReset: resetEmitter.event,
    onDidChangeStatus: statusEmitter.event,
    dispose() {
      connection.dispose();
      for (const disposable of disposables) disposable.dispose();
    },
  };
}
