// FlowRunner against real child processes: a stand-in CLI script that echoes its arguments and exits.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { FlowRunner, cliArguments } from "../../../extension/flow-runner.ts";

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
    output: { append: (text) => sink.push(text) },
  });
}

test("the CLI gets FILE:EXPORT and parameters as JSON", () => {
  assert.deepEqual(cliArguments({ file: "/w/a.ts", exportPath: "P.nightly", cwd: "/w" }), ["run", "/w/a.ts:P.nightly"]);
  assert.deepEqual(cliArguments({ file: "/w/a.ts", exportPath: "f", cwd: "/w", parameters: { n: 1 } }), [
    "run",
    "/w/a.ts:f",
    "--params",
    '{"n":1}',
  ]);
});

test("output streams to the sink and the outcome carries the exit code", async () => {
  const sink: string[] = [];
  const cli = fakeCli(`console.log("args", JSON.stringify(process.argv.slice(2))); console.error("to stderr"); process.exit(3);`);
  const outcome = await runnerFor(cli, sink).run({ file: "/w/a.ts", exportPath: "f", cwd: os.tmpdir() }).done;
  assert.equal(outcome.exitCode, 3);
  assert.match(outcome.output, /args \["run","\/w\/a\.ts:f"\]/);
  assert.match(outcome.output, /to stderr/);
  assert.equal(sink.join(""), outcome.output);
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
    output: { append: () => {} },
  });
  const outcome = await runner.run({ file: "/w/a.ts", exportPath: "f", cwd: os.tmpdir() }).done;
  assert.equal(outcome.exitCode, null);
  assert.match(outcome.output, /Could not start the run: spawn \/nonexistent\/node ENOENT/);
});
