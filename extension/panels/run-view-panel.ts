// One run view: the webview panel of one flow run, and the snapshot of that run the extension keeps for it.
// Without retainContextWhenHidden VS Code throws the page away when the panel is hidden and starts it again when
// shown; the page then says `ready`, and the panel replays the whole snapshot, so the view is never blank. Between
// replays new events go out in batches, at most one per `batchMs`, so a run logging thousands of lines a second
// costs the webview a few messages a second. A run deleted on the server keeps its view, which says so.
import type * as vscodeApi from "vscode";
import type { RunEvent } from "../../protocol/run-events.ts";
import { emptyRunSnapshot, RunSnapshotReducer, type RunSnapshot } from "../../protocol/run-snapshot.ts";
import {
  parseRunViewRequest,
  type RunViewMessage,
  type RunViewRequest,
  type RunViewTab,
} from "../../protocol/webview/run-view.ts";
import { runViewHtml } from "./run-view-html.ts";

/** What a run view asks of the rest of the extension (links, source, running again, comparison). */
export interface RunViewHost {
  handle(view: RunViewPanel, request: Exclude<RunViewRequest, { type: "ready" }>): void;
}

export interface RunViewTiming {
  batchMs: number;
  /** setTimeout by default; tests pass their own clock. */
  schedule(callback: () => void, ms: number): void;
}

const DELETED_NOTICE = "This run was deleted: it shows what was loaded before, and nothing more will come.";

export const DEFAULT_TIMING: RunViewTiming = { batchMs: 60, schedule: (callback, ms) => void setTimeout(callback, ms) };

export class RunViewPanel {
  private readonly reducer: RunSnapshotReducer;
  private ready = false;
  private pending: RunEvent[] = [];
  private flushScheduled = false;
  private tabOnReady: RunViewTab | undefined;
  private deleted = false;
  private readonly disposeListeners: (() => void)[] = [];

  constructor(
    vscode: typeof vscodeApi,
    readonly flowRunId: string,
    readonly panel: vscodeApi.WebviewPanel,
    extensionUri: vscodeApi.Uri,
    private readonly host: RunViewHost,
    private readonly timing: RunViewTiming = DEFAULT_TIMING,
  ) {
    this.reducer = new RunSnapshotReducer(emptyRunSnapshot(flowRunId));
    const root = vscode.Uri.joinPath(extensionUri, "dist", "webview");
    panel.webview.options = { enableScripts: true, localResourceRoots: [root] };
    const uri = (file: string) => panel.webview.asWebviewUri(vscode.Uri.joinPath(root, file)).toString();
    panel.webview.html = runViewHtml({
      cspSource: panel.webview.cspSource,
      scriptUri: uri("main.js"),
      styleUri: uri("main.css"),
      workerUri: uri("graph-layout-worker.js"),
    });
    panel.webview.onDidReceiveMessage((message: unknown) => this.receive(message));
    // A hidden panel's page is gone: nothing is sent until the new page says ready.
    panel.onDidChangeViewState(() => {
      if (!panel.visible) this.ready = false;
    });
    panel.onDidDispose(() => {
      for (const listener of this.disposeListeners) listener();
    });
    this.updateTitle();
  }

  get snapshot(): RunSnapshot {
    return this.reducer.snapshot;
  }

  onDidDispose(listener: () => void): void {
    this.disposeListeners.push(listener);
  }

  /** Folds events into the run's snapshot and sends the new ones to the page (batched). */
  addEvents(events: RunEvent[]): void {
    const fresh = events.filter((event) => !this.reducer.hasSeen(event.id));
    if (fresh.length === 0) return;
    this.reducer.apply(fresh);
    this.updateTitle();
    if (!this.ready) return; // the page gets the whole snapshot when it says ready
    this.pending.push(...fresh);
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    this.timing.schedule(() => this.flush(), this.timing.batchMs);
  }

  /** The run was deleted on the server: the title and the page say so (the page again after every replay). */
  markDeleted(): void {
    this.deleted = true;
    this.updateTitle();
    this.post({ type: "error", message: DELETED_NOTICE });
  }

  showTab(tab: RunViewTab): void {
    if (this.ready) this.post({ type: "show-tab", tab });
    else this.tabOnReady = tab;
  }

  post(message: RunViewMessage): void {
    if (this.ready) void this.panel.webview.postMessage(message);
  }

  reveal(): void {
    this.panel.reveal();
  }

  private flush(): void {
    this.flushScheduled = false;
    const events = this.pending.splice(0);
    if (events.length > 0) this.post({ type: "events", events });
  }

  private receive(message: unknown): void {
    const request = parseRunViewRequest(message);
    if (!request) return;
    if (request.type !== "ready") {
      this.host.handle(this, request);
      return;
    }
    this.ready = true;
    this.pending = []; // included in the snapshot
    this.post({ type: "snapshot", flowRunId: this.flowRunId, snapshot: this.reducer.snapshot });
    if (this.deleted) this.post({ type: "error", message: DELETED_NOTICE });
    if (this.tabOnReady) this.post({ type: "show-tab", tab: this.tabOnReady });
    this.tabOnReady = undefined;
  }

  private updateTitle(): void {
    const run = this.reducer.snapshot.flowRuns[this.flowRunId];
    const title = run ? `${run.flowName} › ${run.name}` : `Skein run ${this.flowRunId.slice(0, 8)}`;
    this.panel.title = this.deleted ? `${title} (deleted)` : title;
  }
}
