// The run webview's model: folds run events into the rows it shows (one per flow or task run, latest state).
import type { RunEvent } from "../protocol/run-events.ts";
import type { State } from "../protocol/states.ts";

export interface RunRow {
  id: string;
  kind: "flow" | "task";
  name: string;
  state: State;
}

export class RunModel {
  private readonly rows = new Map<string, RunRow>();

  apply(event: RunEvent): void {
    switch (event.kind) {
      case "flow-run-created":
        this.rows.set(event.flowRunId, { id: event.flowRunId, kind: "flow", name: event.name, state: event.state });
        break;
      case "task-run-created":
        this.rows.set(event.taskRunId, { id: event.taskRunId, kind: "task", name: event.name, state: event.state });
        break;
      case "state": {
        const row = this.rows.get(event.runId);
        if (row) row.state = event.state;
        break;
      }
      default:
        break;
    }
  }

  list(): RunRow[] {
    return [...this.rows.values()];
  }
}
