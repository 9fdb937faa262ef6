// The Compare tab: pick another run of the same flow (the extension lists them), then see what differs (see
// compare-model.ts). "Did my change help or hurt?" answered per task.
import type { RunSnapshot } from "../../protocol/run-snapshot.ts";
import type { CompareCandidate } from "../../protocol/webview/run-view.ts";
import { h } from "../common/dom.ts";
import { formatDuration, formatTime, stateClass } from "../common/format.ts";
import { compareRuns, type TaskSide } from "./compare-model.ts";

export interface CompareTabActions {
  listCandidates(): void;
  load(flowRunId: string): void;
}

export class CompareTab {
  readonly element = h("div", { class: "compare-tab" });
  private readonly picker = h("vscode-single-select", {
    class: "compare-picker",
    attrs: { "aria-label": "Run to compare with" },
  });
  private readonly body = h("div", { class: "compare-body" });
  private other: { flowRunId: string; snapshot: RunSnapshot } | undefined;
  private current: { flowRunId: string; snapshot: RunSnapshot } | undefined;
  private asked = false;

  constructor(private readonly actions: CompareTabActions) {
    this.picker.addEventListener("change", () => {
      const value = (this.picker as unknown as { value: string }).value;
      if (value) {
        this.body.replaceChildren(h("p", { class: "muted" }, "Loading the other run…"));
        this.actions.load(value);
      }
    });
    this.element.append(h("div", { class: "toolbar" }, h("label", {}, "Compare with "), this.picker), this.body);
    this.body.append(h("p", { class: "muted" }, "Pick another run of this flow."));
  }

  /** Called when the tab is shown: the list of runs is fetched the first time. */
  activate(): void {
    if (this.asked) return;
    this.asked = true;
    this.actions.listCandidates();
  }

  update(snapshot: RunSnapshot, flowRunId: string): void {
    this.current = { snapshot, flowRunId };
    if (this.other) this.render();
  }

  setCandidates(candidates: CompareCandidate[]): void {
    const options = candidates.map((candidate) =>
      h(
        "vscode-option",
        { attrs: { value: candidate.flowRunId } },
        `${candidate.name} · ${candidate.stateName} · ${formatTime(candidate.createdAt)}`,
      ),
    );
    this.picker.replaceChildren(
      h("vscode-option", { attrs: { value: "" } }, candidates.length ? "Choose a run…" : "No other runs of this flow"),
      ...options,
    );
  }

  setOther(flowRunId: string, snapshot: RunSnapshot): void {
    this.other = { flowRunId, snapshot };
    this.render();
  }

  private render(): void {
    const { current, other } = this;
    if (!current || !other) return;
    const comparison = compareRuns(current.snapshot, current.flowRunId, other.snapshot, other.flowRunId);
    const thisName = current.snapshot.flowRuns[current.flowRunId]?.name ?? "this run";
    const otherName = other.snapshot.flowRuns[other.flowRunId]?.name ?? "other run";
    const heads = (...cells: string[]) => h("thead", {}, h("tr", {}, ...cells.map((cell) => h("th", {}, cell))));
    this.body.replaceChildren(
      h("h2", {}, "Parameters"),
      h(
        "table",
        { class: "compare-parameters" },
        heads("Parameter", thisName, otherName),
        h(
          "tbody",
          {},
          ...comparison.parameters.map((row) =>
            h(
              "tr",
              { class: row.differs ? "differs" : "" },
              h("td", {}, row.name),
              h("td", {}, row.left ?? "—"),
              h("td", {}, row.right ?? "—"),
            ),
          ),
        ),
      ),
      h("h2", {}, "Tasks"),
      h(
        "table",
        { class: "compare-tasks" },
        heads("Task", `${thisName}`, "", "", `${otherName}`, "", "", "Result"),
        h(
          "tbody",
          {},
          ...comparison.tasks.map((row) =>
            h(
              "tr",
              { class: row.resultDiffers ? "differs" : "" },
              h("td", {}, row.name),
              ...sideCells(row.left),
              ...sideCells(row.right),
              h("td", {}, row.resultDiffers ? "differs" : ""),
            ),
          ),
        ),
      ),
      h("h2", {}, "Log lines only in one run"),
      h(
        "div",
        { class: "compare-logs" },
        h("div", {}, h("h3", {}, `Only in ${thisName}`), logList(comparison.logsOnlyLeft)),
        h("div", {}, h("h3", {}, `Only in ${otherName}`), logList(comparison.logsOnlyRight)),
      ),
    );
  }
}

function sideCells(side: TaskSide | undefined): HTMLElement[] {
  if (!side) return [h("td", { class: "muted" }, "not run"), h("td"), h("td")];
  return [
    h("td", {}, h("span", { class: stateClass(side.state) }, side.state.name)),
    h("td", {}, formatDuration(side.durationMs)),
    h("td", {}, side.cacheHit ? "cache hit" : ""),
  ];
}

function logList(lines: string[]): HTMLElement {
  return lines.length === 0
    ? h("p", { class: "muted" }, "None.")
    : h("ol", { class: "log-lines" }, ...lines.map((line) => h("li", {}, line)));
}
