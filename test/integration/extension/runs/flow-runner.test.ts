// FlowRunner against real child processes: a stand-in CLI script that echoes its arguments and exits.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { FlowRunner, cliArguments } from "../../../../extension/runs/flow-runner.ts";

function fakeCli(body: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "skein-runner-"));
  const file = path.join(dir, "cli.mjs");
  fs.writeFileSync(file, body);
  return file;
}

function runnerFor(cliPath: string, sink: string[]) {
  return new FlowRunner({
    spawn,
    runtime: { command: process.execPath, env: {}, version: process.versions.node },
    cliPath,
    log: { write: (level, line) => sink.push(`${level}: ${line}`) },
  });
}

test("the CLI gets FILE:EXPORT, JSON-lines output and parameters as JSON", () => {
  assert.deepEqual(cliArguments({ file: "/w/a.ts", exportPath: "P.nightly", cwd: "/w" }), [
    "run",
    "/w/a.ts:P.nightly",
    "--output",
    "jsonl",
  ]);
  assert.deepEqual(cliArguments({ file: "/w/a.ts", exportPath: "f", cwd: "/w", parameters: { n: 1 } }), [
    "run",
    "/w/a.ts:f",
    "--output",
    "jsonl",
    "--params",
    '{"n":1}',
  ]);
});

test("output streams to the sink and the outcome carries the exit code", async () => {
  const sink: string[] = [];
  const cli = fakeCli(
    `console.log("args", JSON.stringify(process.argv.slice(2))); console.error("to stderr"); process.exit(3);`,
  );
  const outcome = await runnerFor(cli, sink).run({ file: "/w/a.ts", exportPath: "f", cwd: os.tmpdir() }).done;
  assert.equal(outcome.exitCode, 3);
  assert.match(outcome.output, /args \["run","\/w\/a\.ts:f","--output","jsonl"\]/);
  assert.match(outcome.output, /to stderr/);
  // The log gets each line at its level: what the run printed as info, its stderr as errors.
  assert.ok(sink.includes('info: args ["run","/w/a.ts:f","--output","jsonl"]'), sink.join("\n"));
  assert.ok(sink.includes("error: to stderr"), sink.join("\n"));
});

test("run events become readable lines, reach the listener, and the root flow's result is shown", async () => {
  const at = "2026-11-21T09:00:00.123Z";
  const state = (type: string, name: string) => ({ type, name, timestamp: at });
  const events = [
    {
      kind: "flow-run-created",
      id: "e1",
      timestamp: at,
      flowRunId: "f1",
      name: "brave-fox",
      flowName: "etl",
      parameters: {},
      tags: [],
      pid: 1,
      state: state("PENDING", "Pending"),
    },
    {
      kind: "flow-run-created",
      id: "e2",
      timestamp: at,
      flowRunId: "f2",
      parentFlowRunId: "f1",
      name: "sub-run",
      flowName: "sub",
      parameters: {},
      tags: [],
      pid: 1,
      state: state("PENDING", "Pending"),
    },
    {
      kind: "state",
      id: "e3",
      timestamp: at,
      flowRunId: "f2",
      runKind: "flow",
      runId: "f2",
      state: state("COMPLETED", "Completed"),
      result: '"from the subflow"',
    },
    {
      kind: "state",
      id: "e4",
      timestamp: at,
      flowRunId: "f1",
      runKind: "flow",
      runId: "f1",
      state: state("COMPLETED", "Completed"),
      result: "42",
    },
  ];
  const cli = fakeCli(
    `for (const e of ${JSON.stringify(events)}) console.log(JSON.stringify(e)); console.log("a plain print");`,
  );
  const received: string[] = [];
  const outcome = await runnerFor(cli, []).run({ file: "/w/a.ts", exportPath: "f", cwd: os.tmpdir() }, (batch) =>
    received.push(...batch.map((e) => e.id)),
  ).done;
  assert.deepEqual(received, ["e1", "e2", "e3", "e4"]);
  assert.deepEqual(
    outcome.events.map((e) => e.kind),
    ["flow-run-created", "flow-run-created", "state", "state"],
  );
  assert.match(
    outcome.output,
    /09:00:00\.123 \| INFO {5}\| Flow run 'brave-fox' - Beginning flow run 'brave-fox' for flow 'etl'/,
  );
  assert.match(outcome.output, /Flow run 'sub-run' - Finished in state Completed\(\)/);
  assert.match(outcome.output, /^Result: 42$/m);
  assert.doesNotMatch(outcome.output, /Result: "from the subflow"/);
  assert.match(outcome.output, /^a plain print$/m);
});

test("cancel interrupts the run with SIGINT, which the engine turns into Cancelled", async () => {
  const cli = fakeCli(
    `process.on("SIGINT", () => { console.log("cancelled"); process.exit(130); }); console.log("ready"); setInterval(() => {}, 1000);`,
  );
  const sink: string[] = [];
  const handle = runnerFor(cli, sink).run({ file: "/w/a.ts", exportPath: "f", cwd: os.tmpdir() });
  await new Promise<void>((resolve) => handle.child.stdout!.once("data", () => resolve()));
  handle.cancel();
  const outcome = await handle.done;
  assert.equal(outcome.exitCode, 130);
  assert.match(outcome.output, /cancelled/);
});

test("a runtime that cannot start is reported, not thrown", async () => {
  const runner = new FlowRunner({
    spawn,
    runtime: { command: "/nonexistent/node", env: {}, version: "24.0.0" },
    cliPath: "/nonexistent/cli.mjs",
    log: { write: () => {} },
  });
  const outcome = await runner.run({ file: "/w/a.ts", exportPath: "f", cwd: os.tmpdir() }).done;
  assert.equal(outcome.exitCode, null);
  assert.match(outcome.output, /Could not start the run: spawn \/nonexistent\/node ENOENT/);
});
