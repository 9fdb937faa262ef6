// A run view opened on a run started from a terminal loads it through the server (extension/panels/run-source.ts):
// the snapshot it folds is the one the run's own events build (flow run, subflow, task runs with their state
// histories, logs, artifact), with the same event ids, so the live stream overlapping the load adds nothing twice.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { startLocalServer } from "../../../extension/connection/local-server.ts";
import { SkeinConnection } from "../../../extension/connection/skein-connection.ts";
import { connectionRunSource } from "../../../extension/panels/run-source.ts";
import type { RunEvent } from "../../../protocol/run-events.ts";
import { emptyRunSnapshot, RunSnapshotReducer } from "../../../protocol/run-snapshot.ts";
import { builtCli, runCli } from "../../fixtures/built-cli.ts";
import { tempHome } from "../../fixtures/temp-home.ts";

test("a run from the CLI loads with its subflow, task histories, logs and artifact, and replayed events fold to nothing new", async (t) => {
  const home = tempHome();
  t.after(() => runCli(["server", "stop"], home));
  const connection = new SkeinConnection({
    home: () => home,
    apiUrl: () => "",
    apiKey: async () => undefined,
    startLocalServer: (target) =>
      startLocalServer(
        { spawn, cliPath: builtCli(), runtime: async () => ({ command: process.execPath, env: {} }) },
        target,
      ),
  });
  t.after(() => connection.dispose());
  await connection.client(); // the run reports to the server, as runs do when one serves the SKEIN_HOME

  const run = await runCli(["run", "test/fixtures/engine/run-view-tree.ts:tree", "--output", "jsonl"], home);
  assert.equal(run.code, 0, run.stderr);
  const emitted = run.stdout
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as RunEvent);
  const root = emitted.find((event) => event.kind === "flow-run-created" && !event.parentFlowRunId);
  assert.ok(root);

  const source = connectionRunSource(connection);
  const loaded = await source.load(root.flowRunId);
  const fromServer = new RunSnapshotReducer(emptyRunSnapshot(root.flowRunId));
  fromServer.apply(loaded);
  const fromRun = new RunSnapshotReducer(emptyRunSnapshot(root.flowRunId));
  fromRun.apply(emitted);

  const { snapshot } = fromServer;
  const expected = fromRun.snapshot;
  assert.deepEqual(Object.keys(snapshot.flowRuns).sort(), Object.keys(expected.flowRuns).sort());
  assert.equal(Object.keys(snapshot.flowRuns).length, 2, "the run and its subflow");
  const child = Object.values(snapshot.flowRuns).find((flowRun) => flowRun.flowName === "child");
  assert.equal(child?.parentFlowRunId, root.flowRunId);
  assert.deepEqual(Object.keys(snapshot.taskRuns).sort(), Object.keys(expected.taskRuns).sort());
  for (const [id, taskRun] of Object.entries(expected.taskRuns)) {
    assert.deepEqual(
      stateNames(snapshot.taskRuns[id].states),
      stateNames(taskRun.states),
      `history of ${taskRun.name}`,
    );
    assert.deepEqual(snapshot.taskRuns[id].upstream, taskRun.upstream);
    assert.deepEqual(snapshot.taskRuns[id].source, taskRun.source, `definition site of ${taskRun.name}`);
  }
  assert.deepEqual(
    stateNames(snapshot.flowRuns[root.flowRunId].states),
    stateNames(expected.flowRuns[root.flowRunId].states),
  );
  assert.deepEqual(snapshot.logs.map((log) => log.message).sort(), expected.logs.map((log) => log.message).sort());
  assert.ok(
    snapshot.logs.some((log) => log.message === "loading 3") &&
      snapshot.logs.some((log) => log.message === "loading 7"),
  );
  assert.deepEqual(Object.keys(snapshot.artifacts), Object.keys(expected.artifacts));
  assert.equal(Object.values(snapshot.artifacts)[0]?.key, "total");

  // The live stream replaying the run's own events (a view opened mid-run) adds nothing.
  assert.deepEqual(fromServer.apply(emitted.filter((event) => event.kind !== "artifact")), []);

  const runs = await source.listRuns("tree");
  assert.deepEqual(
    runs.map((listed) => [listed.flowRunId, listed.stateName]),
    [[root.flowRunId, "Completed"]],
  );
});

function stateNames(states: { name: string }[]): string[] {
  return states.map((state) => state.name);
}
