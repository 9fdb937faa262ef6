// Publishes diagnostics for flow files and skein.yaml files, sending only what changed. A TypeScript edit
// publishes flow diagnostics at once; skein.yaml files depend on the flows too, but are revalidated only once
// typing pauses, so a keystroke never waits for a large skein.yaml.
import type { Connection, Diagnostic } from "vscode-languageserver";
import type { TextDocument } from "vscode-languageserver-textdocument";
import { flowDiagnostics, workspaceFacts } from "./flow-diagnostics.ts";
import { uriToPath } from "./uris.ts";
import type { WorkPoolDirectory } from "./work-pools.ts";
import { isSkeinYaml, type Workspace } from "./workspace.ts";
import { validateSkeinYaml, type DeployedFlow } from "./yaml/skein-yaml-validation.ts";

interface Pending {
  /** Open documents edited since the last run, analysed at the start of the run. */
  documents: Set<TextDocument>;
  flows: boolean;
  yaml: Set<string>;
}

/** Quiet time after the last flow change before skein.yaml files are revalidated against the new flows. */
const yamlRevalidationDelayMs = 200;

export class DiagnosticsPublisher {
  /** What was last sent per file (by path, whatever URI spelling the editor uses). */
  private readonly published = new Map<string, string>();
  private readonly deployedByYaml = new Map<string, DeployedFlow[]>();
  private readonly yamlGenerations = new Map<string, number>();
  private pending?: Pending;
  private yamlRevalidation?: NodeJS.Timeout;

  constructor(
    private readonly connection: Connection,
    private readonly workspace: Workspace,
    private readonly pools: WorkPoolDirectory,
  ) {}

  /** An open document was edited: its diagnostics at once, and the rest if what it declares changed. */
  documentEdited(document: TextDocument): void {
    this.schedule((pending) => pending.documents.add(document));
  }

  /** Flows changed anywhere (scan, disk, closed document): all flow diagnostics, then skein.yaml files. */
  flowsChanged(): void {
    this.schedule((pending) => (pending.flows = true));
    this.revalidateYamlSoon();
  }

  yamlChanged(file: string): void {
    this.schedule((pending) => pending.yaml.add(file));
  }

  /** What skein.yaml files are checked against changed (the server's work pools): check them all again, now. */
  recheckYaml(): void {
    for (const file of this.workspace.yamlFiles) this.yamlChanged(file);
  }

  /** skein.yaml files depend on the flows, but need not follow every keystroke: wait for a pause. */
  private revalidateYamlSoon(): void {
    clearTimeout(this.yamlRevalidation);
    this.yamlRevalidation = setTimeout(() => {
      for (const file of this.workspace.yamlFiles) this.yamlChanged(file);
    }, yamlRevalidationDelayMs);
  }

  /** Coalesces the changes of one event-loop turn (several didChange in a row) into one run. */
  private schedule(mark: (pending: Pending) => void): void {
    if (!this.pending) {
      this.pending = { documents: new Set(), flows: false, yaml: new Set() };
      setImmediate(() => void this.run());
    }
    mark(this.pending);
  }

  private async run(): Promise<void> {
    const pending = this.pending!;
    this.pending = undefined;
    try {
      const edited: string[] = [];
      for (const document of pending.documents) {
        await this.workspace.refreshOpenDocument(document);
        const file = uriToPath(document.uri);
        if (file) edited.push(file);
      }
      if (this.workspace.takeOutwardChange()) pending.flows = true;
      if (pending.flows) {
        this.publishFlowDiagnostics();
        if (pending.documents.size) this.revalidateYamlSoon();
      } else if (edited.length) {
        this.publishFlowDiagnostics(edited);
      }
      const deployedChanged = await Promise.all([...pending.yaml].map((file) => this.validateYaml(file)));
      if (deployedChanged.some(Boolean)) this.publishFlowDiagnostics();
    } catch (error) {
      this.connection.console.error(
        `Skein diagnostics failed: ${error instanceof Error ? error.stack : String(error)}`,
      );
    }
  }

  /** Publishes flow diagnostics of `only` these files, or of every file (clearing files that lost theirs). */
  private publishFlowDiagnostics(only?: string[]): void {
    const index = this.workspace.index;
    const facts = workspaceFacts(index, [...this.deployedByYaml.values()].flat());
    if (only) {
      for (const file of only) {
        const analysis = index.get(file);
        this.publishFlowFile(file, analysis ? flowDiagnostics(analysis, index, facts) : []);
      }
      return;
    }
    const seen = new Set<string>();
    for (const analysis of index.analyses()) {
      seen.add(analysis.file);
      this.publishFlowFile(analysis.file, flowDiagnostics(analysis, index, facts));
    }
    for (const [file, sent] of this.published) {
      if (!seen.has(file) && !isSkeinYaml(file) && !sent.endsWith("[]")) this.publishFlowFile(file, []);
    }
  }

  /**
   * Sends a TypeScript file's diagnostics, tagged with the version of the text they were computed from. While the
   * index holds an older analysis of an open document than its current version, nothing is sent: the analysis of
   * the current version is under way, and its run publishes.
   */
  private publishFlowFile(file: string, diagnostics: Diagnostic[]): void {
    const open = this.workspace.documents.get(this.workspace.uriOf(file));
    const version = this.workspace.analysedVersion(file);
    if (open && version !== open.version) return;
    this.publish(file, diagnostics, version);
  }

  /** Validates one skein.yaml; true when the set of flows it deploys changed. */
  private async validateYaml(file: string): Promise<boolean> {
    const generation = (this.yamlGenerations.get(file) ?? 0) + 1;
    this.yamlGenerations.set(file, generation);
    const { text, version } = await this.workspace.readText(file);
    const report =
      text === undefined
        ? { diagnostics: [], deployedFlows: [] }
        : await validateSkeinYaml(file, text, this.workspace.index, this.pools, this.workspace.indexReady);
    if (this.yamlGenerations.get(file) !== generation) return false; // a newer validation of this file is under way
    this.publish(file, report.diagnostics, version);
    const key = (flows: DeployedFlow[] = []) =>
      flows.map((d) => `${d.file}:${d.flow.exportPath}:${d.deployment}`).join("\n");
    const changed = key(this.deployedByYaml.get(file)) !== key(report.deployedFlows);
    this.deployedByYaml.set(file, report.deployedFlows);
    return changed;
  }

  /**
   * Sends a file's diagnostics when they changed. `version` is the version of the open document's text they were
   * computed from (never the document's version at send time, which may be newer); each new version is sent.
   */
  private publish(file: string, diagnostics: Diagnostic[], version: number | undefined): void {
    const uri = this.workspace.uriOf(file);
    const text = JSON.stringify(diagnostics);
    const sent = version === undefined ? text : `${version}\n${text}`;
    if (this.published.get(file) === sent) return;
    this.published.set(file, sent);
    void this.connection.sendDiagnostics({ uri, diagnostics, version });
  }
}
