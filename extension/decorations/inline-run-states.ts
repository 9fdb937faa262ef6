// Inline run states: at the end of each task's definition and of each call to it, the latest run's state, duration
// and last log line, live; a hover with the task's recent logs and a link to its run; a failed task's error as a
// diagnostic at the line that raised it. Fed by TaskActivityTracker (runs started anywhere), placed by the language
// server's task sites. The `skein.inlineRunStates` setting turns it all off. A change of some tasks' runs redraws
// only the editors that show one of them; the tasks shown are reported (`onShown`), so their runs are read only
// once something shows them.
import type * as vscodeApi from "vscode";
import type { TaskSite } from "../../protocol/lsp.ts";
import { STATE_THEME_COLOURS } from "../../protocol/state-colours.ts";
import type { StateType } from "../../protocol/states.ts";
import { failureLocation } from "./failure-location.ts";
import { type TaskActivity, type TaskActivityTracker, formatDuration, isTaskAt, summarize } from "./task-activity.ts";
import type { ShownTask } from "./task-activity-feed.ts";

export interface InlineRunStatesDeps {
  vscode: typeof vscodeApi;
  tracker: TaskActivityTracker;
  /** The task sites of a document, from the language server (skein/taskSites). */
  taskSites(uri: string): Promise<TaskSite[]>;
  enabled(): boolean;
  /** The tasks of the sites in visible editors (and of a hovered site), each time they are drawn. */
  onShown?(tasks: ShownTask[]): void;
}

const STATE_TYPES = Object.keys(STATE_THEME_COLOURS) as StateType[];

const REFRESH_DELAY_MS = 100;

export class InlineRunStates implements vscodeApi.Disposable {
  /** One decoration type per state type, in its colour (protocol/state-colours.ts); the text is set per line. */
  private readonly decorationTypes: Record<StateType, vscodeApi.TextEditorDecorationType>;
  private readonly diagnostics: vscodeApi.DiagnosticCollection;
  private readonly sites = new Map<string, { version: number; sites: Promise<TaskSite[]> }>();
  private readonly disposables: vscodeApi.Disposable[] = [];
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  /** What the next refresh redraws: every visible editor, or those showing one of these tasks. */
  private pending: "all" | Set<TaskActivity> = "all";
  /** While a visible task runs, its duration ticks every second. */
  private readonly ticker: ReturnType<typeof setInterval>;

  constructor(private readonly deps: InlineRunStatesDeps) {
    const { vscode } = deps;
    const entries = STATE_TYPES.map((type) => [
      type,
      vscode.window.createTextEditorDecorationType({
        after: { margin: "0 0 0 2em", color: new vscode.ThemeColor(STATE_THEME_COLOURS[type].id), fontStyle: "italic" },
        rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
      }),
    ]);
    this.decorationTypes = Object.fromEntries(entries) as typeof this.decorationTypes;
    this.diagnostics = vscode.languages.createDiagnosticCollection("skein-runs");
    this.disposables.push(
      ...Object.values(this.decorationTypes),
      this.diagnostics,
      vscode.window.onDidChangeVisibleTextEditors(() => this.scheduleRefresh("all")),
      vscode.workspace.onDidChangeTextDocument((event) => {
        this.sites.delete(event.document.uri.toString());
        this.scheduleRefresh("all");
      }),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration("skein.inlineRunStates")) this.scheduleRefresh("all");
      }),
      vscode.languages.registerHoverProvider([{ language: "typescript" }, { language: "typescriptreact" }], {
        provideHover: (document, position) => this.hover(document, position),
      }),
    );
    this.ticker = setInterval(() => {
      const running = [...deps.tracker.all()].filter(isRunning);
      if (running.length > 0) this.scheduleRefresh(running);
    }, 1000);
    this.scheduleRefresh("all");
  }

  /** Called with the tasks whose runs changed: the editors showing one of them are redrawn. */
  activityChanged(changed: TaskActivity[]): void {
    this.scheduleRefresh(changed);
  }

  dispose(): void {
    clearInterval(this.ticker);
    clearTimeout(this.refreshTimer);
    for (const disposable of this.disposables) disposable.dispose();
  }

  /** Redraws soon, once for a burst of events (a mapped task may change thousands of times a second). */
  private scheduleRefresh(what: "all" | TaskActivity[]): void {
    if (what === "all") this.pending = "all";
    else if (this.pending !== "all") for (const activity of what) this.pending.add(activity);
    if (this.refreshTimer) return;
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      void this.refresh();
    }, REFRESH_DELAY_MS);
  }

  /** Redraws what changed since the last refresh (see `pending`); resolves when it is drawn. */
  async refresh(): Promise<void> {
    const { vscode } = this.deps;
    const what = this.pending;
    this.pending = new Set();
    const enabled = this.deps.enabled();
    const shown: ShownTask[] = [];
    await Promise.all(
      vscode.window.visibleTextEditors.map(async (editor) => {
        const sites = enabled && isTypeScript(editor.document) ? await this.sitesOf(editor.document) : [];
        shown.push(...sites.map((site) => ({ file: site.declarationFile, name: site.taskName })));
        if (what === "all" || sites.some((site) => [...what].some((a) => showsTask(site, a)))) {
          this.decorate(editor, sites);
        }
      }),
    );
    if (shown.length > 0) this.deps.onShown?.(shown);
    this.publishFailures(enabled);
  }

  /** Sets the editor's decorations for its sites (none: clears them). */
  private decorate(editor: vscodeApi.TextEditor, sites: TaskSite[]): void {
    const byState = Object.fromEntries(STATE_TYPES.map((type) => [type, []])) as unknown as Record<
      StateType,
      vscodeApi.DecorationOptions[]
    >;
    const seenLines = new Set<number>();
    for (const site of sites) {
      const activity = this.deps.tracker.find(site.declarationFile, site.taskName);
      if (!activity || seenLines.has(site.line) || site.line >= editor.document.lineCount) continue;
      seenLines.add(site.line);
      const { text, stateType } = summarize(activity);
      const end = editor.document.lineAt(site.line).range.end;
      byState[stateType].push({
        range: new this.deps.vscode.Range(end, end),
        renderOptions: { after: { contentText: `${site.taskName}: ${text}` } },
      });
    }
    for (const type of STATE_TYPES) {
      editor.setDecorations(this.decorationTypes[type], byState[type]);
    }
  }

  private async hover(
    document: vscodeApi.TextDocument,
    position: vscodeApi.Position,
  ): Promise<vscodeApi.Hover | undefined> {
    if (!this.deps.enabled()) return undefined;
    const site = (await this.sitesOf(document)).find((candidate) => candidate.line === position.line);
    if (site) this.deps.onShown?.([{ file: site.declarationFile, name: site.taskName }]);
    const activity = site && this.deps.tracker.find(site.declarationFile, site.taskName);
    if (!site || !activity) return undefined;
    const { vscode } = this.deps;
    const markdown = new vscode.MarkdownString(undefined, true);
    markdown.isTrusted = { enabledCommands: ["skein.openRun"] };
    const runs = [...activity.runs.values()];
    markdown.appendMarkdown(
      `**${escapeMarkdown(site.taskName)}**, latest run: ${escapeMarkdown(summarize(activity).text)}`,
    );
    const openArgs = encodeURIComponent(JSON.stringify([{ flowRunId: activity.flowRunId }]));
    markdown.appendMarkdown(` · [Open run](command:skein.openRun?${openArgs})\n\n`);
    for (const run of runs.slice(0, 5)) {
      const took =
        run.startedAt && run.endedAt ? ` (${formatDuration(Date.parse(run.endedAt) - Date.parse(run.startedAt))})` : "";
      markdown.appendMarkdown(`- ${escapeMarkdown(run.name)}: ${escapeMarkdown(run.state.name)}${took}\n`);
    }
    if (activity.recentLogs.length > 0) {
      const lines = activity.recentLogs.map(
        (log) =>
          `${log.timestamp.slice(11, 23)} ${log.level.toUpperCase().padEnd(8)} ${log.taskRunName} | ${log.message}`,
      );
      markdown.appendCodeblock(lines.join("\n"), "log");
    }
    return new vscode.Hover(markdown);
  }

  private sitesOf(document: vscodeApi.TextDocument): Promise<TaskSite[]> {
    const uri = document.uri.toString();
    const cached = this.sites.get(uri);
    if (cached?.version === document.version) return cached.sites;
    const sites = this.deps.taskSites(uri).catch(() => []);
    this.sites.set(uri, { version: document.version, sites });
    return sites;
  }

  /** A failed task's error at the line of user code that raised it, from its recorded stack. */
  private publishFailures(enabled: boolean): void {
    const { vscode } = this.deps;
    const byFile = new Map<string, vscodeApi.Diagnostic[]>();
    if (enabled) {
      const isUserFile = (file: string) => vscode.workspace.getWorkspaceFolder(vscode.Uri.file(file)) !== undefined;
      for (const activity of this.deps.tracker.all()) {
        for (const run of activity.runs.values()) {
          const stack = run.state.type === "FAILED" ? run.state.details?.error : undefined;
          const location = stack ? failureLocation(stack, isUserFile) : undefined;
          if (!location) continue;
          const position = new vscode.Position(location.line, location.column);
          const diagnostic = new vscode.Diagnostic(
            new vscode.Range(position, position.translate(0, 1)),
            `${activity.task.name} (${run.name}) failed: ${location.message}`,
            vscode.DiagnosticSeverity.Error,
          );
          diagnostic.source = "skein run";
          const list = byFile.get(location.file) ?? [];
          list.push(diagnostic);
          byFile.set(location.file, list);
          break; // one failure per task is enough to point at the line
        }
      }
    }
    this.diagnostics.clear();
    for (const [file, list] of byFile) this.diagnostics.set(vscode.Uri.file(file), list);
  }
}

const isTypeScript = (document: vscodeApi.TextDocument): boolean => document.languageId.startsWith("typescript");

const showsTask = (site: TaskSite, activity: TaskActivity): boolean =>
  isTaskAt(activity.task, site.declarationFile, site.taskName);

const isRunning = (activity: TaskActivity): boolean =>
  [...activity.runs.values()].some((run) => run.state.type === "RUNNING");

function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, "\\$&");
}
