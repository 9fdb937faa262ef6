// The side panel of the Graph tab: what happened to one selected task run (or subflow run). State history with
// times, duration, inputs summary when the engine recorded one, the cache key and why it hit, the error with its
// stack, the task's artifacts, and "Go to source" when the task run says where its task is defined.
import type { RunSnapshot, SnapshotFlowRun, SnapshotTaskRun } from "../../protocol/run-snapshot.ts";
import type { State } from "../../protocol/states.ts";
import { button, type Child, field, h } from "../common/dom.ts";
import { formatDuration, formatTime, isCacheHit, runDuration, stateClass } from "../common/format.ts";
import { jsonTree } from "./json-tree.ts";

export interface TaskDetailsActions {
  goToSource(taskRunId: string): void;
  close(): void;
}

export function taskDetails(snapshot: RunSnapshot, id: string, actions: TaskDetailsActions): HTMLElement {
  const taskRun = snapshot.taskRuns[id];
  const flowRun = snapshot.flowRuns[id];
  const panel = h("aside", { class: "task-details", data: { runId: id } });
  const closer = button("Close", () => actions.close(), { secondary: true });
  if (!taskRun && !flowRun) {
    panel.append(h("p", { class: "muted" }, "This run is not in the snapshot."), closer);
    return panel;
  }
  const run = (taskRun ?? flowRun) as SnapshotTaskRun | SnapshotFlowRun;
  const extra = run as { source?: { file?: unknown; line?: unknown }; inputs?: unknown };
  const hasSource = taskRun && typeof extra.source?.file === "string" && typeof extra.source.line === "number";
  panel.append(
    h(
      "div",
      { class: "details-title" },
      h("h2", {}, run.name),
      h("span", { class: stateClass(run.state) }, run.state.name),
    ),
    h("div", { class: "details-actions" }, hasSource && button("Go to source", () => actions.goToSource(id)), closer),
    h(
      "dl",
      {},
      ...field("Kind", taskRun ? "Task run" : "Subflow run"),
      ...field("Duration", formatDuration(runDuration(run.states))),
      ...field("Created", formatTime(run.createdAt)),
      ...(taskRun ? field("Task key", taskRun.taskKey) : []),
      ...(hasSource ? field("Source", `${String(extra.source?.file)}:${String(extra.source?.line)}`) : []),
      ...(run.tags.length > 0 ? field("Tags", run.tags.join(", ")) : []),
    ),
  );
  if (extra.inputs !== undefined) panel.append(h("h3", {}, "Inputs"), jsonTree(extra.inputs));
  if (flowRun) panel.append(h("h3", {}, "Parameters"), jsonTree(flowRun.parameters));
  panel.append(h("h3", {}, "State history"), stateHistory(run.states));
  const cache = cacheSection(snapshot, run.states);
  if (cache) panel.append(h("h3", {}, "Cache"), cache);
  const error = [...run.states].reverse().find((state) => state.details?.error)?.details?.error;
  if (error) panel.append(h("h3", {}, "Error"), h("pre", { class: "error-text" }, error));
  const artifacts = Object.values(snapshot.artifacts).filter((artifact) => artifact.taskRunId === id);
  if (artifacts.length > 0) {
    panel.append(
      h("h3", {}, "Artifacts"),
      h(
        "ul",
        { class: "artifact-list" },
        ...artifacts.map((artifact) =>
          h(
            "li",
            {},
            h("strong", {}, artifact.key ?? artifact.type),
            " ",
            artifact.description ?? `(${artifact.type})`,
          ),
        ),
      ),
    );
  }
  return panel;
}

export function stateHistory(states: State[]): HTMLElement {
  const first = states.length > 0 ? Date.parse(states[0].timestamp) : 0;
  return h(
    "table",
    { class: "state-history" },
    h("thead", {}, h("tr", {}, h("th", {}, "State"), h("th", {}, "At"), h("th", {}, "+"), h("th", {}, "Message"))),
    h(
      "tbody",
      {},
      ...states.map((state) =>
        h(
          "tr",
          {},
          h("td", {}, h("span", { class: stateClass(state) }, state.name)),
          h("td", {}, formatTime(state.timestamp)),
          h("td", {}, formatDuration(Date.parse(state.timestamp) - first)),
          h("td", {}, state.message ?? ""),
        ),
      ),
    ),
  );
}

function cacheSection(snapshot: RunSnapshot, states: State[]): HTMLElement | undefined {
  const keyed = [...states].reverse().find((state) => state.details?.cacheKey);
  if (!keyed?.details) return undefined;
  const hit = states.find(isCacheHit);
  const from = hit?.details?.cachedFromTaskRunId;
  const why: Child = hit
    ? `Hit: the result of ${from ? (snapshot.taskRuns[from]?.name ?? `task run ${from}`) : "an earlier task run"} with the same cache key was reused.`
    : "Miss: no stored result had this key, so the task ran and stored its result under it.";
  return h("dl", {}, ...field("Cache key", h("code", {}, keyed.details.cacheKey ?? "")), ...field("Outcome", why));
}
