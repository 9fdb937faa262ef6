// What `skein flow-run rerun RUN --from-task TASK_RUN` reuses and what it runs again, from the task runs the store
// holds for RUN. The selected task run and everything downstream of it run again; every other task call whose
// last run completed with a stored result is reused. Downstream means reached from the selected task run through
// the recorded upstream edges (futures passed as arguments, waitFor), or created after a task run that runs again
// had ended: the flow's code may have handed its awaited value on, which records no edge (`await t(x)` returns a
// plain value), so such calls run again rather than reuse a result that may depend on the old value.
// The rerun cannot start when a task run it runs again takes the value of an upstream task run (by an edge) that
// does not run again and has no stored result: the error names that task run and the fix. Completed task calls
// before the selected one without a stored result run again; `unstored` lists them for a warning.
// Pure: no store, no engine.
import { formatState, isFinal } from "../protocol/states.ts";
import { parseTaskKey } from "../protocol/task-keys.ts";
import type { TaskRunRecord } from "../store/types.ts";

export interface RerunPlan {
  selected: TaskRunRecord;
  /** The last run of each task call that is reused: completed with a stored result, not downstream. */
  reuse: TaskRunRecord[];
  /** The last runs of the selected task call and of the calls downstream of it: they run again. */
  rerun: TaskRunRecord[];
  /** Neither downstream nor reusable (no stored result, or not completed): they run again too. */
  runAgain: TaskRunRecord[];
  /** Of those, the ones that completed but whose result was not stored (their work is done again). */
  unstored: TaskRunRecord[];
}

export class RerunPlanError extends Error {
  override name = "RerunPlanError";
}

/** A task call: task key and call count. A flow run retried in place holds several runs of one call. */
const callOf = (run: TaskRunRecord) => `${run.taskKey}#${run.dynamicKey}`;

const reusable = (run: TaskRunRecord) => run.state.type === "COMPLETED" && run.result !== null;

/** `taskRuns`: every task run of the flow run. */
export function planRerun(taskRuns: readonly TaskRunRecord[], selectedId: string, flowRunId: string): RerunPlan {
  const byId = new Map(taskRuns.map((run) => [run.id, run]));
  const selected = byId.get(selectedId);
  if (!selected) {
    throw new RerunPlanError(
      `flow run ${flowRunId} has no task run ${selectedId} (\`skein task-run ls ${flowRunId}\` lists them)`,
    );
  }
  const runsOfCall = new Map<string, TaskRunRecord[]>();
  const downstream = new Map<string, TaskRunRecord[]>();
  const add = (map: Map<string, TaskRunRecord[]>, key: string, run: TaskRunRecord) => {
    const list = map.get(key);
    if (list) list.push(run);
    else map.set(key, [run]);
  };
  for (const run of taskRuns) {
    add(runsOfCall, callOf(run), run);
    for (const upstreamId of run.upstream) add(downstream, upstreamId, run);
  }
  const rerunCalls = new Set<string>();
  /** The call runs again, and so does every call one of its runs handed a future to. */
  const rerun = (call: string) => {
    const queue = [call];
    for (let next = queue.pop(); next !== undefined; next = queue.pop()) {
      if (rerunCalls.has(next)) continue;
      rerunCalls.add(next);
      for (const run of runsOfCall.get(next) ?? []) queue.push(...(downstream.get(run.id) ?? []).map(callOf));
    }
  };
  rerun(callOf(selected));
  const lastRuns = [...runsOfCall.values()]
    .map((runs) => runs[runs.length - 1])
    .sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0));
  // In creation order: a call made once a call that runs again had ended may have been handed its value.
  let earliestEnd = "\uffff";
  for (const run of lastRuns) {
    if (!rerunCalls.has(callOf(run)) && run.createdAt >= earliestEnd) rerun(callOf(run));
    if (rerunCalls.has(callOf(run)) && isFinal(run.state) && run.state.timestamp < earliestEnd)
      earliestEnd = run.state.timestamp;
  }
  const plan: RerunPlan = { selected, reuse: [], rerun: [], runAgain: [], unstored: [] };
  for (const run of lastRuns) {
    if (rerunCalls.has(callOf(run))) plan.rerun.push(run);
    else if (reusable(run)) plan.reuse.push(run);
    else {
      plan.runAgain.push(run);
      if (run.state.type === "COMPLETED") plan.unstored.push(run);
    }
  }
  const lastOfCall = (run: TaskRunRecord) => runsOfCall.get(callOf(run))!.at(-1)!;
  for (const run of plan.rerun) {
    for (const upstreamId of run.upstream) {
      const upstream = byId.get(upstreamId);
      if (!upstream || rerunCalls.has(callOf(upstream))) continue;
      const last = lastOfCall(upstream);
      if (!reusable(last)) throw new RerunPlanError(missingUpstreamMessage(selected, run, last));
    }
  }
  return plan;
}

function missingUpstreamMessage(selected: TaskRunRecord, needing: TaskRunRecord, upstream: TaskRunRecord): string {
  const task = parseTaskKey(upstream.taskKey).name;
  const why =
    upstream.state.type === "COMPLETED"
      ? "its result was not stored"
      : `it did not complete (${formatState(upstream.state)})`;
  return (
    `Cannot rerun from task run '${selected.name}': task run '${needing.name}' takes the value of upstream task run ` +
    `'${upstream.name}' (${upstream.id}), and ${why}, so there is nothing to reuse. ` +
    (upstream.state.type === "COMPLETED"
      ? `Give task '${task}' persistResult: true (its result must be JSON-compatible), run the flow again, and rerun from that run; or rerun from '${upstream.name}' instead.`
      : `Rerun from '${upstream.name}' instead.`)
  );
}
