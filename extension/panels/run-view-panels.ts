// The run views: one webview panel per flow run, never two runs in one. Events reach a view whatever started the
// run: `addEvents` takes the events of runs the editor started (a new top-level run opens its view), and views
// opened on runs started elsewhere (explorer, palette) load the run from the server and follow its live stream.
// A subflow's events go to the view of its root flow run (and to a view of the subflow itself, if one is open),
// found through the parent links of flow-run-created events. Panels come back after a window reload through the
// serializer (their saved state is the flow run id). A view whose run is deleted on the server keeps what it shows
// and says the run was deleted, since nothing more will come.
import type * as vscodeApi from "vscode";
import type { RunEvent } from "../../protocol/run-events.ts";
import { parseRunViewState, RUN_VIEW_TYPE, type RunViewTab } from "../../protocol/webview/run-view.ts";
import type { RunSource } from "./run-source.ts";
import { DEFAULT_TIMING, type RunViewHost, RunViewPanel, type RunViewTiming } from "./run-view-panel.ts";

export interface RunViewsDeps {
  vscode: typeof vscodeApi;
  extensionUri: vscodeApi.Uri;
  source: RunSource;
  host: RunViewHost;
  timing?: RunViewTiming;
  /** Where loading failures are reported (the output channel). */
  log(message: string): void;
}

export class RunViewPanels implements vscodeApi.Disposable {
  private readonly views = new Map<string, RunViewPanel>();
  /** flow run id -> its parent flow run id, for every subflow seen. */
  private readonly parents = new Map<string, string>();
  private follower: { close(): void } | undefined;

  constructor(private readonly deps: RunViewsDeps) {}

  /** Registers the serializer that restores run views after a window reload. */
  registerSerializer(): vscodeApi.Disposable {
    return this.deps.vscode.window.registerWebviewPanelSerializer(RUN_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel, state: unknown) => {
        const saved = parseRunViewState(state);
        if (!saved || this.views.has(saved.flowRunId)) {
          panel.dispose();
          return;
        }
        this.adopt(panel, saved.flowRunId, true);
      },
    });
  }

  /** Shows the view of a flow run, loading it from the server when this window has not seen it run. */
  open(flowRunId: string, tab?: RunViewTab): void {
    const existing = this.views.get(flowRunId);
    if (existing) {
      existing.reveal();
      if (tab) existing.showTab(tab);
      return;
    }
    const view = this.adopt(this.createPanel(), flowRunId, true);
    if (tab) view.showTab(tab);
  }

  /** Events of runs the editor started (lens, debug): each goes to the views of its root flow run. */
  addEvents(events: RunEvent[]): void {
    const batches = new Map<RunViewPanel, RunEvent[]>();
    for (const event of events) {
      this.learnParent(event);
      if (event.kind === "flow-run-created" && !event.parentFlowRunId && !this.views.has(event.flowRunId)) {
        this.adopt(this.createPanel(), event.flowRunId, false);
      }
      for (const view of this.viewsOf(event.flowRunId)) {
        const batch = batches.get(view) ?? [];
        batch.push(event);
        batches.set(view, batch);
      }
    }
    for (const [view, batch] of batches) view.addEvents(batch);
  }

  /** The view showing this flow run (its own, else its root's), for commands that act on "the current run". */
  viewOf(flowRunId: string): RunViewPanel | undefined {
    return this.viewsOf(flowRunId)[0];
  }

  get openFlowRunIds(): string[] {
    return [...this.views.keys()];
  }

  dispose(): void {
    this.follower?.close();
    this.follower = undefined;
    for (const view of [...this.views.values()]) view.panel.dispose();
  }

  private createPanel(): vscodeApi.WebviewPanel {
    const { vscode } = this.deps;
    // No retainContextWhenHidden: the page is rebuilt from the replayed snapshot when shown again.
    return vscode.window.createWebviewPanel(RUN_VIEW_TYPE, "Skein run", vscode.ViewColumn.Beside, {
      enableScripts: true,
    });
  }

  private adopt(panel: vscodeApi.WebviewPanel, flowRunId: string, load: boolean): RunViewPanel {
    const { vscode, extensionUri, host, timing = DEFAULT_TIMING } = this.deps;
    const view = new RunViewPanel(vscode, flowRunId, panel, extensionUri, host, timing);
    this.views.set(flowRunId, view);
    view.onDidDispose(() => {
      this.views.delete(flowRunId);
      if (this.views.size === 0) {
        this.follower?.close();
        this.follower = undefined;
      }
    });
    if (load) {
      this.startFollowing();
      void this.load(view);
    }
    return view;
  }

  private async load(view: RunViewPanel): Promise<void> {
    try {
      const events = await this.deps.source.load(view.flowRunId);
      for (const event of events) this.learnParent(event);
      view.addEvents(events);
    } catch (error) {
      const message = `Could not load flow run ${view.flowRunId}: ${(error as Error).message}`;
      this.deps.log(message);
      view.post({ type: "error", message });
    }
  }

  /** One stream for all views (the server filters by one flow run only, and subflows have their own ids). */
  private startFollowing(): void {
    if (this.follower) return;
    this.follower = this.deps.source.follow(
      (event) => {
        this.learnParent(event);
        for (const view of this.viewsOf(event.flowRunId)) view.addEvents([event]);
      },
      // The stream lost events (server restarted): reload; the reducer keeps one copy of what was already shown.
      () => {
        for (const view of this.views.values()) void this.load(view);
      },
      (flowRunId) => this.views.get(flowRunId)?.markDeleted(),
    );
  }

  private learnParent(event: RunEvent): void {
    if (event.kind === "flow-run-created" && event.parentFlowRunId)
      this.parents.set(event.flowRunId, event.parentFlowRunId);
  }

  /** The open views on the chain from a flow run up to its root: its own, its parents', its root's. */
  private viewsOf(flowRunId: string): RunViewPanel[] {
    const found: RunViewPanel[] = [];
    const visited = new Set<string>();
    for (let id: string | undefined = flowRunId; id && !visited.has(id); id = this.parents.get(id)) {
      visited.add(id);
      const view = this.views.get(id);
      if (view) found.push(view);
    }
    return found;
  }
}
