// Objects that contain themselves, as task arguments, flow parameters and results: the run goes on where it can
// (the cycle is kept, or recorded as "[Circular]"), and where a value must be stored or hashed the error names the
// task or flow, the argument or result, and says it contains a cycle. Never a stack overflow.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { cachePolicies, flow, runFlow, task } from "../../../engine/index.ts";
import { useHarness } from "./helpers.ts";

const harness = useHarness();

type Node = { name: string; self?: Node; value?: unknown };

function cyclic(name = "node"): Node {
  const node: Node = { name };
  node.self = node;
  return node;
}

describe("cyclic values", () => {
  test("a cyclic task argument, even with a future inside the cycle, reaches the task as a cyclic copy", async () => {
    const seven = task({ name: "seven" }, () => 7);
    const read = task({ name: "read-node" }, (node: Node) => {
      assert.equal(node.self, node);
      return `${node.name}=${node.value}`;
    });
    const f = flow({ name: "cyclic-argument" }, async () => {
      const node = cyclic();
      node.value = seven.submit();
      return read(node);
    });
    assert.equal(await f(), "node=7");
  });

  test("a run name rendered from a cyclic parameter marks the cycle", async () => {
    const named = task({ name: "named", taskRunName: "named-{node}" }, (node: Node) => node.name);
    const f = flow({ name: "cyclic-run-name" }, async () => named(cyclic()));
    assert.equal(await f(), "node");
    const [run] = await harness.current.flowRuns("cyclic-run-name");
    const [taskRun] = await harness.current.taskRuns(run.id);
    assert.equal(taskRun.name, 'named-{"name":"node","self":"[Circular]"}');
  });

  test("an INPUTS cache key of a cyclic argument fails the task run naming the task and the argument", async () => {
    const cached = task({ name: "cached-node", cachePolicy: cachePolicies.INPUTS }, (node: Node) => node.name);
    const f = flow({ name: "cyclic-cache-key" }, async () => cached(cyclic()));
    const state = await runFlow(f, [], { returnState: true });
    assert.equal(state.name, "Failed");
    assert.match(
      state.message ?? "",
      /^Task 'cached-node' cannot compute its cache key: argument node\.self is a reference back to argument node: the value contains a cycle/,
    );
  });

  test("a cyclic flow parameter is recorded with the cycle cut", async () => {
    const f = flow({ name: "cyclic-parameter" }, async (node: Node) => node.name);
    assert.equal(await f(cyclic()), "node");
    const [run] = await harness.current.flowRuns("cyclic-parameter");
    assert.deepEqual(run.parameters, { node: { name: "node", self: "[Circular]" } });
  });

  test("a cyclic flow result is returned, and refused with a clear error when it must be persisted", async () => {
    const loose = flow({ name: "cyclic-result" }, async () => cyclic());
    const result = await loose();
    assert.equal(result.self, result);
    const strict = flow({ name: "cyclic-persisted-result", persistResult: true }, async () => cyclic());
    const state = await runFlow(strict, [], { returnState: true });
    assert.equal(state.name, "Failed");
    assert.match(
      state.message ?? "",
      /^Flow 'cyclic-persisted-result' \(run '[^']+'\) returned a value that cannot be persisted: result\.self is a reference back to result: the value contains a cycle/,
    );
  });
});
