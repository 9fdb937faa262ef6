import { test } from "node:test";
import assert from "node:assert/strict";
import type { ApiClient } from "../../../../client/api-client.ts";
import type { RouteContract } from "../../../../protocol/api/contract.ts";
import {
  type DeploymentNode,
  type DeploymentRecord,
  DeploymentTreeModel,
  describeSchedule,
  nextRunOf,
  WORKER_STALE_MS,
  type WorkerRecord,
} from "../../../../extension/explorer/deployment-tree.ts";
import { fakeVscode } from "../../../fixtures/extension/fake-vscode.ts";

const NOW = new Date("2026-11-30T10:30:00Z");

function deployment(extra: Partial<DeploymentRecord> = {}): DeploymentRecord {
  return {
    id: "d1",
    name: "hello-daily",
    flowName: "hello",
    entrypoint: "examples/hello.ts:hello",
    description: null,
    parameters: {},
    parameterSchema: null,
    enforceParameterSchema: true,
    schedules: [
      { cron: "0 9 * * *", timezone: "Europe/Paris", active: true, parameters: {} },
      { interval: 3600, active: true, parameters: {} },
      { rrule: "FREQ=DAILY", active: false, parameters: {} },
    ],
    workPoolName: null,
    workQueueName: null,
    jobVariables: {},
    tags: [],
    concurrencyLimit: null,
    collisionStrategy: "ENQUEUE",
    paused: false,
    createdAt: "2026-11-01T00:00:00.000Z",
    updatedAt: "2026-11-01T00:00:00.000Z",
    ...extra,
  };
}

test("a deployment's next run is its soonest active schedule; paused deployments have none", () => {
  assert.equal(nextRunOf(deployment(), NOW)?.toISOString(), "2026-11-30T11:00:00.000Z");
  assert.equal(nextRunOf(deployment({ paused: true }), NOW), undefined);
  assert.equal(describeSchedule(deployment().schedules[0]), "cron 0 9 * * * (Europe/Paris)");
  assert.equal(describeSchedule(deployment().schedules[1]), "every 1h");
});

test("an interval's next run counts from its anchor date when it has one; a slug names the schedule", () => {
  const anchored = deployment({
    schedules: [{ interval: 3600, anchorDate: "2026-01-01T00:45:00Z", slug: "hourly", active: true, parameters: {} }],
  });
  assert.equal(nextRunOf(anchored, NOW)?.toISOString(), "2026-11-30T10:45:00.000Z");
  assert.equal(describeSchedule(anchored.schedules[0]), "hourly · every 1h");
});

test("the view lists deployments with their schedules, and Pause sends paused through the API", async () => {
  const stored = [deployment()];
  const updates: unknown[] = [];
  const client = {
    async call(
      contract: RouteContract,
      request: { params?: { id: string; schedule?: string }; body?: { paused?: boolean; active?: boolean } } = {},
    ) {
      if (contract.path === "/api/deployments") return { deployments: stored };
      if (contract.path === "/api/workers") return { workers: [] };
      if (contract.path === "/api/deployments/:id" && contract.method === "PUT") {
        updates.push({ id: request.params?.id, ...request.body });
        stored[0] = { ...stored[0], paused: Boolean(request.body?.paused) };
        return { deployment: stored[0], deletedRunIds: [] };
      }
      if (contract.path === "/api/deployments/:id/schedules/:schedule") {
        updates.push({ ...request.params, ...request.body });
        return { deployment: stored[0], index: 2, deletedRunIds: [] };
      }
      throw new Error(`unexpected route ${contract.path}`);
    },
  } as unknown as ApiClient;
  const source = {
    withClient: <T>(use: (client: ApiClient) => Promise<T>) => use(client),
    follow: () => ({ lastEventId: undefined, close() {}, done: Promise.resolve() }),
  };
  const tree = new DeploymentTreeModel({ vscode: fakeVscode().api, source, now: () => NOW });
  const reloads: unknown[] = [];
  tree.onDidChangeTreeData((change) => reloads.push(change));
  const [node] = await tree.getChildren();
  const item = tree.getTreeItem(node);
  assert.equal(item.contextValue, "deployment.active");
  assert.equal(item.label, "hello/hello-daily");
  assert.match(String(item.description), /^next .* · no pool$/);
  const schedules = await tree.getChildren(node);
  assert.deepEqual(
    schedules.map((child) => String(tree.getTreeItem(child).description).split(" ")[0]),
    ["next", "next", "paused"],
  );
  assert.deepEqual(
    schedules.map((child) => tree.getTreeItem(child).contextValue),
    ["schedule.active", "schedule.active", "schedule.paused"],
    "the menus offer Pause Schedule or Resume Schedule by these",
  );
  await tree.setScheduleActive("d1", "3", true);
  await tree.setPaused((node as Extract<DeploymentNode, { kind: "deployment" }>).deploymentId, true);
  assert.deepEqual(updates, [
    { id: "d1", schedule: "3", active: true },
    { id: "d1", paused: true },
  ]);
  assert.deepEqual(reloads, [undefined, undefined]);
  const [paused] = await tree.getChildren();
  assert.equal(tree.getTreeItem(paused).contextValue, "deployment.paused");
  assert.equal(tree.getTreeItem(paused).description, "paused · no pool");
  tree.dispose();
});

/** A tree over stored deployments and workers (the two routes the view reads). */
function treeOver(deployments: DeploymentRecord[], workers: WorkerRecord[]) {
  const client = {
    async call(contract: RouteContract) {
      if (contract.path === "/api/deployments") return { deployments };
      if (contract.path === "/api/workers") return { workers };
      throw new Error(`unexpected route ${contract.path}`);
    },
  } as unknown as ApiClient;
  const source = {
    withClient: <T>(use: (client: ApiClient) => Promise<T>) => use(client),
    follow: () => ({ lastEventId: undefined, close() {}, done: Promise.resolve() }),
  };
  return new DeploymentTreeModel({ vscode: fakeVscode().api, source, now: () => NOW });
}

const worker = (pool: string, msAgo: number, name = `w-${pool}`): WorkerRecord => ({
  workPoolName: pool,
  name,
  pid: 1,
  host: "h",
  lastPollAt: new Date(NOW.getTime() - msAgo).toISOString(),
});

test("a pool no worker polled lately gets a 'No worker' row with Start Worker; a served pool does not", async () => {
  const tree = treeOver(
    [
      deployment({ id: "a", name: "unserved", workPoolName: "etl", schedules: [] }),
      deployment({ id: "b", name: "never", workPoolName: "fresh", schedules: [] }),
      deployment({ id: "c", name: "served", workPoolName: "live" }),
    ],
    // etl's latest poll is stale (an older, staler worker must not win); live's is recent.
    [worker("etl", WORKER_STALE_MS + 5000, "old"), worker("etl", WORKER_STALE_MS + 1000), worker("live", 1000)],
  );
  const [unserved, never, served] = await tree.getChildren();
  const unservedItem = tree.getTreeItem(unserved);
  assert.equal(unservedItem.label, "hello/unserved");
  assert.equal(unservedItem.description, "not scheduled · pool etl (no worker)");
  assert.equal(unservedItem.collapsibleState, fakeVscode().api.TreeItemCollapsibleState.Expanded, "shown open");
  assert.match(String(unservedItem.tooltip), /No worker is polling pool 'etl' \(last poll /);

  const [noWorker] = await tree.getChildren(unserved);
  assert.equal(noWorker.kind, "no-worker");
  const row = tree.getTreeItem(noWorker);
  assert.equal(row.label, "No worker is polling pool etl");
  assert.match(String(row.description), /^last poll /);
  assert.equal(row.contextValue, "pool.noWorker", "package.json's Start Worker action matches this");
  assert.equal((noWorker as { workPoolName: string }).workPoolName, "etl", "the action's argument names the pool");
  assert.equal((noWorker as { lastPoll?: WorkerRecord }).lastPoll?.name, "w-etl");

  const [neverRow] = await tree.getChildren(never);
  assert.equal(tree.getTreeItem(neverRow).description, "no worker has ever polled it");

  const servedChildren = await tree.getChildren(served);
  assert.deepEqual(
    servedChildren.map((child) => child.kind),
    ["schedule", "schedule", "schedule"],
  );
  assert.match(String(tree.getTreeItem(served).description), / · pool live$/);
  assert.match(String(tree.getTreeItem(served).tooltip), /Worker 'w-live' polls pool 'live'/);
  tree.dispose();
});
