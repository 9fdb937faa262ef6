// The run view shell: header and tabs (Graph | Logs | Artifacts | Details | Compare) over one flow run's
// snapshot. The snapshot is rebuilt from the extension's replay on every page start and then folded forward with
// the shared reducer; tabs that are not showing are only marked stale and catch up when shown, so a run with many
// events costs the hidden tabs nothing.
import type { RunEvent } from "../../protocol/run-events.ts";
import { emptyRunSnapshot, RunSnapshotReducer, type RunSnapshot } from "../../protocol/run-snapshot.ts";
import { RUN_VIEW_TABS, type RunViewMessage, type RunViewTab } from "../../protocol/webview/run-view.ts";
import { ArtifactView } from "../artifacts/artifact-view.ts";
import { h } from "../common/dom.ts";
import type { RunViewApi } from "../common/vscode-api.ts";
import { LogView } from "../logs/log-view.ts";
import { CompareTab } from "./compare-tab.ts";
import { DetailsTab } from "./details-tab.ts";
import { GraphTab } from "./graph-tab.ts";
import { RunHeader } from "./header.ts";

const TAB_TITLES: Record<RunViewTab, string> = {
  graph: "Graph",
  logs: "Logs",
  artifacts: "Artifacts",
  details: "Details",
  compare: "Compare",
};

export class RunViewApp {
  private reducer = new RunSnapshotReducer();
  private flowRunId = "";
  private readonly header = new RunHeader();
  private readonly tabs = h("vscode-tabs", { class: "run-tabs" }) as HTMLElement & { selectedIndex: number };
  private readonly error = h("div", { class: "error-banner", attrs: { role: "alert" } });
  private readonly graph: GraphTab;
  private readonly logs: LogView;
  private readonly artifacts: ArtifactView;
  private readonly details: DetailsTab;
  private readonly compare: CompareTab;
  private readonly stale = new Set<RunViewTab>();
  private active: RunViewTab = "graph";
  private renderScheduled = false;

  constructor(
    root: HTMLElement,
    private readonly api: RunViewApi,
    workerUrl: string,
  ) {
    const openLink = (url: string) => api.post({ type: "open-link", url });
    const panels = Object.fromEntries(
      RUN_VIEW_TABS.map((tab) => [tab, h("vscode-tab-panel", { class: `tab-${tab}`, data: { tab } })]),
    ) as unknown as Record<RunViewTab, HTMLElement>;
    for (const tab of RUN_VIEW_TABS) {
      this.tabs.append(
        h("vscode-tab-header", { attrs: { slot: "header" }, data: { tab } }, TAB_TITLES[tab]),
        panels[tab],
      );
    }
    this.graph = new GraphTab(workerUrl, {
      goToSource: (taskRunId) => api.post({ type: "go-to-source", taskRunId }),
      onSelect: (taskRunId) => this.logs.filterTask(taskRunId),
    });
    panels.graph.append(this.graph.element);
    this.logs = new LogView(panels.logs, {
      onOpenLink: openLink,
      onSelectTask: (taskRunId) => this.selectTask(taskRunId),
    });
    this.artifacts = new ArtifactView(panels.artifacts, {
      onOpenLink: openLink,
      onSelectTask: (taskRunId) => this.selectTask(taskRunId),
      onShowHistory: (key) => api.post({ type: "list-artifact-history", key }),
    });
    this.details = new DetailsTab(() => api.post({ type: "run-again" }));
    panels.details.append(this.details.element);
    this.compare = new CompareTab({
      listCandidates: () => api.post({ type: "list-compare-candidates" }),
      load: (flowRunId) => api.post({ type: "load-compare", flowRunId }),
    });
    panels.compare.append(this.compare.element);
    this.tabs.addEventListener("vsc-tabs-select", (event) => {
      const index = (event as CustomEvent<{ selectedIndex: number }>).detail.selectedIndex;
      this.activate(RUN_VIEW_TABS[index] ?? "graph");
    });
    this.error.hidden = true;
    root.append(this.header.element, this.error, this.tabs);
  }

  receive(message: RunViewMessage): void {
    switch (message.type) {
      case "snapshot":
        this.flowRunId = message.flowRunId;
        this.reducer = new RunSnapshotReducer(message.snapshot ?? emptyRunSnapshot(message.flowRunId));
        this.api.setState({ flowRunId: message.flowRunId });
        this.renderAll();
        return;
      case "events":
        this.apply(message.events);
        return;
      case "show-tab":
        this.showTab(message.tab);
        return;
      case "compare-candidates":
        this.compare.setCandidates(message.candidates);
        return;
      case "compare-snapshot":
        this.compare.setOther(message.flowRunId, message.snapshot);
        return;
      case "artifact-history":
        this.artifacts.showHistory(message.key, message.artifacts);
        return;
      case "error":
        this.error.textContent = message.message;
        this.error.hidden = false;
        return;
    }
  }

  get snapshot(): RunSnapshot {
    return this.reducer.snapshot;
  }

  private apply(events: RunEvent[]): void {
    if (this.reducer.apply(events).length === 0) return;
    for (const tab of RUN_VIEW_TABS) this.stale.add(tab);
    if (this.renderScheduled) return;
    this.renderScheduled = true;
    requestAnimationFrame(() => {
      this.renderScheduled = false;
      this.header.update(this.snapshot, this.flowRunId);
      this.renderTab(this.active);
    });
  }

  private renderAll(): void {
    this.header.update(this.snapshot, this.flowRunId);
    for (const tab of RUN_VIEW_TABS) this.stale.add(tab);
    this.renderTab(this.active);
  }

  private renderTab(tab: RunViewTab): void {
    if (!this.stale.delete(tab)) return;
    const snapshot = this.snapshot;
    if (tab === "graph") this.graph.update(snapshot);
    else if (tab === "logs") this.logs.update(snapshot);
    else if (tab === "artifacts") this.artifacts.update(snapshot);
    else if (tab === "details") this.details.update(snapshot, this.flowRunId);
    else this.compare.update(snapshot, this.flowRunId);
  }

  private showTab(tab: RunViewTab): void {
    this.tabs.selectedIndex = RUN_VIEW_TABS.indexOf(tab);
    this.activate(tab);
  }

  private activate(tab: RunViewTab): void {
    this.active = tab;
    if (tab === "compare") this.compare.activate();
    this.renderTab(tab);
  }

  /** A log line or artifact named a task: show it in the graph with its details. */
  private selectTask(taskRunId: string): void {
    this.showTab("graph");
    this.graph.select(taskRunId);
  }
}
