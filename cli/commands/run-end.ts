// When a followed flow run (`deployment run --watch`, `flow-run logs --tail`) has ended for good. A run a worker
// ran that ends Crashed may be started again by that worker while its flow has `retries` left (Crashed →
// AwaitingRetry → Retrying → …, docs/workers.md). Only the flow's code knows its retries (the worker learns them
// from the child that runs the onCrashed hooks), so neither the run record nor its states say whether a retry
// comes: a follower keeps following such a crash for RETRY_WAIT_MS and reports the crash only when none came.
import { isFinal } from "../../protocol/states.ts";
import type { FlowRunRecord } from "../../store/types.ts";

/** Long enough for the worker's hook child to load the flow and its onCrashed hooks to run, in the usual case. */
export const RETRY_WAIT_MS = 10_000;

export class RunEnd {
  /** The crash being waited out, and when this follower first saw it (its own clock). */
  private crash: { timestamp: string; seenAt: number } | undefined;

  /** True once the run is in a final state no retry will follow (as far as a retry can be waited for). */
  reached(run: Pick<FlowRunRecord, "state" | "workerName">, now = Date.now()): boolean {
    if (!isFinal(run.state)) return false;
    if (run.state.name !== "Crashed" || !run.workerName) return true;
    let crash = this.crash;
    const first = crash?.timestamp !== run.state.timestamp;
    if (!crash || first) crash = this.crash = { timestamp: run.state.timestamp, seenAt: now };
    // From the crash's own time too, so an old crash is not waited out again; the worker's clock may differ from
    // ours, which the time this follower first saw the crash bounds.
    const waited = now - Math.min(Date.parse(run.state.timestamp), crash.seenAt);
    if (waited >= RETRY_WAIT_MS) return true;
    if (first)
      process.stderr.write(
        `skein: the flow run crashed; following it for up to ${Math.ceil((RETRY_WAIT_MS - waited) / 1000)} s more in case its worker retries it\n`,
      );
    return false;
  }
}
