// How the server ends a flow run whose process is gone: the run and each of its task runs that the state table
// lets end Crashed (CrashRun), by the one rule every sweeper uses (store/liveness.ts).
import type { RunEvent } from "../../protocol/run-events.ts";
import { crashedEventsForDeadRun as crashedEvents, type OpenRunRow } from "../../store/liveness.ts";
import type { FlowRunRecord, Store, TaskRunRecord } from "../../store/types.ts";

function runRow(run: FlowRunRecord): OpenRunRow {
  const { id, pid, host, heartbeatAt: heartbeat_at, state } = run;
  return { id, pid, host, heartbeat_at, state_name: state.name, state_timestamp: state.timestamp };
}

function taskRow(task: TaskRunRecord) {
  return {
    id: task.id,
    flow_run_id: task.flowRunId,
    state_name: task.state.name,
    state_timestamp: task.state.timestamp,
  };
}

/** The CRASHED events for a dead flow run and its unfinished task runs; none when the run itself has ended. */
export async function crashedEventsForDeadRun(
  store: Pick<Store, "listTaskRuns">,
  run: FlowRunRecord,
): Promise<RunEvent[]> {
  return crashedEvents(runRow(run), (await store.listTaskRuns(run.id)).map(taskRow));
}
