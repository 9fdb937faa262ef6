// The server's view of the workspace: folders, the flow index (open documents override the disk), skein.yaml
// files. Analysis errors are contained here: a file that breaks the analyser just contributes nothing. Large
// files are analysed on the worker thread, so the connection keeps answering while they are parsed.
import fs from "node:fs/promises";
import path from "node:path";
import type { TextDocuments } from "vscode-languageserver";
import type { TextDocument } from "vscode-languageserver-textdocument";
import { type AnalysisWorker, WorkerUnavailable } from "./analysis-worker.ts";
import { analyseSource, mayDeclareFlows } from "./discovery.ts";
import { IncrementalParser, parseFresh, type Parse } from "./incremental-parser.ts";
import { emptyAnalysis, type FileAnalysis } from "./model.ts";
import { pathToUri, uriToPath } from "./uris.ts";
import { WorkspaceIndex } from "./workspace-index.ts";
import { scanWorkspace, skeinYamlName, type ScanSink } from "./workspace-scan.ts";

export const isSkeinYaml = (file: string): boolean => path.basename(file) === skeinYamlName;

/** Files longer than this are analysed on the worker thread (about 5,000 lines; parsing takes tens of ms). */
const offThreadLength = 200_000;

export class Workspace {
  readonly index = new WorkspaceIndex();
  roots: string[] = [];
  /** skein.yaml files found on disk or opened. */
  readonly yamlFiles = new Set<string>();
  /** The version of each open document (by URI) whose analysis the index holds. */
  private readonly analysedVersions = new Map<string, number>();
  /** Syntax trees of open documents, re-parsed incrementally on each edit. */
  private readonly openTrees = new IncrementalParser();
  /** Analyses of open documents under way, so concurrent requests for one version share one analysis. */
  private readonly inFlight = new Map<string, { version: number; done: Promise<void> }>();
  private outwardChange = false;
  /**
   * Open documents by path. The editor's URIs may be encoded differently from Node's (VS Code escapes more
   * characters), so files found on disk are matched to open documents by path, never by a URI we build.
   */
  private readonly openUris = new Map<string, string>();
  /** How many TypeScript files each workspace folder held at its last scan. */
  private readonly typeScriptFilesByRoot = new Map<string, number>();

  constructor(
    readonly documents: TextDocuments<TextDocument>,
    private readonly worker: AnalysisWorker,
    private readonly log: (message: string) => void,
  ) {
    documents.onDidOpen(({ document }) => {
      const file = uriToPath(document.uri);
      if (file) this.openUris.set(file, document.uri);
    });
    documents.onDidClose(({ document }) => {
      const file = uriToPath(document.uri);
      if (file) this.openUris.delete(file);
    });
  }

  isOpen(file: string): boolean {
    return this.openUris.has(file);
  }

  /** The URI to publish for a file: the editor's own when the file is open. */
  uriOf(file: string): string {
    return this.openUris.get(file) ?? pathToUri(file);
  }

  /**
   * The version of the open document at `file` whose analysis the index holds; undefined while the index holds the
   * disk's analysis (the file is not open, or was just opened). Analyses finish out of order (large files on the
   * worker thread), and one whose document changed meanwhile is dropped, so this may lag the document's version.
   */
  analysedVersion(file: string): number | undefined {
    return this.analysedVersions.get(this.uriOf(file));
  }

  /** Brings the index up to date with an open TypeScript document; cheap when it is already current. */
  refreshOpenDocument(document: TextDocument): Promise<void> {
    const { uri, version } = document;
    const file = uriToPath(uri);
    if (!file || this.analysedVersions.get(uri) === version) return Promise.resolve();
    const running = this.inFlight.get(uri);
    if (running?.version === version) return running.done;
    const done = this.analyseAnywhere(file, document.getText(), this.openTrees.parse)
      .then((after) => {
        if (this.documents.get(uri)?.version !== version) return; // edited meanwhile: a newer analysis follows
        this.analysedVersions.set(uri, version);
        const before = this.index.get(file);
        this.index.set(after);
        if (outwardShape(before) !== outwardShape(after)) this.outwardChange = true;
      })
      .finally(() => {
        if (this.inFlight.get(uri)?.done === done) this.inFlight.delete(uri);
      });
    this.inFlight.set(uri, { version, done });
    return done;
  }

  /**
   * True when, since the last call, an open document changed what other files and skein.yaml can see of it
   * (its flows and tasks, their names and parameters); false when only its own diagnostics can have changed.
   */
  takeOutwardChange(): boolean {
    const changed = this.outwardChange;
    this.outwardChange = false;
    return changed;
  }

  /** After a TypeScript document closes, the disk's text is the truth again. */
  async documentClosed(uri: string): Promise<void> {
    this.analysedVersions.delete(uri);
    const file = uriToPath(uri);
    if (!file) return;
    this.openTrees.forget(file);
    await this.reloadFromDisk(file);
  }

  /** Re-analyses the files whose parameter schemas use type declarations of `file` (which just changed). */
  async reanalyseDependentsOf(file: string): Promise<void> {
    for (const dependent of this.index.dependentsOf(file)) {
      const document = this.documents.get(this.uriOf(dependent));
      if (document) {
        this.analysedVersions.delete(document.uri);
        await this.refreshOpenDocument(document);
      } else {
        await this.reloadFromDisk(dependent);
      }
    }
  }

  async reloadFromDisk(file: string): Promise<void> {
    const text = await fs.readFile(file, "utf8").catch(() => undefined);
    const analysis = text === undefined ? undefined : await this.analyseAnywhere(file, text);
    if (this.isOpen(file)) return;
    if (analysis) this.index.set(analysis);
    else this.index.delete(file);
  }

  /** Workspace folders changed: forget what only the removed folders held (the caller scans the added ones). */
  setRoots(roots: string[]): void {
    this.roots = roots;
    const inWorkspace = (file: string) => this.isOpen(file) || roots.some((root) => file.startsWith(root + path.sep));
    for (const analysis of [...this.index.analyses()])
      if (!inWorkspace(analysis.file)) this.index.delete(analysis.file);
    for (const file of [...this.yamlFiles]) if (!inWorkspace(file)) this.yamlFiles.delete(file);
    for (const root of [...this.typeScriptFilesByRoot.keys()])
      if (!roots.includes(root)) this.typeScriptFilesByRoot.delete(root);
  }

  /** TypeScript files seen in the workspace folders, as of each folder's last scan. */
  get typeScriptFileCount(): number {
    return this.roots.reduce((sum, root) => sum + (this.typeScriptFilesByRoot.get(root) ?? 0), 0);
  }

  private scansUnderWay = 0;
  private scannedOnce = false;
  /**
   * False until the first scan has finished, and while a scan runs: an entrypoint checked then would be briefly
   * "not a flow" only because its file is not indexed yet, so skein.yaml holds those diagnostics until then.
   */
  get indexReady(): boolean {
    return this.scannedOnce && this.scansUnderWay === 0;
  }

  /** Scans `roots` (every workspace folder unless told) into the index. */
  async scan(roots: string[] = this.roots): Promise<void> {
    this.scansUnderWay++;
    try {
      await this.scanRoots(roots);
      this.scannedOnce = true;
    } finally {
      this.scansUnderWay--;
    }
  }

  private async scanRoots(roots: string[]): Promise<void> {
    const offThread: Promise<void>[] = [];
    const sink: ScanSink = {
      candidate: (file, text) => {
        if (text.length <= offThreadLength) this.index.set(this.analyse(file, text));
        else
          offThread.push(
            this.analyseAnywhere(file, text).then((analysis) => {
              if (!this.isOpen(file)) this.index.set(analysis);
            }),
          );
      },
      isOpen: (file) => this.isOpen(file),
    };
    for (const root of roots) {
      const result = await scanWorkspace([root], sink);
      this.typeScriptFilesByRoot.set(root, result.typeScriptFiles);
      for (const file of result.yamlFiles) this.yamlFiles.add(file);
    }
    await Promise.all(offThread);
  }

  /**
   * The text of a file: the open document's when open, with its version, else the disk's (text undefined when
   * unreadable).
   */
  async readText(file: string): Promise<{ text: string | undefined; version?: number }> {
    const document = this.documents.get(this.uriOf(file));
    if (document) return { text: document.getText(), version: document.version };
    return { text: await fs.readFile(file, "utf8").catch(() => undefined) };
  }

  /** Analyses in place, or on the worker thread when the file is large (in place if the worker cannot run). */
  private async analyseAnywhere(file: string, text: string, parse: Parse = parseFresh): Promise<FileAnalysis> {
    if (text.length <= offThreadLength || !mayDeclareFlows(text)) return this.analyse(file, text, parse);
    try {
      return await this.worker.analyse(file, text);
    } catch (error) {
      if (error instanceof WorkerUnavailable) return this.analyse(file, text, parse);
      this.log(`Skein could not analyse ${file}: ${error instanceof Error ? error.message : String(error)}`);
      return emptyAnalysis(file);
    }
  }

  private analyse(file: string, text: string, parse: Parse = parseFresh): FileAnalysis {
    try {
      return analyseSource(file, text, parse);
    } catch (error) {
      if (parse !== parseFresh) this.openTrees.forget(file); // start over from a full parse next time
      this.log(`Skein could not analyse ${file}: ${error instanceof Error ? error.stack : String(error)}`);
      return emptyAnalysis(file);
    }
  }
}

/** What other files and skein.yaml depend on in a file's analysis (not ranges, not its own diagnostics). */
function outwardShape(analysis: FileAnalysis | undefined): string {
  return JSON.stringify(
    analysis?.declarations.map((declaration) => [
      declaration.kind,
      declaration.name,
      declaration.localName,
      declaration.exportPath,
      declaration.parameterSchema,
      declaration.parameters.map((parameter) => parameter.notSerializable),
    ]) ?? [],
  );
}
