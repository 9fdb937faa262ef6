// A task run's recorded inputs (engine/task-inputs.ts): by parameter name and back to the same call, what is not
// stored and why, edited inputs replacing recorded ones, and reuse of stored results found by task identity when
// the code has moved (engine/reuse.ts).
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { flow, runFlow, task } from "../../../engine/index.ts";
import { registerSecretValue } from "../../../engine/masking.ts";
import { ByTaskIdentity } from "../../../engine/reuse.ts";
import { deserialize } from "../../../engine/results/serialize.ts";
import {
  argumentsByName,
  argumentsFromNames,
  MAX_RECORDED_INPUTS_CHARS,
  recordInputs,
  withEditedInputs,
} from "../../../engine/task-inputs.ts";
import { useHarness } from "./helpers.ts";

const harness = useHarness();

function load(rows: number[], since = new Date(0), ...tags: string[]) {
  return { rows, since, tags };
}

describe("recorded inputs", () => {
  test("every declared parameter by name (a left-out one as undefined, a rest one as its array), and back", () => {
    const byName = argumentsByName(load, [[1, 2]]);
    assert.deepEqual(byName, { rows: [1, 2], since: undefined, tags: [] });
    assert.deepEqual(load(...(argumentsFromNames(load, byName) as [number[]])), load([1, 2]), "the same call");
    const full = argumentsByName(load, [[3], new Date(5), "a", "b"]);
    assert.deepEqual(full, { rows: [3], since: new Date(5), tags: ["a", "b"] });
    assert.deepEqual(argumentsFromNames(load, full), [[3], new Date(5), "a", "b"]);
    const extra = (a: number) => a;
    assert.deepEqual(argumentsByName(extra, [1, 2]), { a: 1, arg1: 2 }, "arguments past the declared ones");
    assert.deepEqual(argumentsFromNames(extra, { a: 1, arg1: 2 }), [1, 2]);
  });

  test("serialized as results are (a Date survives); or not stored, with the reason", () => {
    const recorded = recordInputs("load", load, [[1], new Date(7)], undefined);
    assert.deepEqual(deserialize(recorded.inputs!), { rows: [1], since: new Date(7), tags: [] });
    assert.deepEqual(recordInputs("load", load, [[1]], false), {
      notStoredReason: "task 'load' sets persistInputs: false",
    });
    const unserializable = recordInputs("load", load, [[1], new (class Connection {})()], undefined);
    assert.match(unserializable.notStoredReason!, /cannot be recorded: inputs\.since is an instance of Connection/);
    const large = recordInputs("load", load, ["x".repeat(MAX_RECORDED_INPUTS_CHARS)], undefined);
    assert.match(large.notStoredReason!, /the inputs take \d+ characters as text, more than the 1000000 recorded/);
    registerSecretValue("s3cr3t-input-value");
    assert.deepEqual(recordInputs("load", load, [["s3cr3t-input-value"]], undefined), {
      notStoredReason: "the inputs hold a secret value (Secret), which is never stored",
    });
  });

  test("edited inputs replace recorded ones by name; an unknown name is an error naming the parameters", () => {
    assert.deepEqual(withEditedInputs("load", load, [[1], new Date(0)], { rows: [9] }), [[9], new Date(0)]);
    assert.throws(
      () => withEditedInputs("load", load, [[1]], { row: [9] }),
      /Task 'load' has no parameter 'row' \(parameters: rows, since, tags\)/,
    );
  });

  test("a task run records what it was called with once its upstream values are known", async () => {
    const add = task({ name: "add" }, (a: number, b: number) => a + b);
    const sum = flow({ name: "inputs-sum", persistInputs: true }, async () => {
      const first = add.submit(1, 2);
      return add(first, 10);
    });
    const state = await runFlow(sum, [], { returnState: true });
    const runs = await harness.current.taskRuns(state.runId);
    const recorded = await Promise.all(runs.map((run) => harness.current.store.getTaskRunInputs(run.id)));
    assert.deepEqual(
      recorded.map((r) => JSON.parse(r!.inputs!)),
      [
        { a: 1, b: 2 },
        { a: 3, b: 10 },
      ],
    );
  });
});

describe("reuse by task identity", () => {
  test("by key and call, else by name and file when the line moved, unless two stored tasks share them", () => {
    const found = new ByTaskIdentity<string>();
    found.set("extract@flows/etl.ts:3:24", 0, "extract result");
    found.set("load@flows/etl.ts:9:21", 0, "load at 9");
    found.set("load@flows/etl.ts:30:21", 0, "another load at 30");
    assert.equal(found.get("extract@flows/etl.ts:3:24", 0), "extract result");
    assert.equal(found.get("extract@flows/etl.ts:5:24", 0), "extract result", "lines added above it");
    assert.equal(found.get("extract@flows/etl.ts:5:24", 1), undefined, "another call");
    assert.equal(found.get("extract@flows/other.ts:3:24", 0), undefined, "another file");
    assert.equal(found.get("load@flows/etl.ts:9:21", 0), "load at 9", "an exact key still names its task");
    assert.equal(found.get("load@flows/etl.ts:12:21", 0), undefined, "two loads in the file: neither is guessed");
  });
});
