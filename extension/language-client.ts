// Starts Skein's language server (flow discovery, code lenses, diagnostics, skein.yaml checks) over IPC.
// The server watches the workspace's files itself (dynamic registration), so the client forwards no file events.
import {
  LanguageClient,
  TransportKind,
  type LanguageClientOptions,
  type ServerOptions,
} from "vscode-languageclient/node";

export function createLanguageClient(serverModule: string): LanguageClient {
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: {
      module: serverModule,
      transport: TransportKind.ipc,
      options: { execArgv: ["--nolazy", "--inspect=6019"] },
    },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: "file", language: "typescript" },
      { scheme: "file", pattern: "**/skein.yaml" },
    ],
    outputChannelName: "Skein Language Server",
  };
  return new LanguageClient("skein", "Skein Language Server", serverOptions, clientOptions);
}
