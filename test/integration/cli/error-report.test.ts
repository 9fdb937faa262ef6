// A CLI error is one line (what, where, what to do); its stack trace shows only with `--verbose` or SKEIN_VERBOSE=1.
import assert from "node:assert/strict";
import { test } from "node:test";
import { runCli, tempHome } from "../engine/helpers.ts";

const STACK_FRAME = /^\s+at /m;

test("a command's error is its message alone, the stack only when asked for", async () => {
  const home = tempHome();
  for (const args of [
    ["flow-run", "inspect", "nope"],
    ["run", "examples/hello.ts:nothere"],
  ]) {
    const plain = await runCli(args, home);
    assert.equal(plain.code, 1);
    assert.equal(plain.stderr.trim().split("\n").length, 1, plain.stderr);
    assert.doesNotMatch(plain.stderr, STACK_FRAME);
    for (const verbose of [await runCli([...args, "--verbose"], home), await runCli(["--verbose", ...args], home)]) {
      assert.equal(verbose.code, 1);
      assert.match(verbose.stderr, STACK_FRAME);
    }
    assert.match((await runCli(args, home, { env: { SKEIN_VERBOSE: "1" } })).stderr, STACK_FRAME);
  }
});

test("a failed flow shows its error and .ts location; its stack only with --verbose", async () => {
  const home = tempHome();
  const plain = await runCli(["run", "test/fixtures/engine/failing.ts:failing"], home);
  assert.equal(plain.code, 1);
  const summary = plain.stderr.slice(plain.stderr.indexOf("Flow run finished"));
  assert.equal(
    summary,
    "Flow run finished in state Failed('boom: bad input')\nError: boom: bad input\n" +
      "Error location: test/fixtures/engine/failing.ts:4:9\n",
  );
  const verbose = await runCli(["run", "test/fixtures/engine/failing.ts:failing", "--verbose"], home);
  assert.match(verbose.stderr.slice(verbose.stderr.indexOf("Flow run finished")), STACK_FRAME);
});
