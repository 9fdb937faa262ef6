import { test } from "node:test";
import assert from "node:assert/strict";
import type { ApiClient } from "../../../../client/api-client.ts";
import type { FollowOptions } from "../../../../client/event-stream.ts";
import type { RouteContract } from "../../../../protocol/api/contract.ts";
import type { RunEvent } from "../../../../protocol/run-events.ts";
import type { State, StateType } from "../../../../protocol/states.ts";
import type { FlowRunRecord, TaskRunRecord } from "../../../../extension/explorer/run-data.ts";
import type { ExplorerNode, FlowNode, MoreNode, RunNode, TaskNode } from "../../../../extension/explorer/run-nodes.ts";
import { contextValueOf, formatDuration } from "../../../../extension/explorer/run-nodes.ts";
import { RunTreeModel } from "../../../../extension/explorer/run-tree.ts";
import { describeFilter } from "../../../../extension/explorer/run-explorer.ts";
import { fakeVscode } from "../../../fixtures/extension/fake-vscode.ts";
import { flowRunRecord } from "../../../fixtures/records.ts";

const T0 = Date.parse("2026-11-30T10:00:00Z");
const at = (seconds: number) => new Date(T0 + seconds * 1000).toISOString();
const state = (type: StateType, seconds: number, message?: string): State => ({
  type,
  name: (type.charAt(0) + type.slice(1).toLowerCase()) as State["name"],
  timestamp: at(seconds),
  message,
});

function flowRun(id: string, flowName: string, seconds: number, extra: Partial<FlowRunRecord> = {}): FlowRunRecord {
  return flowRunRecord({ id, flowName, createdAt: at(seconds), state: state("COMPLETED", seconds + 2), ...extra });
}

function taskRun(id: string, flowRunId: string, seconds: number): TaskRunRecord {
  return {
    id,
    flowRunId,
    name: `task-${id}`,
    taskName: `task-${id}`,
    taskKey: `task-${id}@f.ts:1:1`,
    source: { file: "f.ts", line: 1, column: 1 },
    dynamicKey: 0,
    upstream: [],
    tags: [],
    createdAt: at(seconds),
    state: state("COMPLETED", seconds + 1),
    result: null,
  };
}

/** An in-memory API answering the routes the explorer calls, and a stream the test pushes events into. */
function fakeSource(runs: FlowRunRecord[], taskRuns: TaskRunRecord[] = []) {
  const calls: { path: string; query: Record<string, unknown> }[] = [];
  const follows: FollowOptions[] = [];
  const client = {
    async call(contract: RouteContract, request: { params?: { id: string }; query?: Record<string, unknown> } = {}) {
      const query = request.query ?? {};
      calls.push({ path: contract.path, query });
      const newestFirst = [...runs].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
      if (contract.path === "/api/flows") {
        const flows = new Map<string, { name: string; runCount: number; lastRunAt: string }>();
        for (const run of newestFirst) {
          const flow = flows.get(run.flowName) ?? { name: run.flowName, runCount: 0, lastRunAt: run.createdAt };
          flow.runCount++;
          flows.set(run.flowName, flow);
        }
        return { flows: [...flows.values()] };
      }
      if (contract.path === "/api/flow-runs") {
        const states = typeof query.state === "string" ? query.state.split(",") : undefined;
        const matching = newestFirst.filter(
          (run) =>
            (!query.flowName || run.flowName === query.flowName) &&
            (!states || states.includes(run.state.type)) &&
            (!query.parentFlowRunId || run.parentFlowRunId === query.parentFlowRunId),
        );
        const offset = query.offset as number;
        return { flowRuns: matching.slice(offset, offset + (query.limit as number)), offset, limit: query.limit };
      }
      if (contract.path === "/api/flow-runs/:id/task-runs") {
        return { taskRuns: taskRuns.filter((task) => task.flowRunId === request.params?.id) };
      }
      if (contract.path === "/api/flow-runs/:id/waiting") {
        return {
          flowRunId: request.params?.id,
          code: "no-worker",
          message:
            "No worker has polled work pool 'etl' since 2026-11-30T09:00:00Z; start one: skein worker start --pool etl",
          workPoolName: "etl",
        };
      }
      throw new Error(`unexpected route ${contract.path}`);
    },
  } as unknown as ApiClient;
  const source = {
    withClient: <T>(use: (client: ApiClient) => Promise<T>) => use(client),
    follow(options: FollowOptions) {
      follows.push(options);
      return { lastEventId: undefined, close() {}, done: Promise.resolve() };
    },
  };
  return {
    source,
    calls,
    follows,
    push: (event: RunEvent) => follows.at(-1)?.onEvent(event, event.id),
    /** The server deletes the run and announces it. */
    deleteRun(flowRunId: string) {
      runs.splice(
        runs.findIndex((run) => run.id === flowRunId),
        1,
      );
      follows.at(-1)?.onDeleted?.(flowRunId, `deleted-${flowRunId}`);
    },
  };
}

function modelOf(source: ReturnType<typeof fakeSource>["source"]) {
  const model = new RunTreeModel({ vscode: fakeVscode().api, source, debounceMs: 0, now: () => T0 + 60_000 });
  const fired: unknown[] = [];
  model.onDidChangeTreeData((change) => fired.push(change));
  return { model, fired };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 5));

test("flows, then a flow's runs newest first in pages with a Load more row, then the next page", async () => {
  const runs = Array.from({ length: 250 }, (_, i) => flowRun(`r${i}`, "etl", i));
  const { source, calls } = fakeSource([...runs, flowRun("h", "hello", 1)]);
  const { model } = modelOf(source);
  const roots = (await model.getChildren()) as FlowNode[];
  assert.deepEqual(
    roots.map((flow) => [flow.flow.name, flow.flow.runCount]),
    [
      ["etl", 250],
      ["hello", 1],
    ],
  );
  const etl = roots[0];
  const first = await model.getChildren(etl);
  assert.equal(first.length, 101);
  assert.equal((first[0] as RunNode).flowRunId, "r249");
  assert.equal((first[99] as RunNode).flowRunId, "r150");
  assert.equal(first[100].kind, "more");
  await model.loadMore(first[100] as MoreNode);
  await model.loadMore((await model.getChildren(etl)).at(-1) as MoreNode);
  const all = await model.getChildren(etl);
  assert.equal(all.length, 250, "the last page has no Load more row");
  assert.deepEqual(
    all.map((node) => (node as RunNode).flowRunId),
    runs.map((run) => run.id).reverse(),
  );
  assert.deepEqual(
    calls.filter((call) => call.path === "/api/flow-runs").map((call) => call.query.offset),
    [0, 100, 200],
  );
});

test("a run's children are its task runs, with a subflow run nested under the task run that started it", async () => {
  const parent = flowRun("p", "parent", 0);
  const child = flowRun("c", "child", 1, { parentFlowRunId: "p", parentTaskRunId: "t2" });
  const orphan = flowRun("o", "child", 2, { parentFlowRunId: "p", parentTaskRunId: "gone" });
  const { source } = fakeSource([parent, child, orphan], [taskRun("t1", "p", 0), taskRun("t2", "p", 1)]);
  const { model } = modelOf(source);
  const [flowNode] = (await model.getChildren()).filter((node) => node.kind === "flow" && node.flow.name === "parent");
  const [runNode] = await model.getChildren(flowNode);
  const children = await model.getChildren(runNode);
  assert.deepEqual(
    children.map((node) => (node.kind === "task" ? `task ${node.taskRunId}` : `run ${(node as RunNode).flowRunId}`)),
    ["task t1", "task t2", "run o"],
  );
  const t2 = children[1] as TaskNode;
  assert.deepEqual(
    (await model.getChildren(t2)).map((node) => (node as RunNode).flowRunId),
    ["c"],
  );
  const item = model.getTreeItem(t2);
  assert.equal(item.collapsibleState, fakeVscode().api.TreeItemCollapsibleState.Collapsed);
  // The subflow run also appears under its own flow: the two rows need distinct ids.
  assert.notEqual(model.getTreeItem(t2.subflows[0]).id, model.getTreeItem({ ...t2.subflows[0], nested: false }).id);
});

test("an expanded waiting run says why, asking once per state; rows never ask", async () => {
  const waiting = flowRun("w", "etl", 0, { state: state("SCHEDULED", 1), deploymentId: "d1", workPoolName: "etl" });
  const done = flowRun("d", "etl", 2);
  const { source, calls, push } = fakeSource([waiting, done]);
  const { model } = modelOf(source);
  const [flowNode] = await model.getChildren();
  const runNodes = (await model.getChildren(flowNode)) as RunNode[];
  for (const node of runNodes) model.getTreeItem(node);
  const asked = () => calls.filter((call) => call.path === "/api/flow-runs/:id/waiting").length;
  assert.equal(asked(), 0, "rendering rows asks nothing");
  const waitingNode = runNodes.find((node) => node.flowRunId === "w") as RunNode;
  const [reasonRow] = await model.getChildren(waitingNode);
  assert.equal(reasonRow.kind, "message");
  assert.match((reasonRow as { text: string }).text, /^No worker has polled work pool 'etl'/);
  const item = model.getTreeItem(waitingNode);
  assert.match(String(item.description), /· waits for a worker$/);
  assert.match((item.tooltip as { value: string }).value, /Waiting: No worker has polled work pool 'etl'/);
  await model.getChildren(waitingNode);
  assert.equal(asked(), 1, "expanding again in the same state asks nothing");
  // A finished run is not asked about; once the waiting run runs, its reason is gone.
  await model.getChildren(runNodes.find((node) => node.flowRunId === "d") as RunNode);
  assert.equal(asked(), 1);
  push({
    kind: "state",
    id: "e1",
    timestamp: at(5),
    runKind: "flow",
    runId: "w",
    flowRunId: "w",
    state: state("RUNNING", 5),
  } as RunEvent);
  assert.deepEqual(await model.getChildren(waitingNode), []);
  assert.doesNotMatch(String(model.getTreeItem(waitingNode).description), /waits/);
  assert.equal(asked(), 1);
});

test("live events update only the nodes they touch, in one batch per debounce window", async () => {
  const { source, follows, push } = fakeSource([flowRun("a", "etl", 0)]);
  const { model, fired } = modelOf(source);
  const [etl] = (await model.getChildren()) as FlowNode[];
  const [runA] = (await model.getChildren(etl)) as RunNode[];
  await model.getChildren(runA);
  assert.equal(follows.length, 1, "the tree follows the all-runs stream once it is shown");
  assert.equal(follows[0].flowRunId, undefined);

  push({
    kind: "flow-run-created",
    id: "e1",
    timestamp: at(10),
    flowRunId: "b",
    name: "run-b",
    flowName: "etl",
    parameters: {},
    tags: [],
    pid: 2,
    state: state("RUNNING", 10),
  });
  push({
    kind: "task-run-created",
    id: "e2",
    timestamp: at(11),
    flowRunId: "a",
    taskRunId: "ta",
    name: "extract",
    taskName: "extract",
    taskKey: "extract@f.ts:1:1",
    dynamicKey: 0,
    upstream: [],
    tags: [],
    state: state("RUNNING", 11),
  });
  push({ kind: "log", id: "e3", timestamp: at(11), flowRunId: "b", level: "info", logger: "x", message: "hi" });
  await settle();
  assert.equal(fired.length, 1, "one change event for the batch");
  assert.deepEqual(new Set(fired[0] as ExplorerNode[]), new Set([etl, runA]));
  const runs = (await model.getChildren(etl)) as RunNode[];
  assert.deepEqual(
    runs.map((run) => run.flowRunId),
    ["b", "a"],
    "a new run goes on top",
  );
  assert.equal(model.getTreeItem(etl).description, "2 runs");
  assert.deepEqual(
    (await model.getChildren(runA)).map((node) => (node as TaskNode).taskRunId),
    ["ta"],
  );

  push({
    kind: "state",
    id: "e4",
    timestamp: at(20),
    flowRunId: "b",
    runKind: "flow",
    runId: "b",
    state: state("FAILED", 20, "boom"),
  });
  await settle();
  assert.deepEqual(fired.at(-1), [runs[0]]);
  const item = model.getTreeItem(runs[0]);
  assert.equal((item.iconPath as { id: string }).id, "error");
  assert.equal(item.contextValue, "run.finished.failed");
  assert.match((item.tooltip as { value: string }).value, /boom/);
  assert.match(String(item.description), /· 10s$/);

  push({
    kind: "flow-run-created",
    id: "e5",
    timestamp: at(30),
    flowRunId: "n",
    name: "run-n",
    flowName: "brand-new",
    parameters: {},
    tags: [],
    pid: 3,
    state: state("RUNNING", 30),
  });
  await settle();
  assert.equal(fired.at(-1), undefined, "a flow not shown yet reloads the root");
});

test("a deleted run leaves its flow (one run fewer) and its parent run, with its task runs; an emptied flow leaves the root", async () => {
  const parent = flowRun("p", "parent", 0);
  const child = flowRun("c", "child", 1, { parentFlowRunId: "p", parentTaskRunId: "t" });
  const { source, deleteRun, push } = fakeSource(
    [parent, child, flowRun("a", "etl", 2), flowRun("b", "etl", 3)],
    [taskRun("t", "p", 0), taskRun("ta", "a", 2)],
  );
  const { model, fired } = modelOf(source);
  const flows = (await model.getChildren()) as FlowNode[];
  const named = (name: string) => flows.find((flow) => flow.flow.name === name)!;
  const [parentRun] = (await model.getChildren(named("parent"))) as RunNode[];
  const [task] = (await model.getChildren(parentRun)) as TaskNode[];
  assert.deepEqual(
    task.subflows.map((run) => run.flowRunId),
    ["c"],
  );
  await model.getChildren(named("child"));
  const etlRuns = (await model.getChildren(named("etl"))) as RunNode[];
  await model.getChildren(etlRuns[1]);
  await settle();
  fired.length = 0;

  deleteRun("a");
  await settle();
  assert.deepEqual(fired, [[named("etl")]], "only its flow's row changes");
  assert.deepEqual(
    ((await model.getChildren(named("etl"))) as RunNode[]).map((run) => run.flowRunId),
    ["b"],
  );
  assert.equal(model.getTreeItem(named("etl")).description, "1 run");
  assert.deepEqual(model.runNodes("a"), []);
  push({
    kind: "state",
    id: "late",
    timestamp: at(9),
    flowRunId: "a",
    runKind: "task",
    runId: "ta",
    state: state("FAILED", 9),
  });
  await settle();
  assert.equal(fired.length, 1, "its task runs are forgotten too");

  deleteRun("c");
  await settle();
  assert.equal(fired.at(-1), undefined, "its flow has no runs left: the root is read again");
  assert.deepEqual(task.subflows, [], "gone from under the task run that started it");
  assert.deepEqual(model.runNodes("c"), []);
  assert.deepEqual(
    ((await model.getChildren()) as FlowNode[]).map((flow) => flow.flow.name),
    ["etl", "parent"],
  );

  fired.length = 0;
  deleteRun("p");
  await settle();
  assert.deepEqual(fired, [undefined]);
  assert.deepEqual(model.runNodes("p"), []);
  model.dispose();
});

test("the stream's reset reloads everything and follows again; a state filter reaches the API and the view's description", async () => {
  const { source, follows, calls } = fakeSource([
    flowRun("a", "etl", 0),
    flowRun("b", "etl", 1, { state: state("FAILED", 3) }),
  ]);
  const { model, fired } = modelOf(source);
  const [etl] = (await model.getChildren()) as FlowNode[];
  await model.getChildren(etl);
  follows[0].onReset?.("server restarted");
  await settle();
  assert.deepEqual(fired, [undefined]);
  const [etlAgain] = (await model.getChildren()) as FlowNode[];
  assert.notEqual(etlAgain, etl, "nodes are read anew");
  assert.equal(follows.length, 2);

  model.setFilter({ states: ["FAILED", "CRASHED"], flowName: "etl" });
  const [filtered] = (await model.getChildren()) as FlowNode[];
  assert.deepEqual(
    (await model.getChildren(filtered)).map((node) => (node as RunNode).flowRunId),
    ["b"],
  );
  assert.equal(calls.at(-1)?.query.state, "FAILED,CRASHED");
  assert.equal(describeFilter(model.filter), "flow: etl · state: Failed, Crashed");
  model.setFilter({ states: ["CANCELLED"] });
  const [nothing] = await model.getChildren(((await model.getChildren()) as FlowNode[])[0]);
  assert.deepEqual(nothing, { kind: "message", text: "No runs match the filter.", error: false });
  model.dispose();
});

test("a failing server shows its message as a row instead of an empty tree", async () => {
  const source = {
    withClient: async () => {
      throw new Error("Could not connect to the local Skein server for /h: ECONNREFUSED");
    },
    follow: () => ({ lastEventId: undefined, close() {}, done: Promise.resolve() }),
  };
  const model = new RunTreeModel({ vscode: fakeVscode().api, source });
  assert.deepEqual(await model.getChildren(), [
    { kind: "message", text: "Could not connect to the local Skein server for /h: ECONNREFUSED", error: true },
  ]);
  model.dispose();
});

test("durations and the context values menus match on", () => {
  assert.equal(formatDuration(1234), "1.2s");
  assert.equal(formatDuration(184_000), "3m 04s");
  assert.equal(formatDuration(7_500_000), "2h 05m");
  assert.equal(contextValueOf("run", state("RUNNING", 0)), "run.unfinished");
  assert.equal(contextValueOf("run", state("CANCELLING", 0)), "run.unfinished");
  assert.equal(contextValueOf("run", state("COMPLETED", 0)), "run.finished.completed");
  assert.equal(contextValueOf("task", state("CRASHED", 0)), "task.finished.failed");
});
