// Which run events may make a deployment run claimable by some worker: a deployment run created (no process yet),
// a flow run moving to Scheduled, or a flow run ending (a concurrency slot may have freed). Workers follow the live
// stream with this filter (`only=worker-wake-ups`), so the server sends them these events and nothing else: with
// many workers, every log line and task state written to every worker's socket cost the server most of its time.
import type { RunEvent } from "./run-events.ts";
import { isTerminal } from "./states.ts";

export function mayWakeWorkers(event: RunEvent): boolean {
  if (event.kind === "flow-run-created") return event.pid <= 0;
  if (event.kind !== "state" || event.runKind !== "flow") return false;
  return event.state.type === "SCHEDULED" || isTerminal(event.state.type);
}
