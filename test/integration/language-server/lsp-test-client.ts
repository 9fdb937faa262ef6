// A real LSP client for tests: forks the language server from source (tsx) and talks to it over Node IPC,
// exactly as vscode-languageclient's TransportKind.ipc does.
import { fork, type ChildProcess } from "node:child_process";
import path from "node:path";
import { pathToFileURL } from "node:url";
import {
  createMessageConnection,
  IPCMessageReader,
  IPCMessageWriter,
  type MessageConnection,
} from "vscode-jsonrpc/node";
import type {
  CodeLens,
  CompletionItem,
  CompletionList,
  Definition,
  Diagnostic,
  Hover,
  InitializeResult,
  Location,
  LocationLink,
  Position,
  SymbolInformation,
} from "vscode-languageserver-protocol";
import {
  IndexReadyNotification,
  TaskRunStatesNotification,
  WorkPoolsChangedNotification,
  type IndexReadyParams,
  type TaskRunStatesParams,
} from "../../../protocol/lsp.ts";

const repositoryRoot = path.resolve(import.meta.dirname, "../../..");
const serverEntry = path.join(repositoryRoot, "language-server/server.ts");

export const fileUri = (file: string): string => pathToFileURL(file).href;

/** Bundles the server as scripts/build.mjs does (cjs, node22), into `outDir`; returns the bundle's path. */
export async function bundleServer(outDir: string): Promise<string> {
  const { build } = await import("esbuild");
  const outfile = path.join(outDir, "server.js");
  await build({
    entryPoints: [serverEntry],
    outfile,
    bundle: true,
    platform: "node",
    target: "node22",
    format: "cjs",
    absWorkingDir: repositoryRoot,
    logLevel: "warning",
    legalComments: "none",
  });
  return outfile;
}

export interface PublishedDiagnostics {
  uri: string;
  diagnostics: Diagnostic[];
  version?: number;
}

export interface StartOptions {
  env?: Record<string, string>;
  /** A bundled server (see bundleServer) instead of the sources run through tsx. */
  serverModule?: string;
  /** Workspace folders; none means a client with no workspace. */
  roots?: string[];
}

export class LspTestClient {
  readonly diagnostics = new Map<string, Diagnostic[]>();
  /** The document version the last diagnostics of each uri were computed for (open documents only). */
  readonly diagnosticVersions = new Map<string, number>();
  readonly logs: string[] = [];
  private readonly diagnosticWaiters: (() => void)[] = [];
  /** Called with every publishDiagnostics notification, before waiters wake. */
  readonly diagnosticListeners: ((params: PublishedDiagnostics) => void)[] = [];
  private readonly versions = new Map<string, number>();
  /** The first skein/indexReady notification (the initial scan's). */
  indexReady!: Promise<IndexReadyParams>;
  /** Every skein/indexReady notification so far (one more after each workspace folder change). */
  readonly indexReadyNotices: IndexReadyParams[] = [];
  initializeResult!: InitializeResult;
  codeLensRefreshes = 0;

  private constructor(
    readonly child: ChildProcess,
    readonly connection: MessageConnection,
  ) {}

  static async start(options: StartOptions = {}): Promise<LspTestClient> {
    const child = fork(options.serverModule ?? serverEntry, ["--node-ipc"], {
      execArgv: options.serverModule ? [] : ["--import", "tsx"],
      cwd: repositoryRoot,
      env: { ...process.env, ...options.env },
      stdio: ["ignore", "ignore", "pipe", "ipc"],
    });
    const connection = createMessageConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
    const client = new LspTestClient(child, connection);
    child.stderr?.on("data", (chunk: Buffer) => client.logs.push(chunk.toString()));
    client.indexReady = new Promise((resolve) =>
      connection.onNotification(IndexReadyNotification, (params: IndexReadyParams) => {
        client.indexReadyNotices.push(params);
        resolve(params);
      }),
    );
    connection.onNotification("textDocument/publishDiagnostics", (params: PublishedDiagnostics) => {
      client.diagnostics.set(params.uri, params.diagnostics);
      if (params.version !== undefined) client.diagnosticVersions.set(params.uri, params.version);
      for (const listener of client.diagnosticListeners) listener(params);
      for (const wake of client.diagnosticWaiters.splice(0)) wake();
    });
    connection.onNotification("window/logMessage", (params: { message: string }) => client.logs.push(params.message));
    connection.onRequest("workspace/codeLens/refresh", () => {
      client.codeLensRefreshes++;
      return null;
    });
    connection.onRequest("client/registerCapability", () => null);
    connection.onRequest("window/workDoneProgress/create", () => null);
    connection.onRequest("workspace/configuration", () => []);
    connection.listen();

    const roots = options.roots ?? [];
    client.initializeResult = await connection.sendRequest("initialize", {
      processId: process.pid,
      rootUri: roots[0] ? fileUri(roots[0]) : null,
      workspaceFolders: roots.map((root) => ({ uri: fileUri(root), name: path.basename(root) })),
      capabilities: {
        workspace: { codeLens: { refreshSupport: true }, symbol: {}, workspaceFolders: true },
        textDocument: { hover: { contentFormat: ["markdown", "plaintext"] } },
      },
    });
    await connection.sendNotification("initialized", {});
    return client;
  }

  open(file: string, text: string, languageId = file.endsWith(".yaml") ? "yaml" : "typescript"): string {
    const uri = fileUri(file);
    this.versions.set(uri, 1);
    void this.connection.sendNotification("textDocument/didOpen", {
      textDocument: { uri, languageId, version: 1, text },
    });
    return uri;
  }

  /** Replaces the whole text (a change without a range); returns the new version. */
  change(uri: string, text: string): number {
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    void this.connection.sendNotification("textDocument/didChange", {
      textDocument: { uri, version },
      contentChanges: [{ text }],
    });
    return version;
  }

  /** The diagnostics computed for version `version` (or later) of an open document. */
  diagnosticsOfVersion(uri: string, version: number): Promise<Diagnostic[]> {
    return this.waitForDiagnostics(uri, () => (this.diagnosticVersions.get(uri) ?? 0) >= version);
  }

  /** An incremental edit, as an editor sends for one keystroke. */
  edit(uri: string, range: { start: Position; end: Position }, text: string): void {
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    void this.connection.sendNotification("textDocument/didChange", {
      textDocument: { uri, version },
      contentChanges: [{ range, text }],
    });
  }

  close(uri: string): void {
    void this.connection.sendNotification("textDocument/didClose", { textDocument: { uri } });
  }

  /** What the extension sends when a flow run ends (TaskRunStatesParams); any value, so tests can send malformed ones. */
  reportTaskRunStates(params: unknown): void {
    void this.connection.sendNotification(TaskRunStatesNotification, params as TaskRunStatesParams);
  }

  /** What the extension sends after it created a work pool. */
  workPoolsChanged(): void {
    void this.connection.sendNotification(WorkPoolsChangedNotification);
  }

  codeLenses(uri: string): Promise<CodeLens[]> {
    return this.connection.sendRequest("textDocument/codeLens", { textDocument: { uri } });
  }

  hover(uri: string, position: Position): Promise<Hover | null> {
    return this.connection.sendRequest("textDocument/hover", { textDocument: { uri }, position });
  }

  definition(uri: string, position: Position): Promise<Definition | LocationLink[] | Location | null> {
    return this.connection.sendRequest("textDocument/definition", { textDocument: { uri }, position });
  }

  async completion(uri: string, position: Position): Promise<CompletionItem[]> {
    const result: CompletionList | CompletionItem[] | null = await this.connection.sendRequest(
      "textDocument/completion",
      { textDocument: { uri }, position },
    );
    return Array.isArray(result) ? result : (result?.items ?? []);
  }

  workspaceSymbols(query: string): Promise<SymbolInformation[]> {
    return this.connection.sendRequest("workspace/symbol", { query });
  }

  /** Waits until the diagnostics published for `uri` satisfy `accept` (rejects after `timeoutMs`). */
  async waitForDiagnostics(
    uri: string,
    accept: (diagnostics: Diagnostic[]) => boolean,
    timeoutMs = 20_000,
  ): Promise<Diagnostic[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const current = this.diagnostics.get(uri);
      if (current && accept(current)) return current;
      const remaining = deadline - Date.now();
      if (remaining <= 0) {
        throw new Error(
          `diagnostics for ${uri} never matched; last: ${JSON.stringify(current?.map((d) => d.message))}`,
        );
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, remaining);
        this.diagnosticWaiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  async stop(): Promise<void> {
    if (this.alive) {
      await Promise.race([
        this.connection.sendRequest("shutdown"),
        new Promise((resolve) => setTimeout(resolve, 2000)),
      ]);
      void this.connection.sendNotification("exit");
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
    this.connection.dispose();
    if (this.alive) this.child.kill();
  }
}
