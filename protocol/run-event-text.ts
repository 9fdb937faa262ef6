// Run events as the lines people read (Prefect's `time | LEVEL | run - message`), shared by the CLI's text output
// and the extension's output channel so a run reads the same wherever it is shown.
import type { LogLevel, RunEvent } from "./run-events.ts";
import { formatState, isFinal } from "./states.ts";

/** Returns a formatter that remembers run names across events; it yields the line for an event, if any. */
export function createRunEventFormatter(
  flowRunNameOf: (flowRunId: string) => string | undefined = () => undefined,
): (event: RunEvent) => string | undefined {
  const runNames = new Map<string, string>();
  // A run this process did not create (a worker's deployment run, a retry) sends no flow-run-created: the caller
  // names it, so its lines say its name rather than its id.
  const label = (runId: string) => {
    const known = runNames.get(runId);
    if (known) return known;
    const name = flowRunNameOf(runId);
    return name === undefined ? runId : `Flow run '${name}'`;
  };
  const line = (event: RunEvent, level: LogLevel, runId: string, message: string) =>
    `${event.timestamp.slice(11, 23)} | ${level.toUpperCase().padEnd(8)} | ${label(runId)} - ${message}`;
  return (event) => {
    switch (event.kind) {
      case "flow-run-created":
        runNames.set(event.flowRunId, `Flow run '${event.name}'`);
        return line(
          event,
          "info",
          event.flowRunId,
          `Beginning ${event.parentFlowRunId ? "subflow" : "flow"} run '${event.name}' for flow '${event.flowName}'`,
        );
      case "task-run-created":
        runNames.set(event.taskRunId, `Task run '${event.name}'`);
        return undefined;
      case "state": {
        const { state } = event;
        if (state.name === "AwaitingRetry")
          return line(event, "warning", event.runId, state.message ?? "Awaiting retry");
        if (!isFinal(state)) return undefined;
        const level = state.type === "COMPLETED" ? "info" : state.type === "CANCELLED" ? "warning" : "error";
        return line(event, level, event.runId, `Finished in state ${formatState(state)}`);
      }
      case "log":
        return line(event, event.level, event.taskRunId ?? event.flowRunId, event.message);
      case "artifact":
        return line(
          event,
          "info",
          event.taskRunId ?? event.flowRunId,
          `Created ${event.type} artifact${event.key ? ` '${event.key}'` : ""}`,
        );
      case "artifact-updated":
      case "task-run-inputs":
        return undefined;
    }
  };
}
