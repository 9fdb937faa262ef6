// Deployment runs in both stores: created once per idempotency key, and claimed by workers exactly once, in queue
// priority order, respecting pauses and the concurrency limits of pool, queue and deployment (ENQUEUE waits in
// AwaitingConcurrencySlot, CANCEL_NEW cancels); a claim asked again with its claim id answers what it took. Eight connections claim 500 runs at once: each run goes to exactly
// one of them (SQLite: one write transaction per claim; PostgreSQL: FOR UPDATE SKIP LOCKED).
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { newId } from "../../../protocol/ids.ts";
import type { RunEvent } from "../../../protocol/run-events.ts";
import { PostgresStore } from "../../../store/postgres/postgres-store.ts";
import { SqliteStore } from "../../../store/sqlite/sqlite-store.ts";
import type { DeploymentInput, DeploymentRecord, Store } from "../../../store/types.ts";
import { PG_SKIP, PG_URL } from "../../fixtures/server/backends.ts";
import { tempHome } from "../../fixtures/temp-home.ts";

interface Opened {
  /** A new connection to the same data (another worker). */
  connect(): Promise<Store>;
  dispose(): Promise<void>;
}

const backends: { name: string; skip: string | false; open(): Promise<Opened> }[] = [
  {
    name: "sqlite",
    skip: false,
    async open() {
      const file = path.join(tempHome("skein-claims-"), "skein.db");
      const stores: Store[] = [];
      return {
        async connect() {
          const store = new SqliteStore(file);
          stores.push(store);
          return store;
        },
        async dispose() {
          for (const store of stores) await store.close();
        },
      };
    },
  },
  {
    name: "postgres",
    skip: PG_SKIP,
    async open() {
      const schema = `skein_claims_${process.pid}_${randomBytes(4).toString("hex")}`;
      const stores: PostgresStore[] = [];
      return {
        async connect() {
          const store = await PostgresStore.connect(PG_URL!, { schema, maxConnections: 3 });
          stores.push(store);
          return store;
        },
        async dispose() {
          await stores[0]?.dropSchema(schema);
          for (const store of stores) await store.close();
        },
      };
    },
  },
];

async function deploy(store: Store, input: Partial<DeploymentInput> & { name: string }): Promise<DeploymentRecord> {
  const outcome = await store.createDeployment({ flowName: "f", entrypoint: "flows.ts:f", ...input });
  assert.ok("created" in outcome, JSON.stringify(outcome));
  return outcome.created;
}

async function schedule(store: Store, deployment: DeploymentRecord, options: { key?: string; at?: string } = {}) {
  const id = newId();
  const now = new Date().toISOString();
  return store.createDeploymentRun({
    id,
    name: `run-${id.slice(-6)}`,
    deployment,
    parameters: {},
    tags: [],
    expectedStartTime: options.at ?? now,
    idempotencyKey: options.key ?? null,
    schedule: null,
    state: { type: "SCHEDULED", name: "Scheduled", timestamp: now },
  });
}

/** A run's Cancelled state as its run process would report it (CancelWaitingRun). */
function cancelled(runId: string): RunEvent {
  const timestamp = new Date(Date.now() + 1000).toISOString();
  return {
    kind: "state",
    id: newId(),
    timestamp,
    flowRunId: runId,
    runKind: "flow",
    runId,
    state: { type: "CANCELLED", name: "Cancelled", timestamp },
  };
}

const claim = (store: Store, pool: string, worker: string, limit: number) =>
  store.claimFlowRuns({ workPoolName: pool, workerName: worker, pid: process.pid, host: "test", limit });

for (const backend of backends) {
  describe(`deployment run claims on ${backend.name}`, { skip: backend.skip }, () => {
    let opened: Opened;
    let store: Store;
    before(async () => {
      opened = await backend.open();
      store = await opened.connect();
    });
    after(() => opened?.dispose());

    test("one run per idempotency key", async () => {
      await store.createWorkPool({ name: "keys" });
      const deployment = await deploy(store, { name: "keys", workPoolName: "keys" });
      const first = await schedule(store, deployment, { key: "k1" });
      const again = await schedule(store, deployment, { key: "k1" });
      assert.equal(first.created, true);
      assert.equal(again.created, false);
      assert.equal(again.run.id, first.run.id);
      assert.equal(again.run.deploymentId, deployment.id);
      assert.equal(again.run.workQueueName, "default");
    });

    test("claims follow queue priority, skip paused queues and future runs, and record the poll", async () => {
      await store.createWorkPool({ name: "prio" });
      await store.createWorkQueue("prio", { name: "low", priority: 10 });
      await store.createWorkQueue("prio", { name: "held", priority: 0 });
      await store.updateWorkQueue("prio", "held", { paused: true });
      const low = await deploy(store, { name: "low", workPoolName: "prio", workQueueName: "low" });
      const high = await deploy(store, { name: "high", workPoolName: "prio" });
      const held = await deploy(store, { name: "held", workPoolName: "prio", workQueueName: "held" });
      const lowRun = (await schedule(store, low)).run;
      const highRun = (await schedule(store, high)).run;
      await schedule(store, held);
      await schedule(store, high, { at: new Date(Date.now() + 3600_000).toISOString() });
      const first = await claim(store, "prio", "w1", 1);
      assert.deepEqual(
        first.claimed.map((run) => run.id),
        [highRun.id],
      );
      assert.equal(first.claimed[0].state.name, "Pending");
      assert.equal(first.claimed[0].workerName, "w1");
      const rest = await claim(store, "prio", "w1", 10);
      assert.deepEqual(
        rest.claimed.map((run) => run.id),
        [lowRun.id],
        "the paused queue's and the future run wait",
      );
      const [worker] = await store.listWorkers("prio");
      assert.equal(worker.name, "w1");
      await store.updateWorkPool("prio", { paused: true });
      await store.updateWorkQueue("prio", "held", { paused: false });
      assert.equal((await claim(store, "prio", "w1", 10)).claimed.length, 0, "a paused pool gives nothing");
    });

    test("pool limits cap claims; deployment limits enqueue (ENQUEUE) or cancel (CANCEL_NEW)", async () => {
      await store.createWorkPool({ name: "limits", concurrencyLimit: 3 });
      const enqueue = await deploy(store, { name: "enqueue", workPoolName: "limits", concurrencyLimit: 1 });
      const cancel = await deploy(store, {
        name: "cancel",
        workPoolName: "limits",
        concurrencyLimit: 1,
        collisionStrategy: "CANCEL_NEW",
      });
      const free = await deploy(store, { name: "free", workPoolName: "limits" });
      for (const deployment of [enqueue, enqueue, cancel, cancel, free, free, free]) await schedule(store, deployment);
      const { claimed } = await claim(store, "limits", "w", 10);
      assert.equal(claimed.length, 3, "the pool's limit");
      const runs = await store.listFlowRuns({ workPoolName: "limits", limit: 100 });
      const names = (deployment: DeploymentRecord) =>
        runs
          .filter((run) => run.deploymentId === deployment.id)
          .map((run) => run.state.name)
          .sort();
      assert.deepEqual(names(enqueue), ["AwaitingConcurrencySlot", "Pending"]);
      assert.deepEqual(names(cancel), ["Cancelled", "Pending"]);
      assert.deepEqual(names(free), ["Pending", "Scheduled", "Scheduled"]);
    });

    test("a claim asked again with its id gets the runs it took, even while the first attempt still runs", async () => {
      await store.createWorkPool({ name: "again" });
      const deployment = await deploy(store, { name: "again", workPoolName: "again" });
      const ids: string[] = [];
      for (let index = 0; index < 4; index++) ids.push((await schedule(store, deployment)).run.id);
      const other = await opened.connect();
      const request = { workPoolName: "again", workerName: "w", pid: 1, host: "h", limit: 2, claimId: "claim-1" };
      // Two attempts of one claim at once, on two connections (a retry that arrives before the first committed).
      const [first, second] = await Promise.all([store.claimFlowRuns(request), other.claimFlowRuns(request)]);
      const taken = (result: { claimed: { id: string }[] }) => result.claimed.map((run) => run.id).sort();
      assert.equal(taken(first).length, 2);
      assert.deepEqual(taken(second), taken(first), "both attempts answer the same runs");
      assert.equal(first.events.length + second.events.length, 2, "the runs moved once: one attempt's events");
      const later = await store.claimFlowRuns({ ...request, limit: 10 });
      assert.deepEqual(taken(later), taken(first), "asked again later, with more room: the same runs, no others");
      assert.deepEqual(later.events, []);
      const rest = await store.claimFlowRuns({ ...request, claimId: "claim-2", limit: 10 });
      assert.deepEqual([...taken(first), ...taken(rest)].sort(), [...ids].sort());
      for (const id of ids)
        assert.equal((await store.listStates(id)).filter((state) => state.name === "Pending").length, 1, id);
      // A claim id whose runs were all taken away meanwhile (here: cancelled before they started) takes anew.
      const fresh = (await schedule(store, deployment)).run.id;
      for (const id of taken(first)) await store.appendEvents([cancelled(id)]);
      assert.deepEqual(taken(await store.claimFlowRuns(request)), [fresh]);
    });

    test("eight workers claiming 500 runs at once take each exactly once", async () => {
      await store.createWorkPool({ name: "shared" });
      const deployment = await deploy(store, { name: "shared", workPoolName: "shared" });
      const ids = new Set<string>();
      for (let index = 0; index < 500; index++) ids.add((await schedule(store, deployment)).run.id);
      const workers = await Promise.all(Array.from({ length: 8 }, () => opened.connect()));
      const takenBy = new Map<string, string[]>();
      await Promise.all(
        workers.map(async (worker, index) => {
          for (;;) {
            const { claimed } = await claim(worker, "shared", `w${index}`, 7);
            if (claimed.length === 0) return;
            for (const run of claimed) takenBy.set(run.id, [...(takenBy.get(run.id) ?? []), `w${index}`]);
          }
        }),
      );
      assert.equal(takenBy.size, 500);
      assert.deepEqual([...takenBy.keys()].sort(), [...ids].sort());
      const twice = [...takenBy].filter(([, by]) => by.length > 1);
      assert.deepEqual(twice, [], "no run claimed twice");
      const stored = await store.listFlowRuns({ workPoolName: "shared", limit: 1000 });
      assert.ok(stored.every((run) => run.state.name === "Pending" && takenBy.get(run.id)?.[0] === run.workerName));
      assert.ok(new Set([...takenBy.values()].map(([by]) => by)).size > 1, "the work was shared");
    });
  });
}
