// PLACEHOLDER REPLACED AT INTEGRATION: the real TaskGraph (canvas renderer, layout worker) comes from the graph
// helper's branch. This stand-in keeps the API the run view shell calls and lists nodes as plain buttons.
import type { RunSnapshot } from "../../protocol/run-snapshot.ts";

export class TaskGraph {
  private readonly list = document.createElement("ol");
  private selected: string | undefined;
  private filter = "";
  private last: RunSnapshot | undefined;

  constructor(
    container: HTMLElement,
    private readonly options: { onSelect?(taskRunId: string | undefined): void; workerUrl: string },
  ) {
    this.list.className = "placeholder-graph";
    container.append(this.list);
  }

  update(snapshot: RunSnapshot): void {
    this.last = snapshot;
    const items = Object.values(snapshot.taskRuns)
      .filter((taskRun) => taskRun.name.toLowerCase().includes(this.filter))
      .map((taskRun) => {
        const item = document.createElement("li");
        const choose = document.createElement("button");
        choose.textContent = `${taskRun.name} · ${taskRun.state.name}`;
        choose.dataset.taskRunId = taskRun.id;
        choose.dataset.stateType = taskRun.state.type;
        if (taskRun.id === this.selected) choose.className = "selected";
        choose.addEventListener("click", () => {
          this.select(taskRun.id);
          this.options.onSelect?.(taskRun.id);
        });
        item.append(choose);
        return item;
      });
    this.list.replaceChildren(...items);
  }

  setLayout(_kind: "dependency" | "timeline"): void {}

  select(taskRunId: string | undefined): void {
    this.selected = taskRunId;
    if (this.last) this.update(this.last);
  }

  search(text: string): void {
    this.filter = text.toLowerCase();
    if (this.last) this.update(this.last);
  }

  fit(): void {}

  dispose(): void {
    this.list.remove();
  }
}
