// `Result:` shows the start of a large result and where to see all of it; `--output jsonl` still carries it whole.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { RunEvent } from "../../../protocol/run-events.ts";
import { runCli, tempHome } from "../engine/helpers.ts";

const FLOW = "test/fixtures/engine/large-result.ts:largeResult";

test("a 100,000-character result prints its first 2,000 characters and how to see the rest", async () => {
  const home = tempHome();
  const text = await runCli(["run", FLOW], home);
  assert.equal(text.code, 0, text.stderr);
  const resultLine = text.stdout.split("\n").find((line) => line.startsWith("Result: "))!;
  const [flowRun] = JSON.parse((await runCli(["flow-run", "ls", "--json"], home)).stdout);
  assert.equal(
    resultLine,
    `Result: "${"y".repeat(1_999)}... (100002 characters in all: \`skein flow-run inspect ${flowRun.id} --json\` shows the whole result)`,
  );
  const inspected = JSON.parse((await runCli(["flow-run", "inspect", flowRun.id, "--json"], home)).stdout);
  assert.equal(JSON.parse(inspected.result), "y".repeat(100_000), "the hint leads to the whole result");

  const small = await runCli(["run", FLOW, "--param", "characters=3"], home);
  assert.match(small.stdout, /^Result: "yyy"$/m);

  const jsonl = await runCli(["run", FLOW, "--output", "jsonl"], home);
  const events = jsonl.stdout
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as RunEvent);
  const final = events.findLast((event) => event.kind === "state" && event.runKind === "flow");
  assert.equal(final?.kind === "state" && final.result, JSON.stringify("y".repeat(100_000)));
});
