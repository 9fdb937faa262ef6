// The Details tab: what the flow run was asked to do and how it went: parameters as a tree, tags, timings, the
// state timeline, engine version, entrypoint, its subflow runs, and "Run again with these parameters".
import type { RunSnapshot, SnapshotFlowRun } from "../../protocol/run-snapshot.ts";
import { button, field, h } from "../common/dom.ts";
import { formatDuration, formatTime, isTerminalState, runDuration, stateClass } from "../common/format.ts";
import { jsonTree } from "./json-tree.ts";
import { stateHistory } from "./task-details.ts";

export class DetailsTab {
  readonly element = h("div", { class: "details-tab" });

  constructor(private readonly onRunAgain: () => void) {}

  update(snapshot: RunSnapshot, flowRunId: string): void {
    const run = snapshot.flowRuns[flowRunId];
    if (!run) {
      this.element.replaceChildren(h("p", { class: "muted" }, "Loading run…"));
      return;
    }
    const started = run.states.find((state) => state.type === "RUNNING")?.timestamp;
    const ended = isTerminalState(run.state) ? run.state.timestamp : undefined;
    const engineVersion = (run as { engineVersion?: unknown }).engineVersion;
    const runAgain = button("Run again with these parameters", () => this.onRunAgain(), {
      title: run.entrypoint ? `skein run ${run.entrypoint} with the parameters below` : "This run has no entrypoint",
    });
    if (!run.entrypoint) runAgain.setAttribute("disabled", "");
    const subflows = Object.values(snapshot.flowRuns).filter((other) => other.parentFlowRunId === flowRunId);
    this.element.replaceChildren(
      h("div", { class: "details-actions" }, runAgain),
      h("h2", {}, "Parameters"),
      Object.keys(run.parameters).length > 0
        ? h(
            "div",
            { class: "parameters" },
            ...Object.entries(run.parameters).map(([name, value]) => jsonTree(value, name)),
          )
        : h("p", { class: "muted" }, "No parameters."),
      h("h2", {}, "Run"),
      h(
        "dl",
        {},
        ...field("Flow", run.flowName),
        ...field("Run", run.name),
        ...field("Flow run id", h("code", {}, run.id)),
        ...field("Entrypoint", run.entrypoint ? h("code", {}, run.entrypoint) : "—"),
        ...field("Engine version", typeof engineVersion === "string" ? engineVersion : "not recorded"),
        ...field("Tags", run.tags.length > 0 ? run.tags.join(", ") : "—"),
        ...field("Created", formatTime(run.createdAt)),
        ...field("Started", formatTime(started)),
        ...field("Ended", formatTime(ended)),
        ...field("Duration", formatDuration(runDuration(run.states))),
        ...field("State", h("span", { class: stateClass(run.state) }, run.state.name)),
        ...field(
          "Task runs",
          String(Object.values(snapshot.taskRuns).filter((task) => task.flowRunId === flowRunId).length),
        ),
      ),
      h("h2", {}, "State timeline"),
      stateHistory(run.states),
      ...subflowSection(subflows),
    );
  }
}

function subflowSection(subflows: SnapshotFlowRun[]): HTMLElement[] {
  if (subflows.length === 0) return [];
  const item = (sub: SnapshotFlowRun) =>
    h("li", {}, `${sub.flowName} › ${sub.name} `, h("span", { class: stateClass(sub.state) }, sub.state.name));
  return [h("h2", {}, "Subflow runs"), h("ul", {}, ...subflows.map(item))];
}
