// PLACEHOLDER REPLACED AT INTEGRATION: the real LogView (virtualised, ANSI, filters) comes from the logs helper's
// branch. This stand-in keeps the API the run view shell calls and lists log lines as text.
import type { RunSnapshot } from "../../protocol/run-snapshot.ts";

export class LogView {
  private readonly list = document.createElement("ol");
  private taskRunId: string | undefined;
  private last: RunSnapshot | undefined;

  constructor(
    container: HTMLElement,
    private readonly options: { onSelectTask?(taskRunId: string): void; onOpenLink?(url: string): void },
  ) {
    this.list.className = "placeholder-logs";
    container.append(this.list);
  }

  update(snapshot: RunSnapshot): void {
    this.last = snapshot;
    const lines = snapshot.logs
      .filter((log) => !this.taskRunId || log.taskRunId === this.taskRunId)
      .map((log) => {
        const line = document.createElement("li");
        line.textContent = `${log.timestamp} ${log.level.toUpperCase()} ${log.message}`;
        const taskRunId = log.taskRunId;
        if (taskRunId) {
          line.dataset.taskRunId = taskRunId;
          line.addEventListener("click", () => this.options.onSelectTask?.(taskRunId));
        }
        return line;
      });
    this.list.replaceChildren(...lines);
  }

  filterTask(taskRunId: string | undefined): void {
    this.taskRunId = taskRunId;
    if (this.last) this.update(this.last);
  }

  dispose(): void {
    this.list.remove();
  }
}
