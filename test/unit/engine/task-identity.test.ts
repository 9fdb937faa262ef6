// Where a task is defined names it and keys it: unnamed wrappers take the variable or property they are assigned
// to, decorated methods their method name, and the task key holds the file, line and column of the definition.
import assert from "node:assert/strict";
import fs from "node:fs";
import { describe, test } from "node:test";
import { cachePolicies, flow, runFlow, task } from "../../../engine/index.ts";
import { taskDefinition } from "../../../engine/task.ts";
import { flowDefinition } from "../../../engine/flow.ts";
import { parseTaskKey } from "../../../protocol/task-keys.ts";
import { useHarness } from "./helpers.ts";

useHarness();

const FILE = "test/unit/engine/task-identity.test.ts";
const SOURCE = fs.readFileSync(import.meta.filename, "utf8").split("\n");
/** The 1-based line of this file that starts with `text`, so the test does not depend on how it is formatted. */
const lineOf = (text: string) => SOURCE.findIndex((line) => line.startsWith(text)) + 1;
const keyOf = (t: unknown) => taskDefinition(t)!.key;
const INPUTS = { cachePolicy: cachePolicies.INPUTS };

const double = task(async (x: number) => x * 2);
// biome-ignore format: an assignment whose call starts the next line is named after the variable too
const spread =
  task(async (x: number) => x);
const inObject = { square: task(async (x: number) => x * x) };
const pair = [task(INPUTS, async (x: number) => x + 1), task(INPUTS, async (x: number) => x + 2)];

class Pipelines {
  @task static async load(x: number) {
    return x;
  }
}

describe("task identity", () => {
  test("an unnamed task is named after the variable or property it is assigned to", () => {
    assert.equal(double.name, "double");
    assert.equal(spread.name, "spread");
    assert.equal(inObject.square.name, "square");
    assert.equal(Pipelines.load.name, "load");
    assert.equal(flowDefinition(flow(async () => 1))!.name, "flow", "nothing assigned: the generic name");
    const namedFlow = flow(async () => 1);
    assert.equal(flowDefinition(namedFlow)!.name, "namedFlow");
  });

  test("the task key is the name and the file, line and column of the definition", () => {
    const column = "const double = ".length + 1;
    assert.deepEqual(parseTaskKey(keyOf(double)), {
      name: "double",
      site: { file: FILE, line: lineOf("const double"), column },
    });
    assert.equal(parseTaskKey(keyOf(spread)).site?.line, lineOf("  task(async (x: number) => x);"));
    assert.equal(parseTaskKey(keyOf(Pipelines.load)).site?.line, lineOf("  @task static async load"));
  });

  test("copies keep the key unless renamed", () => {
    assert.equal(keyOf(double.withOptions({ retries: 2 })), keyOf(double));
    assert.equal(parseTaskKey(keyOf(double.withOptions({ name: "twice" }))).name, "twice");
  });

  test("two unnamed tasks on one line have their own keys and their own cached results", async () => {
    const [first, second] = pair;
    assert.notEqual(keyOf(first), keyOf(second));
    const both = flow(async (x: number) => [await first(x), await second(x)]);
    assert.deepEqual(await runFlow(both, [1]), [2, 3]);
    assert.deepEqual(await runFlow(both, [1]), [2, 3]);
  });
});
