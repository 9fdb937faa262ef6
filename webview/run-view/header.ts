// The run view's header: flow and run name, the state badge, the duration (ticking while the run is live) and a
// live indicator.
import type { RunSnapshot } from "../../protocol/run-snapshot.ts";
import { h } from "../common/dom.ts";
import { formatDuration, isTerminalState, runDuration, stateClass } from "../common/format.ts";

export class RunHeader {
  readonly element = h("header", { class: "run-header" });
  private readonly title = h("h1", { class: "run-title" });
  private readonly badge = h("span", { class: "state" });
  private readonly duration = h("span", { class: "run-duration", title: "Duration" });
  private readonly live = h("span", { class: "live", title: "Updating as the run reports" }, "● Live");
  private snapshot: RunSnapshot | undefined;
  private flowRunId: string | undefined;

  constructor() {
    this.element.append(this.title, this.badge, this.duration, this.live);
    // The duration of a running run moves without events.
    setInterval(() => this.tick(), 1000);
  }

  update(snapshot: RunSnapshot, flowRunId: string): void {
    this.snapshot = snapshot;
    this.flowRunId = flowRunId;
    const run = snapshot.flowRuns[flowRunId];
    if (!run) {
      this.title.textContent = "Loading run…";
      this.badge.hidden = true;
      this.live.hidden = true;
      return;
    }
    this.title.replaceChildren(h("span", { class: "flow-name" }, run.flowName), " › ", h("span", {}, run.name));
    this.badge.hidden = false;
    this.badge.className = stateClass(run.state);
    this.badge.textContent = run.state.name;
    this.badge.dataset.stateType = run.state.type;
    this.live.hidden = isTerminalState(run.state);
    this.tick();
  }

  private tick(): void {
    const run = this.snapshot && this.flowRunId ? this.snapshot.flowRuns[this.flowRunId] : undefined;
    this.duration.textContent = run ? formatDuration(runDuration(run.states)) : "";
  }
}
