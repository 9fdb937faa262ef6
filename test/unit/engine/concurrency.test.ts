// taskConcurrency, global concurrency limits and tag limits held in the store, rate limits with slot decay.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { flow, task, concurrency, rateLimit, setConcurrencyLimit, getStore } from "../../../engine/index.ts";
import { advanceClock, useHarness } from "./helpers.ts";

useHarness();

/** Runs `count` overlapping jobs and reports the highest number running at once. */
function peakTracker() {
  let running = 0;
  let peak = 0;
  return {
    get peak() {
      return peak;
    },
    async job(ms = 15) {
      running++;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setTimeout(resolve, ms));
      running--;
    },
  };
}

describe("concurrency", () => {
  test("taskConcurrency caps the task runs running at once in a flow run", async () => {
    const tracker = peakTracker();
    const t = task({ name: "capped" }, (_item: number) => tracker.job());
    await flow({ name: "task-concurrency", taskConcurrency: 3 }, async () =>
      Promise.all(t.map(Array.from({ length: 12 }, (_, i) => i)).map((f) => f.result())),
    )();
    assert.equal(tracker.peak, 3);
  });

  test("concurrency(name, occupy) holds slots of a global limit; no limit means no wait", async () => {
    await setConcurrencyLimit("db", 2);
    const tracker = peakTracker();
    await Promise.all(Array.from({ length: 6 }, () => concurrency("db", 1, () => tracker.job())));
    assert.equal(tracker.peak, 2);
    const lease = await concurrency("no-such-limit", 5);
    await lease.release();
    const [db] = (await getStore().listConcurrencyLimits()).filter((l) => l.name === "db");
    assert.equal(db.activeSlots, 0, "slots are released");
  });

  test("a task's tags take slots of tag:<tag> limits", async () => {
    await setConcurrencyLimit("tag:warehouse", 1);
    const tracker = peakTracker();
    const t = task({ name: "tagged", tags: ["warehouse", "untagged-limit"] }, (_item: number) => tracker.job());
    await flow({ name: "tag-limit" }, async () => Promise.all(t.map([1, 2, 3, 4]).map((f) => f.result())))();
    assert.equal(tracker.peak, 1);
  });

  test("a task run that ended keeps its state when its tag slots cannot be freed, and logs why", async () => {
    await setConcurrencyLimit("tag:release-fails", 1);
    const store = getStore();
    const releaseLeases = store.releaseLeases;
    store.releaseLeases = async () => {
      throw new Error("the store went away");
    };
    try {
      const t = task({ name: "frees-badly", tags: ["release-fails"] }, () => 42);
      assert.equal(await flow({ name: "release-fails" }, async () => t())(), 42);
    } finally {
      store.releaseLeases = releaseLeases;
    }
    const [run] = await store.listFlowRuns({ flowName: "release-fails", limit: 1 });
    const [taskRun] = await store.listTaskRuns(run.id);
    assert.equal(taskRun.state.name, "Completed");
    const logs = (await store.listLogs(run.id)).map((log) => `${log.level}: ${log.message}`);
    assert.ok(
      logs.some((line) =>
        /^error: Task run 'frees-badly-0' could not free its slots of tag:release-fails: .*the store went away/.test(
          line,
        ),
      ),
      logs.join("\n"),
    );
  });

  test("leases of a process that died are freed by the next taker", async () => {
    await setConcurrencyLimit("single", 1);
    const store = getStore();
    const deadPid = 2 ** 22 + 12345; // above the usual pid_max, so no such process
    const taken = await store.tryAcquireLeases({ names: ["single"], slots: 1, holderPid: deadPid, decaying: false });
    assert.equal(taken.acquired, true);
    const lease = await concurrency("single", 1);
    await lease.release();
  });

  test("rateLimit: slots decay instead of being released", async (t) => {
    // Decay is judged by the clock and waited for with timers: fake ones, so a slow machine cannot let a slot
    // decay before the check below.
    t.mock.timers.enable({ apis: ["Date", "setTimeout"], now: Date.now() });
    await setConcurrencyLimit("api", 2, { slotDecayPerSecond: 4 });
    await rateLimit("api");
    await rateLimit("api");
    const store = getStore();
    const extra = await store.tryAcquireLeases({ names: ["api"], slots: 1, holderPid: process.pid, decaying: true });
    assert.equal(extra.acquired, false, "both slots are still taken: rate-limit slots are not released");
    // Full, so the third call waits until a slot decays: at 4 slots/s, 250 ms after the first two were taken.
    let third = false;
    const waiting = rateLimit("api").then(() => (third = true));
    await advanceClock(t, 240);
    assert.equal(third, false, "the third rateLimit waits while no slot has decayed");
    await advanceClock(t, 500);
    assert.equal(third, true, "the third rateLimit goes ahead once a slot has decayed");
    await waiting;
    await assert.rejects(rateLimit("db"), /needs a concurrency limit with slotDecayPerSecond/);
  });
});
