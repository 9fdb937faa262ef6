// The server's side of cancelling a flow run: the request is recorded only while the state table lets the run end
// Cancelled (CancelRun); its own process then ends it. A run that has finished is left as it is.
import { transitionRule, type State } from "../../protocol/states.ts";
import type { FlowRunRecord, Store } from "../../store/types.ts";

export interface CancelAnswer {
  cancelRequested: boolean;
  state: State;
}

/** Records a cancellation request for `run` when the table allows it, and says whether it did. */
export async function requestFlowRunCancellation(
  store: Pick<Store, "requestCancellation">,
  run: FlowRunRecord,
): Promise<CancelAnswer> {
  if (!transitionRule(run.state.name, "Cancelled")) return { cancelRequested: false, state: run.state };
  await store.requestCancellation(run.id);
  return { cancelRequested: true, state: run.state };
}
