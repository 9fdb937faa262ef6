// "Why is it waiting?" for each reason a deployment run may wait, produced from a real SQLite store: no worker
// polled its pool (ever, or lately), pool / queue / deployment paused, scheduled for later, a concurrency limit full
// (naming the limit and the run holding it), claimed by a worker that is starting it, and Late.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { newId } from "../../../protocol/ids.ts";
import { Scheduler } from "../../../server/services/scheduler.ts";
import { explainWaiting } from "../../../server/services/waiting-reasons.ts";
import { SqliteStore } from "../../../store/sqlite/sqlite-store.ts";
import type { DeploymentRecord, FlowRunRecord } from "../../../store/types.ts";
import { tempHome } from "../../fixtures/temp-home.ts";

describe("why a deployment run waits", () => {
  let store: SqliteStore;
  before(() => {
    store = new SqliteStore(path.join(tempHome("skein-waiting-"), "skein.db"));
  });
  after(() => store.close());

  async function setUp(pool: string, options: { poolLimit?: number } = {}) {
    await store.createWorkPool({ name: pool, concurrencyLimit: options.poolLimit ?? null });
    const outcome = await store.createDeployment({
      name: pool,
      flowName: "f",
      entrypoint: "f.ts:f",
      workPoolName: pool,
    });
    assert.ok("created" in outcome);
    return outcome.created;
  }

  async function scheduled(deployment: DeploymentRecord, at = new Date()): Promise<FlowRunRecord> {
    const id = newId();
    const timestamp = new Date().toISOString();
    const { run } = await store.createDeploymentRun({
      id,
      name: `run-${id.slice(-6)}`,
      deployment,
      parameters: {},
      tags: [],
      expectedStartTime: at.toISOString(),
      idempotencyKey: null,
      schedule: null,
      state: { type: "SCHEDULED", name: "Scheduled", timestamp },
    });
    return run;
  }

  const poll = (pool: string, worker = "w1", limit = 0) =>
    store.claimFlowRuns({ workPoolName: pool, workerName: worker, pid: 1, host: "h", limit });

  const why = async (run: FlowRunRecord, now?: number) => explainWaiting(store, (await store.getFlowRun(run.id))!, now);

  test("no worker has ever polled the pool, then none lately", async () => {
    const run = await scheduled(await setUp("idle"));
    const never = await why(run);
    assert.equal(never.code, "no-worker");
    assert.match(
      never.message,
      /No worker has ever polled work pool 'idle'; start one: skein worker start --pool idle/,
    );
    await poll("idle");
    const lately = await why(run, Date.now() + 3600_000);
    assert.equal(lately.code, "no-worker");
    assert.match(lately.message, /No worker has polled work pool 'idle' since .* \(worker 'w1'\)/);
    assert.ok(lately.lastPollAt);
  });

  test("paused pool, queue and deployment are named", async () => {
    const deployment = await setUp("pausing");
    const run = await scheduled(deployment);
    await store.updateDeployment(deployment.id, { paused: true });
    assert.equal((await why(run)).code, "deployment-paused");
    await store.updateWorkQueue("pausing", "default", { paused: true });
    assert.match((await why(run)).message, /Work queue 'default' of pool 'pausing' is paused/);
    await store.updateWorkPool("pausing", { paused: true });
    const pool = await why(run);
    assert.equal(pool.code, "pool-paused");
    assert.match(pool.message, /skein work-pool resume pausing/);
  });

  test("scheduled for later", async () => {
    const run = await scheduled(await setUp("later"), new Date(Date.now() + 90 * 60_000));
    const reason = await why(run);
    assert.equal(reason.code, "scheduled-later");
    assert.match(reason.message, /It is scheduled for .* \(in 90 min\)/);
  });

  test("claimed by a worker that is starting it, and a full limit naming its holder", async () => {
    const deployment = await setUp("full", { poolLimit: 1 });
    const first = await scheduled(deployment);
    const second = await scheduled(deployment);
    const { claimed } = await poll("full", "starter", 1);
    assert.deepEqual(
      claimed.map((run) => run.id),
      [first.id],
    );
    const starting = await why(first);
    assert.equal(starting.code, "claimed-starting");
    assert.match(starting.message, /Worker 'starter' claimed it at .* and is starting it/);
    const waiting = await why(second);
    assert.equal(waiting.code, "concurrency-full");
    assert.deepEqual(waiting.limit, { scope: "work pool", name: "full", limit: 1 });
    assert.match(waiting.holders?.[0] ?? "", new RegExp(first.id));
  });

  test("Late after the grace period, while a worker polls", async () => {
    const deployment = await setUp("late");
    const run = await scheduled(deployment, new Date(Date.now() - 60_000));
    await store.updateWorkPool("late", { paused: true }); // the worker polls but may not claim it yet
    await poll("late");
    await store.updateWorkPool("late", { paused: false });
    const scheduler = new Scheduler(store, { lateAfterMs: 15_000 });
    const marked = await scheduler.markLate();
    assert.ok(marked.some((late) => late.id === run.id));
    const reason = await why(run);
    assert.equal(reason.code, "late");
    assert.match(reason.message, /It is Late \(due at .*\); worker 'w1' polls pool 'late'/);
    assert.equal((await store.getFlowRun(run.id))!.state.name, "Late");
  });
});
