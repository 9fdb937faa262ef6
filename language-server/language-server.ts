// The language server proper: the connection and its handlers. Each feature lives in its own module; this file
// wires them to LSP requests and notifications.
import {
  createConnection,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
  CodeActionKind,
  CodeLensRefreshRequest,
  DidChangeWatchedFilesNotification,
  FileChangeType,
  type InitializeResult,
} from "vscode-languageserver/node";
import { TextDocument } from "vscode-languageserver-textdocument";
import {
  IndexReadyNotification,
  ListFlowsRequest,
  TaskSitesRequest,
  type TaskSite,
  type TaskSitesParams,
  TaskRunStatesNotification,
  WorkPoolsChangedNotification,
  type IndexReadyParams,
  type ListFlowsResult,
} from "../protocol/lsp.ts";
import { codeLensesFor, flowLensArgs, isExported } from "./code-lenses.ts";
import { AnalysisWorker } from "./analysis-worker.ts";
import { DiagnosticsPublisher } from "./diagnostics-publisher.ts";
import { flowHover } from "./flow-hover.ts";
import { quickFixes } from "./quick-fixes.ts";
import { ReportedTaskRunStates } from "./task-run-states.ts";
import { uriToPath } from "./uris.ts";
import { HttpWorkPoolDirectory } from "./work-pools.ts";
import { findServer } from "../client/discovery.ts";
import { skeinHome } from "../client/home.ts";
import { isSkeinYaml, Workspace } from "./workspace.ts";
import { workspaceSymbols } from "./workspace-symbols.ts";
import { taskSites } from "./task-sites.ts";
import { skeinYamlCompletion } from "./yaml/yaml-completion.ts";
import { entrypointDefinition, entrypointHover } from "./yaml/yaml-entrypoint-navigation.ts";
import { scheduleHover } from "./yaml/schedule-hover.ts";

/** Serves LSP over the transport given on the command line (--node-ipc, as the extension starts it). */
export function startLanguageServer(): void {
  const connection = createConnection(ProposedFeatures.all);
  const documents = new TextDocuments(TextDocument);
  const analysisWorker = new AnalysisWorker(process.argv[1]);
  const workspace = new Workspace(documents, analysisWorker, (message) => connection.console.error(message));
  const taskRunStates = new ReportedTaskRunStates(workspace.index);
  const workPools = new HttpWorkPoolDirectory(() => findServer(skeinHome()));
  const publisher = new DiagnosticsPublisher(connection, workspace, workPools);
  let canRefreshCodeLenses = false;
  let canWatchFiles = false;
  let canFollowFolders = false;

  /** A handler that fails logs and answers `fallback` instead of killing the request or the server. */
  function guarded<P, R>(name: string, fallback: R, handler: (params: P) => R | Promise<R>): (params: P) => Promise<R> {
    return async (params) => {
      try {
        return await handler(params);
      } catch (error) {
        connection.console.error(`Skein ${name} failed: ${error instanceof Error ? error.stack : String(error)}`);
        return fallback;
      }
    };
  }

  const isTypeScriptUri = (uri: string): boolean => /\.(ts|tsx|mts|cts)$/i.test(uri) && !uri.endsWith(".d.ts");

  connection.onInitialize((params): InitializeResult => {
    const folders = params.workspaceFolders?.map((folder) => folder.uri) ?? (params.rootUri ? [params.rootUri] : []);
    workspace.roots = folders.map(uriToPath).filter((root): root is string => root !== undefined);
    canRefreshCodeLenses = !!params.capabilities.workspace?.codeLens?.refreshSupport;
    canWatchFiles = !!params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration;
    canFollowFolders = !!params.capabilities.workspace?.workspaceFolders;
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        codeLensProvider: { resolveProvider: false },
        hoverProvider: true,
        definitionProvider: true,
        completionProvider: { triggerCharacters: [":", " "] },
        workspaceSymbolProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: "skein-language-server" },
    };
  });

  connection.onInitialized(() => {
    if (canWatchFiles) {
      void connection.client.register(DidChangeWatchedFilesNotification.type, {
        watchers: [{ globPattern: "**/*.{ts,tsx,mts,cts}" }, { globPattern: "**/skein.yaml" }],
      });
    }
    if (canFollowFolders) {
      connection.workspace.onDidChangeWorkspaceFolders(async ({ added, removed }) => {
        const paths = (folders: { uri: string }[]) =>
          folders.map((folder) => uriToPath(folder.uri)).filter((root): root is string => root !== undefined);
        const gone = new Set(paths(removed));
        const kept = workspace.roots.filter((root) => !gone.has(root));
        const fresh = paths(added).filter((root) => !kept.includes(root));
        workspace.setRoots([...kept, ...fresh]);
        await scanAndAnnounce(fresh); // only the added folders: what the removed ones held is forgotten already
      });
    }
    void scanAndAnnounce();
  });

  // Files changed on disk (git checkout, other tools); open documents are tracked through their edits instead.
  connection.onDidChangeWatchedFiles(async ({ changes }) => {
    for (const change of changes) {
      const file = uriToPath(change.uri);
      if (!file || workspace.isOpen(file)) continue;
      if (isSkeinYaml(file)) {
        if (change.type === FileChangeType.Deleted) workspace.yamlFiles.delete(file);
        else workspace.yamlFiles.add(file);
        publisher.yamlChanged(file);
      } else if (isTypeScriptUri(change.uri)) {
        await workspace.reloadFromDisk(file);
      }
    }
    // Saved files count too (even open ones): other files' parameter schemas may use their types.
    for (const change of changes) {
      const file = uriToPath(change.uri);
      if (file && isTypeScriptUri(change.uri)) await workspace.reanalyseDependentsOf(file);
    }
    publisher.flowsChanged();
  });

  /** Scans `roots` (every workspace folder unless told), then announces what the whole index holds. */
  async function scanAndAnnounce(roots?: string[]): Promise<void> {
    try {
      await workspace.scan(roots);
      const counts = { flows: 0, tasks: 0 };
      for (const { declaration } of workspace.index.declarations())
        counts[declaration.kind === "flow" ? "flows" : "tasks"]++;
      const ready: IndexReadyParams = {
        files: workspace.typeScriptFileCount,
        ...counts,
        skeinYamlFiles: workspace.yamlFiles.size,
      };
      publisher.flowsChanged();
      void connection.sendNotification(IndexReadyNotification, ready);
      if (canRefreshCodeLenses) void connection.sendRequest(CodeLensRefreshRequest.type);
    } catch (error) {
      connection.console.error(`Skein workspace scan failed: ${error instanceof Error ? error.stack : String(error)}`);
    }
  }

  connection.onCodeLens(
    guarded("code lenses", [], async (params) => {
      const document = documents.get(params.textDocument.uri);
      const file = uriToPath(params.textDocument.uri);
      if (!document || !file || !isTypeScriptUri(document.uri)) return [];
      await workspace.refreshOpenDocument(document);
      return codeLensesFor(workspace.index, file, workspace.roots, taskRunStates);
    }),
  );

  const workPoolsChanged = guarded("work pools changed", undefined, () => {
    workPools.forget();
    publisher.recheckYaml();
  });
  connection.onNotification(WorkPoolsChangedNotification, () => workPoolsChanged(undefined));

  // A flow run started from the editor ended: its task states go on the task lenses.
  connection.onNotification(
    TaskRunStatesNotification,
    guarded("task run states", undefined, (params: unknown) => {
      if (taskRunStates.report(params) && canRefreshCodeLenses)
        void connection.sendRequest(CodeLensRefreshRequest.type);
    }),
  );

  /** The open document at `uri` with its path, when it is a skein.yaml. */
  function openSkeinYaml(uri: string): { file: string; text: string; document: TextDocument } | undefined {
    const document = documents.get(uri);
    const file = uriToPath(uri);
    return document && file && isSkeinYaml(file) ? { file, text: document.getText(), document } : undefined;
  }

  const uriOf = (file: string) => workspace.uriOf(file);

  connection.onHover(
    guarded("hover", null, async ({ textDocument, position }) => {
      const yaml = openSkeinYaml(textDocument.uri);
      if (yaml)
        return (
          entrypointHover(yaml.file, yaml.text, position, workspace.index) ??
          scheduleHover(yaml.file, yaml.text, position)
        );
      const document = documents.get(textDocument.uri);
      const file = uriToPath(textDocument.uri);
      if (!document || !file || !isTypeScriptUri(textDocument.uri)) return null;
      await workspace.refreshOpenDocument(document);
      return flowHover(workspace.index, file, position);
    }),
  );

  connection.onDefinition(
    guarded("definition", null, ({ textDocument, position }) => {
      const yaml = openSkeinYaml(textDocument.uri);
      return yaml ? entrypointDefinition(yaml.file, yaml.text, position, workspace.index, uriOf) : null;
    }),
  );

  connection.onCompletion(
    guarded("completion", [], ({ textDocument, position }) => {
      const yaml = openSkeinYaml(textDocument.uri);
      return yaml ? skeinYamlCompletion(yaml.file, yaml.document, position, workspace.index, workPools) : [];
    }),
  );

  connection.onCodeAction(
    guarded("code actions", [], ({ textDocument, context }) => quickFixes(textDocument.uri, context.diagnostics)),
  );

  connection.onWorkspaceSymbol(
    guarded("workspace symbols", [], ({ query }) => workspaceSymbols(workspace.index, query, uriOf)),
  );

  connection.onRequest(
    ListFlowsRequest,
    guarded(
      "list flows",
      [] as ListFlowsResult,
      (): ListFlowsResult =>
        [...workspace.index.declarations("flow")].flatMap(({ file, declaration }) =>
          isExported(declaration) ? [flowLensArgs(file, declaration, workspace.roots)] : [],
        ),
    ),
  );

  connection.onRequest(
    TaskSitesRequest,
    guarded("task sites", [] as TaskSite[], ({ uri }: TaskSitesParams): TaskSite[] => {
      const file = uriToPath(uri);
      return file ? taskSites(workspace.index, file) : [];
    }),
  );

  documents.onDidChangeContent((event) => {
    const file = uriToPath(event.document.uri);
    if (!file) return;
    if (isSkeinYaml(file)) {
      workspace.yamlFiles.add(file);
      publisher.yamlChanged(file);
    } else if (isTypeScriptUri(event.document.uri)) {
      publisher.documentEdited(event.document);
    }
  });

  documents.onDidClose(async (event) => {
    const file = uriToPath(event.document.uri);
    if (!file) return;
    if (isSkeinYaml(file)) publisher.yamlChanged(file);
    else if (isTypeScriptUri(event.document.uri)) {
      await workspace.documentClosed(event.document.uri);
      publisher.flowsChanged();
    }
  });

  // A long-lived process must survive anything a document or a request throws at it.
  process.on("uncaughtException", (error) => connection.console.error(`Skein: uncaught ${error.stack ?? error}`));
  process.on("unhandledRejection", (reason) =>
    connection.console.error(`Skein: unhandled rejection ${String(reason)}`),
  );

  connection.onShutdown(() => analysisWorker.dispose());

  documents.listen(connection);
  connection.listen();
}
