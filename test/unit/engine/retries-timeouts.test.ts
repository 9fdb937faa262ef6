// Retries (tasks and flows), enforced timeouts, in-process cancellation and hooks.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  flow,
  task,
  runFlow,
  getRunContext,
  cancelFlowRun,
  getRunLogger,
  setConcurrencyLimit,
  deleteConcurrencyLimit,
} from "../../../engine/index.ts";
import { settleWithClock, useHarness } from "./helpers.ts";

const harness = useHarness();

async function taskStates(flowName: string, taskRunName: string): Promise<string[]> {
  const [run] = await harness.current.flowRuns(flowName);
  const taskRun = (await harness.current.taskRuns(run.id)).find((t) => t.name === taskRunName)!;
  return (await harness.current.states(taskRun.id)).map((s) => s.name);
}

describe("retries", () => {
  test("a task retries through AwaitingRetry and Retrying until it completes", async () => {
    let calls = 0;
    const flaky = task({ name: "flaky", retries: 3, retryDelaySeconds: [0.01, 0.02] }, () => {
      if (++calls < 3) throw new Error(`flake ${calls}`);
      return "ok";
    });
    await flow({ name: "task-retries" }, async () => flaky())();
    assert.equal(calls, 3);
    assert.deepEqual(await taskStates("task-retries", "flaky-0"), [
      "Pending",
      "Running",
      "AwaitingRetry",
      "Retrying",
      "AwaitingRetry",
      "Retrying",
      "Completed",
    ]);
  });

  test("retries run out: the task ends Failed with the last error", async () => {
    let calls = 0;
    const always = task({ name: "always", retries: 2, retryDelaySeconds: 0 }, () => {
      throw new Error(`fail ${++calls}`);
    });
    const state = await runFlow(
      flow({ name: "exhausted" }, async () => always()),
      [],
      { returnState: true },
    );
    assert.equal(state.name, "Failed");
    assert.equal(state.message, "fail 3");
  });

  test("retryCondition decides per error", async () => {
    let calls = 0;
    const picky = task(
      { name: "picky", retries: 5, retryCondition: (error) => !(error as Error).message.includes("fatal") },
      () => {
        calls++;
        throw new Error(calls < 2 ? "transient" : "fatal");
      },
    );
    await runFlow(
      flow({ name: "retry-condition" }, async () => picky()),
      [],
      { returnState: true },
    );
    assert.equal(calls, 2);
  });

  test("a retried flow reuses the results its earlier attempt completed", async () => {
    const calls = { extract: 0, load: 0 };
    const extract = task({ name: "extract" }, () => ++calls.extract);
    const load = task({ name: "load" }, (n: number) => {
      if (++calls.load === 1) throw new Error("db down");
      return n * 10;
    });
    const etl = flow({ name: "flow-retries", retries: 1, retryDelaySeconds: 0.01 }, async () => load(await extract()));
    assert.equal(await etl(), 10);
    assert.deepEqual(calls, { extract: 1, load: 2 });
    const [run] = await harness.current.flowRuns("flow-retries");
    const states = (await harness.current.states(run.id)).map((s) => s.name);
    assert.deepEqual(states, ["Pending", "Running", "AwaitingRetry", "Retrying", "Completed"]);
    const extracts = (await harness.current.taskRuns(run.id))
      .filter((t) => t.name === "extract-0")
      .map((t) => t.state.name);
    assert.deepEqual(extracts, ["Completed", "Cached"]);
  });
});

describe("timeouts", () => {
  test("an async task that never settles and ignores its signal ends TimedOut on time", async () => {
    let signalFired = false;
    const hang = task({ name: "hang", timeoutSeconds: 0.05 }, () => {
      getRunContext().signal.addEventListener("abort", () => (signalFired = true));
      return new Promise(() => {});
    });
    const state = await runFlow(
      flow({ name: "timeout-async" }, async () => hang()),
      [],
      { returnState: true },
    );
    assert.equal(state.name, "Failed", "the flow fails: the task's timeout escaped it");
    assert.match(state.message ?? "", /Task run 'hang-0' exceeded its timeout of 0.05s/);
    assert.ok(signalFired);
    assert.deepEqual(await taskStates("timeout-async", "hang-0"), ["Pending", "Running", "TimedOut"]);
  });

  test("a synchronous task that blocks past its deadline ends TimedOut when it returns; its result is discarded", async () => {
    const block = task({ name: "block", timeoutSeconds: 0.02 }, () => {
      const until = Date.now() + 60;
      while (Date.now() < until) {
        // busy: never yields to the event loop
      }
      return "late";
    });
    const state = await runFlow(
      flow({ name: "timeout-sync" }, async () => block()),
      [],
      { returnState: true },
    );
    assert.equal(state.type, "FAILED");
    assert.deepEqual(await taskStates("timeout-sync", "block-0"), ["Pending", "Running", "TimedOut"]);
  });

  test("retries apply to timeouts", async (t) => {
    // Fake timers: the first attempt times out when the test moves the clock, and the second, fast one has a
    // generous timeout, so a slow machine cannot time it out too.
    t.mock.timers.enable({ apis: ["setTimeout"] });
    let calls = 0;
    const slowThenFast = task(
      { name: "slow-then-fast", timeoutSeconds: 30, retries: 1, retryDelaySeconds: 0 },
      async () => {
        if (++calls === 1) await new Promise(() => {});
        return calls;
      },
    );
    assert.equal(await settleWithClock(t, flow({ name: "timeout-retry" }, async () => slowThenFast())()), 2);
    assert.deepEqual(await taskStates("timeout-retry", "slow-then-fast-0"), [
      "Pending",
      "Running",
      "AwaitingRetry",
      "Retrying",
      "Completed",
    ]);
  });

  test("a flow timeout ends the flow TimedOut and stops its task runs", async () => {
    const forever = task({ name: "forever" }, () => new Promise(() => {}));
    const f = flow({ name: "flow-timeout", timeoutSeconds: 0.05 }, async () => {
      forever.submit();
      await new Promise(() => {});
    });
    const state = await runFlow(f, [], { returnState: true });
    assert.equal(state.name, "TimedOut");
    const [run] = await harness.current.flowRuns("flow-timeout");
    assert.equal((await harness.current.taskRuns(run.id))[0].state.name, "Cancelled");
  });
});

describe("a flow's timeout reaches task runs wherever they wait", () => {
  test("a task run waiting to retry when its flow times out ends Cancelled, not Crashed", async (t) => {
    // Fake timers: the flow times out only when the test moves the clock, never before the task waits to retry.
    t.mock.timers.enable({ apis: ["setTimeout"] });
    const flaky = task({ name: "retry-later", retries: 3, retryDelaySeconds: 600 }, () => {
      throw new Error("flake");
    });
    const f = flow({ name: "timeout-during-retry", timeoutSeconds: 60 }, async () => flaky());
    const state = await settleWithClock(t, runFlow(f, [], { returnState: true }));
    assert.equal(state.name, "TimedOut");
    const states = await taskStates("timeout-during-retry", "retry-later-0");
    assert.deepEqual(states, ["Pending", "Running", "AwaitingRetry", "Cancelled"]);
  });

  test("a task run waiting for tag slots when its flow times out ends Cancelled; its onFailure hooks do not run", async (t) => {
    t.mock.timers.enable({ apis: ["setTimeout"] });
    await setConcurrencyLimit("tag:never-free", 0);
    const hooks: string[] = [];
    const starved = task(
      { name: "starved", tags: ["never-free"], onFailure: [(_t, _r, state) => void hooks.push(state.name)] },
      () => "ran",
    );
    try {
      const state = await settleWithClock(
        t,
        runFlow(
          flow({ name: "timeout-during-tag-wait", timeoutSeconds: 60 }, async () => starved()),
          [],
          {
            returnState: true,
          },
        ),
      );
      assert.equal(state.name, "TimedOut");
    } finally {
      await deleteConcurrencyLimit("tag:never-free");
    }
    assert.deepEqual(await taskStates("timeout-during-tag-wait", "starved-0"), ["Pending", "Cancelled"]);
    assert.deepEqual(hooks, []);
  });
});

describe("whose timeout it was", () => {
  test("a task without a timeout whose inner task times out ends Failed; the inner task ends TimedOut", async () => {
    const inner = task({ name: "inner", timeoutSeconds: 0.05 }, () => new Promise(() => {}));
    const outer = task({ name: "outer" }, async () => inner());
    const state = await runFlow(
      flow({ name: "nested-timeout" }, async () => outer()),
      [],
      { returnState: true },
    );
    assert.equal(state.name, "Failed");
    assert.deepEqual(await taskStates("nested-timeout", "inner-0"), ["Pending", "Running", "TimedOut"]);
    assert.deepEqual(await taskStates("nested-timeout", "outer-0"), ["Pending", "Running", "Failed"]);
  });

  for (const parentTimeout of [undefined, 30]) {
    test(`a subflow that times out leaves its same-named parent Failed, not TimedOut (parent timeout: ${parentTimeout ?? "none"})`, async () => {
      const flowName = `same-name-parent-${parentTimeout ?? "none"}`;
      const child = flow({ name: `${flowName}-child`, flowRunName: "same-name", timeoutSeconds: 0.05 }, async () => {
        await new Promise(() => {});
      });
      const parent = flow({ name: flowName, flowRunName: "same-name", timeoutSeconds: parentTimeout }, async () =>
        child(),
      );
      const state = await runFlow(parent, [], { returnState: true });
      assert.equal(state.name, "Failed");
      assert.match(state.message ?? "", /Flow run 'same-name' exceeded its timeout of 0.05s/);
      const [childRun] = await harness.current.flowRuns(`${flowName}-child`);
      assert.equal(childRun.state.name, "TimedOut");
    });
  }

  test("a parent flow that times out itself while its same-named subflow runs ends TimedOut", async () => {
    const child = flow({ name: "own-timeout-child", flowRunName: "twin" }, async () => {
      await new Promise(() => {});
    });
    const parent = flow({ name: "own-timeout-parent", flowRunName: "twin", timeoutSeconds: 0.05 }, async () => child());
    const state = await runFlow(parent, [], { returnState: true });
    assert.equal(state.name, "TimedOut");
  });
});

describe("cancellation and hooks", () => {
  test("cancelFlowRun ends the run Cancelled, fires task signals and runs onCancellation", async () => {
    const seen: string[] = [];
    const waitForever = task({ name: "wait-forever" }, () => {
      getRunContext().signal.addEventListener("abort", () => seen.push("task signal"));
      return new Promise(() => {});
    });
    const f = flow(
      {
        name: "cancel-me",
        onCancellation: [(_flow, run, state) => void seen.push(`hook ${state.name} ${run.name}`)],
        flowRunName: "to-cancel",
      },
      async () => {
        const future = waitForever.submit();
        setTimeout(() => void cancelFlowRun(getRunContext().flowRun.id), 10);
        return future.result();
      },
    );
    const state = await runFlow(f, [], { returnState: true });
    assert.equal(state.name, "Cancelled");
    assert.deepEqual(seen.sort(), ["hook Cancelled to-cancel", "task signal"]);
    const [run] = await harness.current.flowRuns("cancel-me");
    assert.equal((await harness.current.taskRuns(run.id))[0].state.name, "Cancelled");
  });

  test("onCompletion / onFailure / onRunning hooks run; a throwing hook is logged and changes nothing", async () => {
    const events: string[] = [];
    const t = task(
      {
        name: "hooked",
        onRunning: [() => void events.push("task running")],
        onCompletion: [(_t, run) => void events.push(`task done ${run.name}`)],
      },
      () => 1,
    );
    const bad = task(
      { name: "bad", onFailure: [(_t, _r, state) => void events.push(`task failed ${state.message}`)] },
      () => {
        throw new Error("nope");
      },
    );
    const f = flow(
      {
        name: "hooks",
        onCompletion: [
          () => {
            throw new Error("hook bug");
          },
          () => void events.push("flow done"),
        ],
      },
      async () => {
        await t();
        await bad.submit().wait();
        getRunLogger().info("body done");
      },
    );
    const state = await runFlow(f, [], { returnState: true });
    assert.equal(state.name, "Completed");
    assert.deepEqual(events, ["task running", "task done hooked-0", "task failed nope", "flow done"]);
    const [run] = await harness.current.flowRuns("hooks");
    const logs = await harness.current.logs(run.id);
    assert.ok(logs.some((l) => l.level === "error" && l.message.includes("hook bug")));
  });
});
