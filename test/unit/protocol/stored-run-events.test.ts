// Stored records as the run events that made them (protocol/stored-run-events.ts): folded by the shared reducer they
// give back the run, and their ids are the live stream's, so a load that overlaps the stream adds nothing twice.
import assert from "node:assert/strict";
import { test } from "node:test";
import { RunSnapshotReducer } from "../../../protocol/run-snapshot.ts";
import { artifactEvents, flowRunEvents, logEvents, taskRunEvents } from "../../../protocol/stored-run-events.ts";
import type { State } from "../../../protocol/states.ts";
import { flowRunRecord } from "../../fixtures/records.ts";

const at = (second: number) => `2026-11-30T10:00:0${second}.000Z`;
const state = (type: State["type"], name: State["name"], second: number): State => ({
  type,
  name,
  timestamp: at(second),
});
const record = (id: string, runId: string, s: State) => ({ id, runId, ...s });

const flowRun = flowRunRecord({
  id: "f1",
  name: "brave-fox",
  parameters: { n: 1 },
  entrypoint: "flows/etl.ts:etl",
  pid: 7,
  host: "vm",
  heartbeatAt: at(3),
  createdAt: at(0),
  state: state("COMPLETED", "Completed", 3),
  result: '{"json":2}',
});
const taskRun = {
  id: "t1",
  flowRunId: "f1",
  name: "load-0",
  taskName: "load",
  taskKey: "load@flows/etl.ts:3:14",
  dynamicKey: 0,
  upstream: [],
  tags: [],
  source: { file: "flows/etl.ts", line: 3, column: 14 },
  createdAt: at(1),
  state: state("COMPLETED", "Completed", 2),
  result: '{"json":1}',
};

test("a run with its histories folds back into the run, with the stream's event ids", () => {
  const events = [
    ...flowRunEvents(flowRun, [
      record("s1", "f1", state("PENDING", "Pending", 0)),
      record("s2", "f1", state("RUNNING", "Running", 0)),
      record("s3", "f1", flowRun.state),
    ]),
    ...taskRunEvents(taskRun, [
      record("u1", "t1", state("PENDING", "Pending", 1)),
      record("u2", "t1", state("RUNNING", "Running", 1)),
      record("u3", "t1", taskRun.state),
    ]),
    ...logEvents([
      { id: "l1", flowRunId: "f1", taskRunId: "t1", level: "info", logger: "task", message: "hi", timestamp: at(1) },
    ]),
    ...artifactEvents([
      {
        id: "a1",
        flowRunId: "f1",
        taskRunId: null,
        key: null,
        type: "progress",
        description: null,
        data: 100,
        createdAt: at(1),
        updatedAt: at(2),
      },
    ]),
  ];
  assert.deepEqual(
    events.map((event) => event.id),
    ["s1", "s2", "s3", "u1", "u2", "u3", "l1", "artifact-a1", `artifact-a1-${at(2)}`],
  );
  const { snapshot } = reducerOf(events);
  assert.equal(snapshot.flowRuns.f1.result, '{"json":2}');
  assert.deepEqual(
    snapshot.taskRuns.t1.states.map((s) => s.name),
    ["Pending", "Running", "Completed"],
  );
  assert.equal(snapshot.taskRuns.t1.result, '{"json":1}');
  assert.equal(snapshot.taskRuns.t1.taskName, "load");
  assert.equal(snapshot.logs[0].taskRunId, "t1");
  assert.equal(snapshot.artifacts.a1.updatedAt, at(2));
});

test("without a history a task run is created in its current state, under an id no live event has", () => {
  const [created, ...rest] = taskRunEvents(taskRun);
  assert.deepEqual(rest, []);
  assert.equal(created.id, "loaded-t1");
  assert.equal(created.kind === "task-run-created" && created.state.name, "Completed");
});

function reducerOf(events: Parameters<RunSnapshotReducer["apply"]>[0]) {
  const reducer = new RunSnapshotReducer();
  reducer.apply(events);
  return reducer;
}
