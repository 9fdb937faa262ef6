// The Graph tab: the TaskGraph with its toolbar (layout toggle, search, fit) and the details side panel of the
// selected node.
import type { RunSnapshot } from "../../protocol/run-snapshot.ts";
import { button, h } from "../common/dom.ts";
import { TaskGraph } from "../graph/task-graph.ts";
import { taskDetails } from "./task-details.ts";

export interface GraphTabActions {
  goToSource(taskRunId: string): void;
  /** The selection changed here (the Logs tab filters to it). */
  onSelect(taskRunId: string | undefined): void;
}

export class GraphTab {
  readonly element = h("div", { class: "graph-tab" });
  private readonly canvas = h("div", { class: "graph-canvas" });
  private readonly side = h("div", { class: "graph-side" });
  private readonly graph: TaskGraph;
  private layout: "dependency" | "timeline" = "dependency";
  private selected: string | undefined;
  private snapshot: RunSnapshot | undefined;

  constructor(
    workerUrl: string,
    private readonly actions: GraphTabActions,
  ) {
    const layoutButton = button(
      "Timeline",
      () => {
        this.layout = this.layout === "dependency" ? "timeline" : "dependency";
        layoutButton.textContent = this.layout === "dependency" ? "Timeline" : "Dependencies";
        this.graph.setLayout(this.layout);
      },
      { secondary: true, title: "Switch between the dependency layout and the timeline" },
    );
    const search = h("vscode-textfield", { class: "graph-search", attrs: { placeholder: "Search tasks by name" } });
    search.addEventListener("input", () => this.graph.search((search as unknown as { value: string }).value ?? ""));
    const fit = button("Fit", () => this.graph.fit(), { secondary: true, title: "Fit the whole graph in view" });
    this.element.append(
      h("div", { class: "toolbar" }, layoutButton, search, fit),
      h("div", { class: "graph-body" }, this.canvas, this.side),
    );
    this.side.hidden = true;
    this.graph = new TaskGraph(this.canvas, { workerUrl, onSelect: (id) => this.showDetails(id, false) });
    // Tests and benches reach the graph's own accessors (debug, screenPointOf) through its element.
    Object.assign(this.canvas, { taskGraph: this.graph });
  }

  update(snapshot: RunSnapshot): void {
    this.snapshot = snapshot;
    this.graph.update(snapshot);
    if (this.selected) this.renderDetails();
  }

  /** Selects a node from elsewhere (a log line). */
  select(taskRunId: string | undefined): void {
    this.graph.select(taskRunId);
    this.showDetails(taskRunId, true);
  }

  dispose(): void {
    this.graph.dispose();
  }

  private showDetails(taskRunId: string | undefined, fromOutside: boolean): void {
    this.selected = taskRunId;
    if (!fromOutside) this.actions.onSelect(taskRunId);
    this.renderDetails();
  }

  private renderDetails(): void {
    const { selected, snapshot } = this;
    this.side.hidden = !selected || !snapshot;
    if (!selected || !snapshot) {
      this.side.replaceChildren();
      return;
    }
    this.side.replaceChildren(
      taskDetails(snapshot, selected, {
        goToSource: (id) => this.actions.goToSource(id),
        close: () => {
          this.graph.select(undefined);
          this.showDetails(undefined, false);
        },
      }),
    );
  }
}
