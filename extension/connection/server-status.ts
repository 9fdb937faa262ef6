// The status bar item that says which Skein server the editor reads (local or remote, its store backend), or that
// it is connecting or failed and why. Clicking it offers what fixes the usual problems: start or stop the local
// server, open its log, point the editor at a remote server (or back at the local one), set the API key.
import type * as vscodeApi from "vscode";
import path from "node:path";
import type { EditorConnection } from "./editor-connection.ts";
import { ConnectionCommands } from "./editor-connection.ts";
import type { ConnectionStatus } from "./skein-connection.ts";

export const SERVER_MENU_COMMAND = "skein.serverMenu";

export interface ServerStatusDeps {
  vscode: typeof vscodeApi;
  editorConnection: EditorConnection;
  startLocalServer(home: string): Promise<string>;
  stopLocalServer(home: string): Promise<string>;
}

/** Text, tooltip and whether it is an error, for a connection status. */
export function describeStatus(status: ConnectionStatus): { text: string; tooltip: string; error: boolean } {
  switch (status.kind) {
    case "idle":
      return { text: "$(circle-outline) Skein", tooltip: "Skein: not connected yet", error: false };
    case "connecting":
      return { text: "$(sync~spin) Skein", tooltip: `Skein: connecting to ${status.target}`, error: false };
    case "connected":
      return {
        text: `$(${status.remote ? "cloud" : "database"}) Skein: ${status.remote ? "remote" : "local"} · ${status.backend}`,
        tooltip: `Skein server ${status.url} (${status.backend} store at ${status.location})`,
        error: false,
      };
    case "failed":
      return { text: "$(error) Skein: offline", tooltip: status.message, error: true };
  }
}

export function createServerStatus(deps: ServerStatusDeps): vscodeApi.Disposable[] {
  const { vscode, editorConnection } = deps;
  const item = vscode.window.createStatusBarItem("skein.server", vscode.StatusBarAlignment.Left, 10);
  item.name = "Skein server";
  item.command = SERVER_MENU_COMMAND;
  const show = (status: ConnectionStatus) => {
    const { text, tooltip, error } = describeStatus(status);
    item.text = text;
    item.tooltip = tooltip;
    item.backgroundColor = error ? new vscode.ThemeColor("statusBarItem.errorBackground") : undefined;
  };
  show(editorConnection.connection.lastStatus);
  item.show();

  return [
    item,
    editorConnection.onDidChangeStatus(show),
    vscode.commands.registerCommand(SERVER_MENU_COMMAND, () => serverMenu(deps)),
  ];
}

async function serverMenu(deps: ServerStatusDeps): Promise<void> {
  const { vscode, editorConnection } = deps;
  const home = editorConnection.home();
  const remoteUrl = vscode.workspace.getConfiguration("skein").get<string>("apiUrl", "").trim();
  const status = editorConnection.connection.lastStatus;
  type Action = vscodeApi.QuickPickItem & { run(): Promise<unknown> | unknown };
  const actions: Action[] = [];
  if (!remoteUrl) {
    actions.push(
      {
        label: "$(play) Start local server",
        detail: home,
        run: async () => {
          await deps.startLocalServer(home);
          editorConnection.reset();
        },
      },
      {
        label: "$(debug-stop) Stop local server",
        detail: home,
        run: async () => {
          const said = await deps.stopLocalServer(home);
          editorConnection.reset();
          void vscode.window.showInformationMessage(said || "Skein server stopped.");
        },
      },
      {
        label: "$(output) Open server log",
        detail: path.join(home, "server.log"),
        run: async () =>
          vscode.window.showTextDocument(await vscode.workspace.openTextDocument(path.join(home, "server.log"))),
      },
    );
  }
  actions.push({
    label: "$(cloud) Set remote server URL…",
    detail: remoteUrl ? `now ${remoteUrl}` : "skein.apiUrl",
    run: async () => {
      const url = await vscode.window.showInputBox({
        title: "Skein: remote server URL (empty: the local server of SKEIN_HOME)",
        value: remoteUrl,
        placeHolder: "https://skein.example.com",
        validateInput: (value) =>
          !value.trim() || /^https?:\/\/\S+$/.test(value.trim()) ? undefined : "An http(s) URL",
      });
      if (url === undefined) return;
      await vscode.workspace.getConfiguration("skein").update("apiUrl", url.trim(), vscode.ConfigurationTarget.Global);
    },
  });
  if (remoteUrl) {
    actions.push(
      {
        label: "$(home) Use the local server",
        detail: home,
        run: () => vscode.workspace.getConfiguration("skein").update("apiUrl", "", vscode.ConfigurationTarget.Global),
      },
      { label: "$(key) Set API key…", run: () => vscode.commands.executeCommand(ConnectionCommands.setApiKey) },
    );
  }
  actions.push({ label: "$(refresh) Reconnect", run: () => editorConnection.reset() });
  const picked = await vscode.window.showQuickPick(actions, {
    title: `Skein server — ${describeStatus(status).tooltip}`,
  });
  if (!picked) return;
  try {
    await picked.run();
  } catch (error) {
    void vscode.window.showErrorMessage(`Skein: ${(error as Error).message}`);
  }
}
