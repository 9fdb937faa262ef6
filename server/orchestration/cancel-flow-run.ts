// The server's side of cancelling a flow run. A run whose process holds it: the request is recorded only while the
// state table lets the run end Cancelled (CancelRun), and its own process (or its worker) then ends it. A deployment
// run no process holds yet (Scheduled, Late, AwaitingConcurrencySlot): the server ends it Cancelled itself
// (CancelWaitingRun). A run that has finished is left as it is.
import type { RunEvent } from "../../protocol/run-events.ts";
import { flowRunEndedEvent } from "../../store/liveness.ts";
import { transitionRule, type State } from "../../protocol/states.ts";
import type { FlowRunRecord, Store } from "../../store/types.ts";

export interface CancelAnswer {
  cancelRequested: boolean;
  state: State;
}

/** Records a cancellation request for `run` when the table allows it, and says whether it did. */
export async function requestFlowRunCancellation(
  store: Pick<Store, "requestCancellation" | "appendEvents">,
  run: FlowRunRecord,
  onStored: (events: readonly RunEvent[]) => void = () => undefined,
): Promise<CancelAnswer> {
  const rule = transitionRule(run.state.name, "Cancelled");
  if (!rule) return { cancelRequested: false, state: run.state };
  if (rule.name === "CancelWaitingRun" && run.pid <= 0) {
    const event = flowRunEndedEvent(run, "Cancelled", "Cancelled before it started");
    await store.appendEvents([event]);
    onStored([event]);
    return { cancelRequested: true, state: event.state };
  }
  await store.requestCancellation(run.id);
  return { cancelRequested: true, state: run.state };
}
