// The run explorer's data layer against a real server started by SkeinConnection: 10,000 runs page newest first
// and completely, subflow runs nest under the task run that started them, and a run started from a terminal
// reaches the tree live.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { eventsApi } from "../../../protocol/api/events.ts";
import type { RunEvent } from "../../../protocol/run-events.ts";
import { startLocalServer } from "../../../extension/connection/local-server.ts";
import { SkeinConnection } from "../../../extension/connection/skein-connection.ts";
import {
  listFlows,
  listRunChildren,
  listRunsPage,
  NO_FILTER,
  RUN_PAGE_SIZE,
} from "../../../extension/explorer/run-data.ts";
import type { FlowNode, RunNode } from "../../../extension/explorer/run-nodes.ts";
import { RunTreeModel } from "../../../extension/explorer/run-tree.ts";
import { builtCli, runCli } from "../../fixtures/built-cli.ts";
import { Clock, flowRunEvents } from "../../fixtures/server/events.ts";
import { tempHome } from "../../fixtures/temp-home.ts";
import { fakeVscode } from "../../fixtures/extension/fake-vscode.ts";

const RUNS = 10_000;

function connectionFor(home: string) {
  return new SkeinConnection({
    home: () => home,
    apiUrl: () => "",
    apiKey: async () => undefined,
    startLocalServer: (target) =>
      startLocalServer(
        { spawn, cliPath: builtCli(), runtime: async () => ({ command: process.execPath, env: {} }) },
        target,
      ),
  });
}

test("10,000 runs of a flow page newest first and completely; subflows nest; a terminal run appears live", async (t) => {
  const home = tempHome();
  t.after(() => runCli(["server", "stop"], home));
  const connection = connectionFor(home);
  t.after(() => connection.dispose());

  // 10,000 finished runs of one flow, one millisecond apart, through the events API as run processes send them.
  const clock = new Clock(Date.parse("2026-06-01T00:00:00.000Z"));
  const ids: string[] = [];
  let batch: RunEvent[] = [];
  for (let i = 0; i < RUNS; i++) {
    const events = flowRunEvents({ flowName: "bulk", tasks: 0, clock });
    ids.push(events[0].flowRunId);
    batch.push(...events.filter((event) => event.kind !== "artifact"));
    if (batch.length >= 15_000 || i === RUNS - 1) {
      const events = batch;
      await connection.withClient((client) => client.call(eventsApi.ingest, { body: { events } }));
      batch = [];
    }
  }

  const flows = await connection.withClient((client) => listFlows(client));
  assert.deepEqual(
    flows.map((flow) => [flow.name, flow.runCount]),
    [["bulk", RUNS]],
  );
  const seen: string[] = [];
  for (let offset = 0, more = true; more; ) {
    const page = await connection.withClient((client) => listRunsPage(client, "bulk", NO_FILTER, offset));
    seen.push(...page.runs.map((run) => run.id));
    offset += page.runs.length;
    more = page.hasMore;
    assert.ok(page.runs.length <= RUN_PAGE_SIZE);
  }
  assert.equal(seen.length, RUNS);
  assert.deepEqual(seen, [...ids].reverse(), "every run once, newest first");
  const failedOnly = await connection.withClient((client) => listRunsPage(client, "bulk", { states: ["FAILED"] }, 0));
  assert.deepEqual(failedOnly, { runs: [], hasMore: false });

  // The tree over the same connection: the first page and its Load more row, then live updates from the stream.
  const tree = new RunTreeModel({ vscode: fakeVscode().api, source: connection, debounceMs: 10 });
  t.after(() => tree.dispose());
  const rootChanged = new Promise<void>((resolve) =>
    tree.onDidChangeTreeData((change) => {
      if (change === undefined) resolve();
    }),
  );
  const [bulk] = (await tree.getChildren()) as FlowNode[];
  const firstPage = await tree.getChildren(bulk);
  assert.equal(firstPage.length, RUN_PAGE_SIZE + 1);
  assert.equal((firstPage[0] as RunNode).flowRunId, ids.at(-1));
  assert.equal(firstPage.at(-1)?.kind, "more");

  // A run from a terminal, of a flow the tree has not shown: the stream makes the tree read its root again.
  const run = await runCli(["run", "examples/subflows.ts:report"], home);
  assert.equal(run.code, 0, run.stderr);
  await rootChanged;
  const roots = (await tree.getChildren()) as FlowNode[];
  assert.deepEqual(roots.map((flow) => flow.flow.name).sort(), ["bulk", "regional-report", "shop-report"]);

  // The parent run's children: its two task runs standing for subflows, each with its subflow run nested.
  const report = roots.find((flow) => flow.flow.name === "regional-report")!;
  const [parentRun] = (await tree.getChildren(report)) as RunNode[];
  const children = await connection.withClient((client) => listRunChildren(client, parentRun.flowRunId));
  assert.equal(children.taskRuns.length, 2);
  assert.deepEqual(children.orphanSubflows, []);
  const nested = children.taskRuns.map((task) => children.subflowsByTaskRun.get(task.id)?.map((sub) => sub.name));
  assert.deepEqual(nested.flat().sort(), ["shop-berlin", "shop-paris"]);
  const shownChildren = await tree.getChildren(parentRun);
  assert.deepEqual(
    shownChildren.map((node) => node.kind),
    ["task", "task"],
  );
});
