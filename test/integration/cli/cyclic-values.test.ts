// `skein run` of flows that pass or return objects containing themselves: the run ends with a clear word, never a
// stack overflow with the engine's source dumped to stderr.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { runCli, tempHome } from "../engine/helpers.ts";

const FIXTURE = "test/fixtures/engine/cyclic.ts";

describe("skein run with cyclic values", () => {
  const home = tempHome();

  test("a cyclic task argument runs the task", async () => {
    const result = await runCli(["run", `${FIXTURE}:cyclicArgument`], home);
    assert.equal(result.code, 0, result.stderr);
    assert.match(
      result.stdout,
      /Task run 'inspect-\{"name":"node","self":"\[Circular\]"\}' - Finished in state Completed/,
    );
    assert.match(result.stdout, /Result: "node"\n/);
  });

  test("a cyclic argument to a cached task fails naming the task, the argument and the cycle", async () => {
    const result = await runCli(["run", `${FIXTURE}:cachedCyclicArgument`], home);
    assert.equal(result.code, 1);
    assert.match(
      result.stderr,
      /Task 'cached-inspect-node' cannot compute its cache key: argument node\.self is a reference back to argument node: the value contains a cycle/,
    );
    assert.doesNotMatch(result.stderr, /Maximum call stack/);
  });

  test("a cyclic flow result completes the run and is shown", async () => {
    const result = await runCli(["run", `${FIXTURE}:cyclicResult`], home);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /Result: <ref \*1> \{ name: 'node', self: \[Circular \*1\] \}\n/);
    assert.equal(result.stderr, "");
  });
});
