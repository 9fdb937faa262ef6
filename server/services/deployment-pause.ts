// Pausing a deployment, as Prefect does: its scheduler stops creating runs, and the runs it has not started yet
// (Scheduled, Late, AwaitingConcurrencySlot, no process) are deleted, so resuming does not start a backlog.
import { CLAIMABLE_STATES } from "../../store/deployment-runs.ts";
import type { Store } from "../../store/types.ts";

const MAX_UNSTARTED = 10_000;

/** Deletes the deployment's runs that no worker has claimed; returns how many. */
export async function deleteUnstartedRuns(
  store: Pick<Store, "listFlowRuns" | "deleteFlowRun">,
  deploymentId: string,
): Promise<number> {
  const waiting = await store.listFlowRuns({ deploymentId, stateTypes: ["SCHEDULED"], limit: MAX_UNSTARTED });
  let deleted = 0;
  for (const run of waiting) {
    if (run.pid <= 0 && CLAIMABLE_STATES.includes(run.state.name) && (await store.deleteFlowRun(run.id))) deleted++;
  }
  return deleted;
}
