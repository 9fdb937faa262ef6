// Output written to a pipe is complete, whatever its size: the reader here waits before it reads (as `| cat` behind
// a busy terminal does), so the CLI must not exit while stdout still holds bytes the pipe has not taken.
import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, test } from "node:test";
import type { RunEvent } from "../../../protocol/run-events.ts";
import { type CliResult, startCli, tempHome } from "../engine/helpers.ts";

const CHATTY = "test/fixtures/engine/chatty.ts:chatty";
const READ_DELAY_MS = 1500;

/** Runs the CLI with its stdout and stderr piped, reading nothing until READ_DELAY_MS have passed. */
async function runWithSlowReader(args: string[], home: string): Promise<CliResult> {
  const child = startCli(args, home);
  child.stdout!.pause();
  child.stderr!.pause();
  await sleep(READ_DELAY_MS);
  child.stdout!.resume();
  child.stderr!.resume();
  return child.done;
}

describe("output to a pipe whose reader waits", () => {
  const home = tempHome();
  const padding = "p".repeat(100_000);
  let flowRunId: string;

  test("run --output jsonl ends with the flow run's final state and result", async () => {
    const result = await runWithSlowReader(
      ["run", CHATTY, "--output", "jsonl", "--params", JSON.stringify({ padding })],
      home,
    );
    assert.equal(result.code, 0, result.stderr);
    const events = result.stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as RunEvent);
    assert.equal(events.filter((e) => e.kind === "log").length, 3000);
    const final = events.at(-1)!;
    assert.ok(final.kind === "state" && final.runKind === "flow" && final.state.name === "Completed");
    assert.equal(JSON.parse(final.result!), "the end (100000 characters of padding)");
    flowRunId = final.flowRunId;
  });

  test("plain run output ends with the result", async () => {
    const result = await runWithSlowReader(["run", CHATTY], tempHome());
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /line 2999 x+\n/);
    assert.match(result.stdout, /Result: "the end \(0 characters of padding\)"\n$/);
  });

  test("flow-run ls --json past 64 KB is whole JSON", async () => {
    const result = await runWithSlowReader(["flow-run", "ls", "--json"], home);
    assert.equal(result.code, 0, result.stderr);
    assert.ok(result.stdout.length > 100_000, `only ${result.stdout.length} characters`);
    const [run] = JSON.parse(result.stdout) as { id: string; parameters: { padding: string } }[];
    assert.equal(run.id, flowRunId);
    assert.equal(run.parameters.padding, padding);
  });

  test("flow-run logs prints every line", async () => {
    const result = await runWithSlowReader(["flow-run", "logs", flowRunId], home);
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stdout.trim().split("\n");
    assert.equal(lines.filter((line) => / \| INFO {5}\| line \d+ /.test(line)).length, 3000);
    assert.match(lines.at(-1)!, /line 2999 /);
  });
});
