// One row of the log list as DOM: time, level, task (or flow) name and one line of the message, built with
// textContent only (log lines and task names are untrusted). URLs become elements that the view's click handler
// hands to onOpenLink; they are not <a href>, so nothing in a log line can ever navigate the webview.
import type { RunSnapshot, SnapshotLog } from "../../protocol/run-snapshot.ts";
import { formatLocalTime } from "../common/time.ts";
import type { MessageRun } from "./message-runs.ts";

function span(className: string, text = ""): HTMLSpanElement {
  const element = document.createElement("span");
  element.className = className;
  element.textContent = text;
  return element;
}

/** The row for line `lineIndex` of `log`'s message; continuation lines leave the first columns blank. */
export function buildLogRow(
  snapshot: RunSnapshot,
  log: SnapshotLog,
  lineIndex: number,
  runs: MessageRun[],
): HTMLDivElement {
  const row = document.createElement("div");
  row.className = "skein-log-row";
  row.setAttribute("role", "listitem");
  // A click anywhere on a task's line selects the task (log-view.ts), not only on its name.
  if (log.taskRunId) row.dataset.taskRunId = log.taskRunId;
  const first = lineIndex === 0;
  const time = span("log-time", first ? formatLocalTime(log.timestamp) : "");
  if (first) time.title = log.timestamp;
  const level = span(`log-level level-${log.level}`, first ? log.level : "");
  row.append(time, level, first ? taskCell(snapshot, log) : span("log-task"), messageCell(runs));
  if (first) row.title = log.logger;
  return row;
}

function taskCell(snapshot: RunSnapshot, log: SnapshotLog): HTMLSpanElement {
  const taskRun = log.taskRunId ? snapshot.taskRuns[log.taskRunId] : undefined;
  if (log.taskRunId) {
    const cell = span("log-task is-task", taskRun?.name ?? log.taskRunId);
    cell.dataset.taskRunId = log.taskRunId;
    cell.title = cell.textContent ?? "";
    return cell;
  }
  const flowRun = snapshot.flowRuns[log.flowRunId];
  const cell = span("log-task is-flow", flowRun?.name ?? "");
  cell.title = flowRun ? `flow run ${flowRun.name}` : "";
  return cell;
}

function messageCell(runs: MessageRun[]): HTMLSpanElement {
  const cell = span("log-message");
  for (const run of runs) {
    const classes = [...run.classes];
    if (run.link) classes.push("log-link");
    if (run.match) classes.push("log-match");
    if (classes.length === 0 && !run.color && !run.background) {
      cell.append(run.text);
      continue;
    }
    const part = span(classes.join(" "), run.text);
    if (run.color) part.style.color = run.color;
    if (run.background) part.style.backgroundColor = run.background;
    if (run.link) {
      part.dataset.link = run.link;
      part.title = run.link;
      part.setAttribute("role", "link");
    }
    cell.append(part);
  }
  return cell;
}
