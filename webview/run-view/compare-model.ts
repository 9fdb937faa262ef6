// What differs between two runs of the same flow: parameters side by side, each task's state, duration and cache
// hit in both runs, results that differ, and log lines only one run printed. Tasks are matched by their stable
// identity (task key and call count), not by run-time name, so renamed task runs still line up. Pure: the Compare
// tab draws it and unit tests check it.
import type { RunSnapshot, SnapshotTaskRun } from "../../protocol/run-snapshot.ts";
import type { State } from "../../protocol/states.ts";
import { isCacheHit, runDuration } from "../common/format.ts";

export interface ParameterRow {
  name: string;
  left: string | undefined;
  right: string | undefined;
  differs: boolean;
}

export interface TaskSide {
  state: State;
  durationMs: number | undefined;
  cacheHit: boolean;
  result: string | undefined;
}

export interface TaskRow {
  name: string;
  left: TaskSide | undefined;
  right: TaskSide | undefined;
  resultDiffers: boolean;
}

export interface RunComparison {
  parameters: ParameterRow[];
  tasks: TaskRow[];
  logsOnlyLeft: string[];
  logsOnlyRight: string[];
}

const MAX_LOG_DIFFERENCES = 200;

export function compareRuns(left: RunSnapshot, leftId: string, right: RunSnapshot, rightId: string): RunComparison {
  const leftParameters = left.flowRuns[leftId]?.parameters ?? {};
  const rightParameters = right.flowRuns[rightId]?.parameters ?? {};
  const names = [...new Set([...Object.keys(leftParameters), ...Object.keys(rightParameters)])].sort();
  const parameters = names.map((name) => {
    const a = name in leftParameters ? JSON.stringify(leftParameters[name]) : undefined;
    const b = name in rightParameters ? JSON.stringify(rightParameters[name]) : undefined;
    return { name, left: a, right: b, differs: a !== b };
  });

  const leftTasks = tasksByIdentity(left, leftId);
  const rightTasks = tasksByIdentity(right, rightId);
  const tasks: TaskRow[] = [];
  for (const identity of new Set([...leftTasks.keys(), ...rightTasks.keys()])) {
    const a = leftTasks.get(identity);
    const b = rightTasks.get(identity);
    const sideA = a && side(a);
    const sideB = b && side(b);
    tasks.push({
      name: (a ?? b)?.name ?? identity,
      left: sideA,
      right: sideB,
      resultDiffers: Boolean(
        sideA?.result !== undefined && sideB?.result !== undefined && sideA.result !== sideB.result,
      ),
    });
  }

  // A snapshot holds one run with its subflows: all of its log lines are that run's.
  const leftLines = left.logs.map((log) => log.message);
  const rightLines = right.logs.map((log) => log.message);
  return {
    parameters,
    tasks,
    logsOnlyLeft: onlyIn(leftLines, rightLines),
    logsOnlyRight: onlyIn(rightLines, leftLines),
  };
}

/** The task runs of the flow run and its subflows, keyed by task key and call count (the last attempt wins). */
function tasksByIdentity(snapshot: RunSnapshot, flowRunId: string): Map<string, SnapshotTaskRun> {
  const inRun = new Set([flowRunId]);
  for (const run of Object.values(snapshot.flowRuns)) {
    if (run.parentFlowRunId && inRun.has(run.parentFlowRunId)) inRun.add(run.id);
  }
  const byIdentity = new Map<string, SnapshotTaskRun>();
  for (const taskRun of Object.values(snapshot.taskRuns)) {
    if (inRun.has(taskRun.flowRunId)) byIdentity.set(`${taskRun.taskKey}#${taskRun.dynamicKey}`, taskRun);
  }
  return byIdentity;
}

function side(taskRun: SnapshotTaskRun): TaskSide {
  return {
    state: taskRun.state,
    durationMs: runDuration(taskRun.states),
    cacheHit: taskRun.states.some(isCacheHit),
    result: taskRun.result,
  };
}

/** Lines of `a` with no counterpart in `b` (as multisets: a line printed twice in a and once in b counts once). */
function onlyIn(a: string[], b: string[]): string[] {
  const remaining = new Map<string, number>();
  for (const line of b) remaining.set(line, (remaining.get(line) ?? 0) + 1);
  const only: string[] = [];
  for (const line of a) {
    const count = remaining.get(line) ?? 0;
    if (count > 0) remaining.set(line, count - 1);
    else if (only.length < MAX_LOG_DIFFERENCES) only.push(line);
  }
  return only;
}
