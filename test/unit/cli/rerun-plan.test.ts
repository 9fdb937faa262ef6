// What `skein flow-run rerun --from-task` reuses and runs again (cli/rerun-plan.ts), from stored task runs: by the
// recorded upstream edges, by time for awaited values (which record no edge), across attempts of a run retried in
// place, and the errors that stop a rerun before it starts.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { planRerun, RerunPlanError } from "../../../cli/rerun-plan.ts";
import type { StateName, StateType } from "../../../protocol/states.ts";
import type { TaskRunRecord } from "../../../store/types.ts";

let clock = 0;
const at = (ms: number) => new Date(Date.UTC(2026, 0, 1) + ms).toISOString();

interface Spec {
  id: string;
  upstream?: string[];
  /** When it was created and when it ended, in ms (default: one after the other). */
  created?: number;
  ended?: number;
  state?: [StateType, StateName];
  result?: string | null;
  call?: number;
  task?: string;
}

function taskRun(spec: Spec): TaskRunRecord {
  const created = spec.created ?? (clock += 10);
  const ended = spec.ended ?? created + 5;
  const [type, name] = spec.state ?? ["COMPLETED", "Completed"];
  const task = spec.task ?? spec.id;
  return {
    id: spec.id,
    flowRunId: "flow-1",
    name: `${task}-${spec.call ?? 0}`,
    taskName: task,
    taskKey: `${task}@flows/etl.ts:${task.length}:1`,
    dynamicKey: spec.call ?? 0,
    upstream: spec.upstream ?? [],
    tags: [],
    source: null,
    createdAt: at(created),
    state: { type, name, timestamp: at(ended) },
    result: spec.result === undefined ? (type === "COMPLETED" ? '"value"' : null) : spec.result,
  };
}

const ids = (runs: TaskRunRecord[]) => runs.map((run) => run.id).sort();

describe("rerun plan", () => {
  test("a chain of awaited calls (no edges): the selected task and every later call run again", () => {
    clock = 0;
    const runs = ["extract", "transform", "load", "report"].map((id) => taskRun({ id }));
    const plan = planRerun(runs, "transform", "flow-1");
    assert.deepEqual(ids(plan.reuse), ["extract"]);
    assert.deepEqual(ids(plan.rerun), ["load", "report", "transform"]);
  });

  test("a diamond of futures made at once: the selected branch and the join run again, the rest is reused", () => {
    const runs = [
      taskRun({ id: "a", created: 0, ended: 10 }),
      taskRun({ id: "b", upstream: ["a"], created: 1, ended: 20 }),
      taskRun({ id: "c", upstream: ["a"], created: 2, ended: 15 }),
      taskRun({ id: "d", upstream: ["b", "c"], created: 3, ended: 30 }),
    ];
    const fromB = planRerun(runs, "b", "flow-1");
    assert.deepEqual(ids(fromB.reuse), ["a", "c"]);
    assert.deepEqual(ids(fromB.rerun), ["b", "d"]);
    assert.deepEqual(ids(planRerun(runs, "a", "flow-1").rerun), ["a", "b", "c", "d"]);
    assert.deepEqual(ids(planRerun(runs, "d", "flow-1").reuse), ["a", "b", "c"]);
  });

  test("a failed run: the failed task and the calls never made run again; nothing after it is reused", () => {
    const runs = [
      taskRun({ id: "a", created: 0, ended: 5 }),
      taskRun({ id: "b", created: 6, ended: 9, state: ["FAILED", "Failed"] }),
      taskRun({ id: "c", upstream: ["b"], created: 7, ended: 9, state: ["PENDING", "NotReady"] }),
    ];
    const plan = planRerun(runs, "b", "flow-1");
    assert.deepEqual(ids(plan.reuse), ["a"]);
    assert.deepEqual(ids(plan.rerun), ["b", "c"]);
  });

  test("a run retried in place: the last run of each call counts, and earlier attempts do not drag calls in", () => {
    const runs = [
      taskRun({ id: "a1", task: "a", created: 0, ended: 5 }),
      taskRun({ id: "b1", task: "b", created: 6, ended: 9, state: ["FAILED", "Failed"] }),
      // the retry, later: a is reused from attempt 1 (Cached), b completes
      taskRun({ id: "a2", task: "a", created: 20, ended: 21, state: ["COMPLETED", "Cached"] }),
      taskRun({ id: "b2", task: "b", created: 22, ended: 25 }),
      taskRun({ id: "c2", task: "c", created: 26, ended: 27 }),
    ];
    const plan = planRerun(runs, "b2", "flow-1");
    assert.deepEqual(ids(plan.reuse), ["a2"]);
    assert.deepEqual(ids(plan.rerun), ["b2", "c2"]);
  });

  test("calls that are not reusable run again; completed ones without a stored result are named", () => {
    const runs = [
      taskRun({ id: "connect", created: 0, ended: 1, result: null }),
      taskRun({ id: "failing", created: 2, ended: 3, state: ["FAILED", "Failed"] }),
      taskRun({ id: "sibling", created: 2, ended: 9, state: ["FAILED", "Failed"] }),
    ];
    const plan = planRerun(runs, "failing", "flow-1");
    assert.deepEqual(ids(plan.rerun), ["failing"], "the sibling started before it ended: not downstream");
    assert.deepEqual(ids(plan.runAgain), ["connect", "sibling"]);
    assert.deepEqual(ids(plan.unstored), ["connect"], "only the completed one lost work");
  });

  test("an upstream (by an edge) without a stored result stops the rerun, naming it and the fix", () => {
    const runs = [
      taskRun({ id: "extract", created: 0, ended: 10, result: null }),
      taskRun({ id: "load", upstream: ["extract"], created: 1, ended: 12, state: ["FAILED", "Failed"] }),
    ];
    assert.throws(
      () => planRerun(runs, "load", "flow-1"),
      (error: Error) =>
        error instanceof RerunPlanError &&
        error.message.includes("'extract-0' (extract)") &&
        error.message.includes("its result was not stored") &&
        error.message.includes("persistResult: true"),
    );
  });

  test("an unknown task run is an error that says how to list them", () => {
    assert.throws(
      () => planRerun([taskRun({ id: "a" })], "nope", "flow-1"),
      /has no task run nope .*task-run ls flow-1/,
    );
  });
});
