// Comparing two runs of a flow: parameters side by side, tasks matched by identity with state, duration and cache
// hits, results that differ, and log lines only one run printed.
import { test } from "node:test";
import assert from "node:assert/strict";
import { emptyRunSnapshot, RunSnapshotReducer } from "../../../../protocol/run-snapshot.ts";
import { compareRuns } from "../../../../webview/run-view/compare-model.ts";
import { RunEventBuilder } from "../../../run-event-builder.ts";

function snapshotOf(flowRunId: string, events: Parameters<RunSnapshotReducer["apply"]>[0]) {
  const reducer = new RunSnapshotReducer(emptyRunSnapshot(flowRunId));
  reducer.apply(events);
  return reducer.snapshot;
}

test("parameters, tasks and logs that differ between two runs", () => {
  const build = new RunEventBuilder();
  const good = snapshotOf("good", build.completedRun("good", { parameters: { date: "2026-11-29", limit: 10 } }));
  const bad = snapshotOf(
    "bad",
    build.completedRun("bad", { parameters: { date: "2026-11-30", limit: 10 }, fail: true }),
  );
  const comparison = compareRuns(good, "good", bad, "bad");

  assert.deepEqual(comparison.parameters, [
    { name: "date", left: '"2026-11-29"', right: '"2026-11-30"', differs: true },
    { name: "limit", left: "10", right: "10", differs: false },
  ]);
  const byName = Object.fromEntries(comparison.tasks.map((row) => [row.name, row]));
  assert.deepEqual(Object.keys(byName).sort(), ["extract-0", "transform-0"]);
  assert.equal(byName["extract-0"].left?.cacheHit, true);
  assert.equal(byName["extract-0"].right?.cacheHit, true);
  assert.equal(byName["extract-0"].resultDiffers, false);
  assert.equal(byName["transform-0"].left?.state.type, "COMPLETED");
  assert.equal(byName["transform-0"].right?.state.type, "FAILED");
  assert.ok((byName["transform-0"].left?.durationMs ?? 0) > 0);
  assert.deepEqual(comparison.logsOnlyLeft, ["transformed rows for good"]);
  assert.deepEqual(comparison.logsOnlyRight, ["transformed rows for bad"]);
});

test("a task only one run called shows as not run in the other; differing results are flagged", () => {
  const build = new RunEventBuilder();
  const left = snapshotOf("l", [
    build.flowRun("l"),
    build.taskRun("l", "l-a", "a"),
    build.transition("l", "task", "l-a", "COMPLETED", "Completed", { result: "1" }),
    build.taskRun("l", "l-b", "b"),
  ]);
  const right = snapshotOf("r", [
    build.flowRun("r"),
    build.taskRun("r", "r-a", "a"),
    build.transition("r", "task", "r-a", "COMPLETED", "Completed", { result: "2" }),
  ]);
  const comparison = compareRuns(left, "l", right, "r");
  const byName = Object.fromEntries(comparison.tasks.map((row) => [row.name, row]));
  assert.equal(byName.a.resultDiffers, true);
  assert.equal(byName.b.right, undefined);
  assert.equal(byName.b.resultDiffers, false);
});

test("a log line printed twice in one run and once in the other counts once as different", () => {
  const build = new RunEventBuilder();
  const left = snapshotOf("l", [build.flowRun("l"), build.log("l", "tick"), build.log("l", "tick")]);
  const right = snapshotOf("r", [build.flowRun("r"), build.log("r", "tick")]);
  const comparison = compareRuns(left, "l", right, "r");
  assert.deepEqual(comparison.logsOnlyLeft, ["tick"]);
  assert.deepEqual(comparison.logsOnlyRight, []);
});
