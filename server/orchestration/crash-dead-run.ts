// How the server ends a flow run whose process is gone: the run and each of its task runs that the state table
// lets end Crashed (CrashRun), so a task run that already ended, or never ran (NotReady), keeps its state.
import type { RunEvent } from "../../protocol/run-events.ts";
import { crashedEvent, deadRunMessage, mayCrash } from "../../store/liveness.ts";
import type { FlowRunRecord, Store } from "../../store/types.ts";

/** The CRASHED events for a dead flow run and its unfinished task runs; none when the run itself has ended. */
export async function crashedEventsForDeadRun(
  store: Pick<Store, "listTaskRuns">,
  run: FlowRunRecord,
): Promise<RunEvent[]> {
  if (!mayCrash(run.state.name)) return [];
  const events = [crashedEvent(run.id, run.id, "flow", run.state, run.heartbeatAt, deadRunMessage(run.pid))];
  for (const task of await store.listTaskRuns(run.id)) {
    if (mayCrash(task.state.name)) {
      events.push(crashedEvent(run.id, task.id, "task", task.state, run.heartbeatAt, "Its flow run's process is gone"));
    }
  }
  return events;
}
