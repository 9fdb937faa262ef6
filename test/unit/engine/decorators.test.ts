// @flow / @task as TC39 decorators on static and instance methods, and the legacy (target, key, descriptor) shape.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { flow, task, submit, map } from "../../../engine/index.ts";
import { useHarness, stateNames } from "./helpers.ts";

const harness = useHarness();

class Pipelines {
  @task({ retries: 1, retryDelaySeconds: 0 })
  static async load(rows: number[]) {
    return rows.length;
  }

  @task
  static double(n: number) {
    return n * 2;
  }

  @flow({ name: "nightly" })
  static async nightly(rows: number[]) {
    const doubled = await Promise.all(map(Pipelines.double, rows).map((f) => f.result()));
    return (await Pipelines.load(doubled)) + (await submit(Pipelines.double, 1).result());
  }
}

class Greeter {
  constructor(private readonly greeting: string) {}

  @task()
  format(name: string) {
    return `${this.greeting}, ${name}`;
  }

  @flow()
  async greet(name: string) {
    return this.format(name);
  }
}

describe("decorators", () => {
  test("TC39 decorators on static methods: names from the method, options applied, free submit/map", async () => {
    assert.equal(await Pipelines.nightly([1, 2, 3]), 5);
    const [run] = await harness.current.flowRuns("nightly");
    assert.deepEqual(stateNames(await harness.current.taskRuns(run.id)), {
      "double-0": "Completed",
      "double-1": "Completed",
      "double-2": "Completed",
      "load-0": "Completed",
      "double-3": "Completed",
    });
  });

  test("instance methods keep `this`", async () => {
    assert.equal(await new Greeter("Hi").greet("Ada"), "Hi, Ada");
    const [run] = await harness.current.flowRuns("greet");
    assert.equal((await harness.current.taskRuns(run.id))[0].name, "format-0");
  });

  test("the legacy experimentalDecorators shape (target, key, descriptor) is detected", async () => {
    const descriptor: PropertyDescriptor = { value: (n: number) => n + 1, writable: true, configurable: true };
    const decorated = (
      task({ name: "legacy-inc" }) as (t: object, k: string, d: PropertyDescriptor) => PropertyDescriptor
    )({}, "inc", descriptor);
    const flowDescriptor: PropertyDescriptor = {
      value: async () => (decorated.value as (n: number) => Promise<number>)(1),
      writable: true,
    };
    const wrapped = (flow() as (t: object, k: string, d: PropertyDescriptor) => PropertyDescriptor)(
      {},
      "legacyFlow",
      flowDescriptor,
    );
    assert.equal(await (wrapped.value as () => Promise<number>)(), 2);
    const [run] = await harness.current.flowRuns("legacyFlow");
    assert.equal((await harness.current.taskRuns(run.id))[0].name, "legacy-inc-0");
  });
});
