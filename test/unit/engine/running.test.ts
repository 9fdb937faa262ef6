// Running flows and tasks: direct calls, futures, map, allowFailure, waitFor, subflows, t.fn, withOptions, runFlow.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  flow,
  task,
  runFlow,
  submit,
  map,
  wait,
  asCompleted,
  allowFailure,
  unmapped,
  getRunContext,
  TaskOutsideFlowError,
  UpstreamNotReadyError,
  tags,
  type TaskFuture,
} from "../../../engine/index.ts";
import { settleWithClock, useHarness, stateNames } from "./helpers.ts";

const harness = useHarness();

const add = task({ name: "add" }, (a: number, b: number) => a + b);
const addAsync = task({ name: "add-async" }, async (a: number, b: number) => a + b);
const boom = task({ name: "boom" }, () => {
  throw new Error("boom");
});
const echo = task({ name: "echo" }, (value: unknown) => value);

describe("direct calls", () => {
  test("sync and async tasks return their values; every run is recorded Completed", async () => {
    const f = flow({ name: "direct" }, async () => (await add(1, 2)) + (await addAsync(3, 4)));
    assert.equal(await f(), 10);
    const [run] = await harness.current.flowRuns("direct");
    assert.equal(run.state.name, "Completed");
    assert.deepEqual(stateNames(await harness.current.taskRuns(run.id)), {
      "add-0": "Completed",
      "add-async-0": "Completed",
    });
    const states = await harness.current.states((await harness.current.taskRuns(run.id))[0].id);
    assert.deepEqual(
      states.map((s) => s.name),
      ["Pending", "Running", "Completed"],
    );
    assert.deepEqual(states.map((s) => s.id).length, new Set(states.map((s) => s.id)).size);
  });

  test("a task called outside a flow names the task and the fix", () => {
    assert.throws(
      () => add(1, 2),
      (error: unknown) => error instanceof TaskOutsideFlowError && /Task 'add'.*add\.fn\(/.test(error.message),
    );
    assert.equal(add.fn(1, 2), 3);
  });

  test("an escaping task error fails the flow; a caught one does not", async () => {
    const failing = flow({ name: "escapes" }, async () => boom());
    await assert.rejects(failing(), /boom/);
    const catching = flow({ name: "catches" }, async () => {
      try {
        await boom();
      } catch {
        return "recovered";
      }
    });
    const state = await runFlow(catching, [], { returnState: true });
    assert.equal(state.name, "Completed");
    assert.equal(state.result(), "recovered");
    assert.equal(
      await runFlow(
        flow({ name: "named" }, async (a: number, b = 1) => a - b),
        { b: 5, a: 7 },
      ),
      2,
      "parameters by name",
    );
    const failed = await runFlow(failing, [], { returnState: true });
    assert.equal(failed.type, "FAILED");
    assert.throws(() => failed.result(), /boom/);
  });

  test("getRunContext() tells the flow run and task run", async () => {
    const where = task({ name: "where" }, () => getRunContext());
    const f = flow({ name: "context", flowRunName: "ctx-{x}" }, async (x: number) => ({
      inFlow: getRunContext(),
      inTask: await where(),
    }));
    const { inFlow, inTask } = await f(7);
    assert.equal(inFlow.flowRun.name, "ctx-7");
    assert.deepEqual(inFlow.flowRun.parameters, { x: 7 });
    assert.equal(inTask.taskRun?.name, "where-0");
    assert.equal(inTask.flowRun.id, inFlow.flowRun.id);
    assert.throws(() => getRunContext(), /outside a flow run/);
  });
});

describe("futures", () => {
  test("submit returns at once; result, wait and state follow the run", async () => {
    const f = flow({ name: "submit" }, async () => {
      const future = addAsync.submit(2, 3);
      const initial = future.state.name;
      const final = await future.wait();
      return {
        initial,
        final: final.name,
        value: await future.result(),
        after: future.state.name,
        id: future.taskRunId,
      };
    });
    const out = await f();
    assert.deepEqual(
      { ...out, id: typeof out.id },
      { initial: "Pending", final: "Completed", value: 5, after: "Completed", id: "string" },
    );
  });

  test("map zips iterables, passes unmapped() whole, refuses mismatched lengths", async () => {
    const f = flow({ name: "map" }, async () => {
      const sums = await Promise.all(add.map([1, 2, 3], [10, 20, 30]).map((fut) => fut.result()));
      const withStatic = await Promise.all(add.map([1, 2], unmapped(100)).map((fut) => fut.result()));
      const listWhole = await Promise.all(echo.map([1, 2]).map((fut) => fut.result()));
      return { sums, withStatic, listWhole };
    });
    assert.deepEqual(await f(), { sums: [11, 22, 33], withStatic: [101, 102], listWhole: [1, 2] });
    const bad = flow({ name: "map-mismatch" }, async () => add.map([1, 2, 3], [1, 2]));
    await assert.rejects(bad(), /add\.map\(\) got iterables of different lengths: argument 0 has 3, argument 1 has 2/);
  });

  test("free submit() and map() work on task callables", async () => {
    const f = flow({ name: "free-fns" }, async () => {
      const one = await submit(add, 1, 1).result();
      const many = await Promise.all(map(add, [1, 2], unmapped(1)).map((fut) => fut.result()));
      return [one, ...many];
    });
    assert.deepEqual(await f(), [2, 2, 3]);
  });

  test("wait() sorts done from not done; asCompleted yields in finishing order", async (t) => {
    // Fake timers: the tasks finish, and wait() gives up, in the order of their times, however slow the machine.
    t.mock.timers.enable({ apis: ["setTimeout"] });
    const sleepy = task(
      { name: "sleepy" },
      (ms: number) => new Promise<number>((resolve) => setTimeout(() => resolve(ms), ms)),
    );
    const direct = flow({ name: "waiting-2" }, async () => {
      const futures = sleepy.map([60, 5, 30]);
      const order: number[] = [];
      for await (const future of asCompleted(futures)) order.push(await future.result());
      const { done, notDone } = await wait([sleepy.submit(1), sleepy.submit(300)], { timeoutSeconds: 0.1 });
      return { order, done: done.length, notDone: notDone.length };
    });
    assert.deepEqual(await settleWithClock(t, direct(), 1), { order: [5, 30, 60], done: 1, notDone: 1 });
  });

  test("a task whose upstream failed ends NotReady; allowFailure hands it the error instead", async () => {
    let downstream!: TaskFuture;
    let tolerant!: TaskFuture;
    const f = flow({ name: "upstream" }, async () => {
      const failed = boom.submit();
      downstream = echo.submit(failed);
      tolerant = echo.submit(allowFailure(failed));
      await downstream.wait();
      return tolerant.result();
    });
    const result = await f();
    assert.ok(result instanceof Error && result.message === "boom");
    assert.equal(downstream.state.name, "NotReady");
    await assert.rejects(downstream.result(), UpstreamNotReadyError);
    const [run] = await harness.current.flowRuns("upstream");
    assert.equal(run.state.name, "Completed");
    const echoRuns = (await harness.current.taskRuns(run.id)).filter((t) => t.name.startsWith("echo"));
    assert.equal(echoRuns[0].upstream.length, 1);
  });

  test("waitFor orders runs without passing data", async () => {
    const order: string[] = [];
    const step = task({ name: "step" }, async (label: string, ms: number) => {
      await new Promise((resolve) => setTimeout(resolve, ms));
      order.push(label);
    });
    const f = flow({ name: "wait-for" }, async () => {
      const first = step.submit("first", 40);
      await step
        .withOptions({ waitFor: [first] })
        .submit("second", 0)
        .wait();
    });
    await f();
    assert.deepEqual(order, ["first", "second"]);
  });
});

describe("flows in flows and copies", () => {
  test("a flow called in a flow is a subflow run with its own id, shown as a task run of the parent", async () => {
    const child = flow({ name: "child" }, async (n: number) => add(n, 1));
    const parent = flow({ name: "parent" }, async () => (await child(1)) + (await child(2)));
    assert.equal(await parent(), 5);
    const [parentRun] = await harness.current.flowRuns("parent");
    const children = await harness.current.flowRuns("child");
    assert.equal(children.length, 2);
    assert.ok(
      children.every(
        (c) => c.parentFlowRunId === parentRun.id && c.id !== parentRun.id && c.state.name === "Completed",
      ),
    );
    assert.deepEqual(stateNames(await harness.current.taskRuns(parentRun.id)), {
      "child-0": "Completed",
      "child-1": "Completed",
    });
  });

  test("withOptions copies a task with new options; the original keeps its own", async () => {
    const renamed = add.withOptions({ name: "plus", tags: ["math"] });
    const f = flow({ name: "with-options" }, async () => [await renamed(1, 1), await add(1, 1)]);
    await f();
    const [run] = await harness.current.flowRuns("with-options");
    const runs = await harness.current.taskRuns(run.id);
    assert.deepEqual(
      runs.map((r) => [r.name, r.tags]),
      [
        ["plus-0", ["math"]],
        ["add-0", []],
      ],
    );
  });

  test("tags(...) adds tags to every task run started inside it", async () => {
    const f = flow({ name: "tags-scope" }, async () => {
      await tags(["nightly", "eu"], () => add.withOptions({ tags: ["math"] })(1, 2));
      await add(1, 1);
    });
    await f();
    const [run] = await harness.current.flowRuns("tags-scope");
    assert.deepEqual(
      (await harness.current.taskRuns(run.id)).map((t) => t.tags),
      [["math", "nightly", "eu"], []],
    );
  });

  test("nested task calls run as task runs of the same flow run", async () => {
    const outer = task({ name: "outer" }, async () => (await add(1, 1)) * 10);
    const f = flow({ name: "nested", taskConcurrency: 1 }, async () => outer());
    assert.equal(await f(), 20);
  });
});
