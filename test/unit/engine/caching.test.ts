// Cache policies, cache keys, expiration, refresh, and result persistence across runs.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { flow, task, runFlow, cachePolicies, type TaskOptions } from "../../../engine/index.ts";
import { useHarness } from "./helpers.ts";

const harness = useHarness();

/** A task counting its real executions, and a flow calling it with the given arguments. */
function counted(name: string, options: TaskOptions) {
  const calls = { count: 0 };
  const t = task({ name, ...options }, (x: number) => {
    calls.count++;
    return { x, at: new Date(0), tags: new Set(["a"]), big: 2n ** 70n, raw: Buffer.from([1, 2]) };
  });
  const f = flow({ name: `${name}-flow` }, async (...xs: number[]) => {
    const out = [];
    for (const x of xs) out.push(await t(x));
    return out;
  });
  return { calls, f };
}

async function lastTaskStates(flowName: string) {
  const [run] = await harness.current.flowRuns(flowName);
  return (await harness.current.taskRuns(run.id)).map((t) => t.state);
}

describe("caching", () => {
  test("INPUTS: same arguments hit across flow runs, restoring rich values; other arguments miss", async () => {
    const { calls, f } = counted("inputs", { cachePolicy: cachePolicies.INPUTS });
    const [first] = await f(1);
    const [again, other] = await f(1, 2);
    assert.equal(calls.count, 2);
    assert.deepEqual(again, first);
    assert.ok(
      again.at instanceof Date &&
        again.tags instanceof Set &&
        typeof again.big === "bigint" &&
        Buffer.isBuffer(again.raw),
    );
    assert.equal(other.x, 2);
    const [hit, miss] = await lastTaskStates("inputs-flow");
    assert.equal(hit.name, "Cached");
    assert.equal(hit.type, "COMPLETED");
    assert.match(hit.message ?? "", /Cache hit on key inputs-[0-9a-f]+ from task run/);
    assert.ok(hit.details?.cacheKey && hit.details.cachedFromTaskRunId);
    assert.equal(miss.name, "Completed");
  });

  test("RUN_ID composed with INPUTS caches within one flow run only", async () => {
    const { calls, f } = counted("per-run", { cachePolicy: cachePolicies.INPUTS.and(cachePolicies.RUN_ID) });
    await f(1, 1);
    await f(1);
    assert.equal(calls.count, 2);
  });

  test("TASK_SOURCE and FLOW_PARAMETERS change the key", async () => {
    const sourceA = task({ name: "src", cachePolicy: cachePolicies.TASK_SOURCE }, () => "a");
    const sourceB = task({ name: "src", cachePolicy: cachePolicies.TASK_SOURCE }, () => "b");
    const f = flow({ name: "source-flow" }, async () => [await sourceA(), await sourceB()]);
    assert.deepEqual(await f(), ["a", "b"]);
    let runs = 0;
    const byParams = task({ name: "by-params", cachePolicy: cachePolicies.FLOW_PARAMETERS }, () => ++runs);
    const g = flow({ name: "params-flow" }, async (_day: string) => byParams());
    assert.deepEqual([await g("mon"), await g("mon"), await g("tue")], [1, 1, 2]);
  });

  test("cacheKeyFn, cacheExpiration and refreshCache", async (t) => {
    let runs = 0;
    const keyed = task(
      { name: "keyed", cacheKeyFn: (_ctx, args) => `k-${String(args[0]).toLowerCase()}` },
      (_s: string) => ++runs,
    );
    const noCache = task({ name: "no-cache", cacheKeyFn: () => null }, () => ++runs);
    const f = flow({ name: "key-fn" }, async () => [
      await keyed("A"),
      await keyed("a"),
      await noCache(),
      await noCache(),
    ]);
    assert.deepEqual(await f(), [1, 1, 2, 3]);
    // Expiry is judged by the clock (Date.now): a fake one, so a slow machine cannot expire an entry early.
    t.mock.timers.enable({ apis: ["Date"], now: Date.now() });
    let expiring = 0;
    const short = task({ name: "short", cachePolicy: cachePolicies.INPUTS, cacheExpiration: 60 }, () => ++expiring);
    const g = flow({ name: "expiring" }, async () => short());
    assert.equal(await g(), 1);
    t.mock.timers.tick(59_000);
    assert.equal(await g(), 1);
    t.mock.timers.tick(2_000);
    assert.equal(await g(), 2);
    const refresh = short.withOptions({ refreshCache: true });
    assert.equal(await flow({ name: "refresh" }, async () => refresh())(), 3);
    assert.equal(await g(), 3, "the refreshed value is cached");
  });

  test("two tasks whose cacheKeyFn returns one key keep their own entries; the message shows the key as returned", async () => {
    const sameKey = { cacheKeyFn: (_ctx: unknown, args: unknown[]) => `k-${String(args[0])}` };
    const upper = task({ name: "upper", ...sameKey }, (s: string) => s.toUpperCase());
    const lower = task({ name: "lower", ...sameKey }, (s: string) => s.toLowerCase());
    const f = flow({ name: "shared-key" }, async () => [
      await upper("MiXeD"),
      await lower("MiXeD"),
      await lower("MiXeD"),
    ]);
    assert.deepEqual(await f(), ["MIXED", "mixed", "mixed"]);
    const [, own, hit] = await lastTaskStates("shared-key");
    assert.equal(own.name, "Completed");
    assert.equal(hit.name, "Cached");
    assert.match(hit.message ?? "", /^Cache hit on key k-MiXeD from task run /);
    assert.equal(hit.details?.cacheKey, "k-MiXeD");
  });

  test("a cached task returning an unpersistable value fails with an error naming the task", async () => {
    class Handle {}
    const t = task({ name: "opens-handle", cachePolicy: cachePolicies.INPUTS }, () => ({ handle: new Handle() }));
    const state = await runFlow(
      flow({ name: "unpersistable" }, async () => t()),
      [],
      { returnState: true },
    );
    assert.equal(state.name, "Failed");
    assert.match(
      state.message ?? "",
      /Task 'opens-handle' \(run 'opens-handle-0'\) returned a value that cannot be persisted: result\.handle is an instance of Handle/,
    );
    const explicit = task({ name: "explicit", persistResult: true }, () => () => 1);
    const s2 = await runFlow(
      flow({ name: "unpersistable-2" }, async () => explicit()),
      [],
      { returnState: true },
    );
    assert.match(s2.message ?? "", /Task 'explicit'.*result is a function/);
    const relaxed = task({ name: "relaxed" }, () => new Handle());
    const s3 = await runFlow(
      flow({ name: "unpersistable-3" }, async () => relaxed()),
      [],
      { returnState: true },
    );
    assert.equal(s3.name, "Completed", "without caching or persistResult: true, persistence is best effort");
  });

  test("a flow with persistResult: true returning an unpersistable value fails once, without retrying", async () => {
    let calls = 0;
    const f = flow({ name: "flow-unpersistable", persistResult: true, retries: 2, retryDelaySeconds: 0 }, async () => {
      calls++;
      return Symbol("handle");
    });
    const state = await runFlow(f, [], { returnState: true });
    assert.equal(state.name, "Failed");
    assert.match(state.message ?? "", /Flow 'flow-unpersistable'.*result is a symbol/);
    assert.equal(calls, 1);
  });

  test("results are stored with the task run", async () => {
    const t = task({ name: "stored" }, () => new Map([["k", new Date(5)]]));
    await flow({ name: "stored-flow" }, async () => t())();
    const [run] = await harness.current.flowRuns("stored-flow");
    const [taskRun] = await harness.current.taskRuns(run.id);
    assert.equal(taskRun.result, '{"$skein":"Map","v":[["k",{"$skein":"Date","v":"1970-01-01T00:00:00.005Z"}]]}');
    assert.ok(run.result);
  });
});
