// Starts Skein's language server (flow discovery, code lenses, diagnostics, skein.yaml checks) over IPC.
import type * as vscodeApi from "vscode";
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from "vscode-languageclient/node";

export function createLanguageClient(vscode: typeof vscodeApi, serverModule: string): LanguageClient {
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ["--nolazy", "--inspect=6019"] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: "file", language: "typescript" },
      { scheme: "file", pattern: "**/skein.yaml" },
    ],
    synchronize: {
      fileEvents: [
        vscode.workspace.createFileSystemWatcher("**/*.ts"),
        vscode.workspace.createFileSystemWatcher("**/skein.yaml"),
      ],
    },
    outputChannelName: "Skein Language Server",
  };
  return new LanguageClient("skein", "Skein Language Server", serverOptions, clientOptions);
}
