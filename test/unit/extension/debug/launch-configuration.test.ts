import { test } from "node:test";
import assert from "node:assert/strict";
import { checkSkeinLaunch, nodeLaunchConfiguration } from "../../../../extension/debug/launch-configuration.ts";

test("a skein launch configuration resolves its flow against the workspace folder, with parameters, env and args", () => {
  assert.deepEqual(
    checkSkeinLaunch(
      { type: "skein", flow: "flows/etl.ts:Pipelines.nightly", parameters: { n: 1 }, env: { A: "b" }, args: ["-x"] },
      "/ws",
    ),
    { file: "/ws/flows/etl.ts", exportPath: "Pipelines.nightly", parameters: { n: 1 }, env: { A: "b" }, args: ["-x"] },
  );
  assert.equal(checkSkeinLaunch({ flow: "/abs/etl.ts:etl" }, "/ws").file, "/abs/etl.ts");
});

test("a wrong field is named in the error", () => {
  assert.throws(() => checkSkeinLaunch({ flow: "etl.ts" }, "/ws"), /"flow" must be "path\/to\/file.ts:exportName"/);
  assert.throws(() => checkSkeinLaunch({ flow: "a.ts:f", parameters: [1] }, "/ws"), /"parameters" must be an object/);
  assert.throws(() => checkSkeinLaunch({ flow: "a.ts:f", env: { A: 1 } }, "/ws"), /"env" must be an object of strings/);
  assert.throws(() => checkSkeinLaunch({ flow: "a.ts:f", args: "-x" }, "/ws"), /"args" must be a list of strings/);
});

test("the node launch runs the CLI with the runtime's env plus the run's, and leaves stopping to the extension", () => {
  const config = nodeLaunchConfiguration({
    name: "Debug etl",
    runtime: { command: "/electron", env: { ELECTRON_RUN_AS_NODE: "1" }, version: "24.0.0" },
    cliPath: "/ext/dist/engine/cli.mjs",
    cliArgs: ["run", "/ws/etl.ts:etl"],
    cwd: "/ws",
    env: { SKEIN_EVENTS_SOCKET: "/tmp/ev.sock" },
  });
  assert.equal(config.type, "node");
  assert.equal(config.runtimeExecutable, "/electron");
  assert.equal(config.program, "/ext/dist/engine/cli.mjs");
  assert.deepEqual(config.args, ["run", "/ws/etl.ts:etl"]);
  assert.deepEqual(config.env, { ELECTRON_RUN_AS_NODE: "1", SKEIN_EVENTS_SOCKET: "/tmp/ev.sock" });
  assert.equal(config.killBehavior, "none");
  assert.deepEqual(config.skipFiles, ["<node_internals>/**", "/ext/dist/engine/**"]);
});
