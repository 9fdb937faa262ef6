import { test } from "node:test";
import assert from "node:assert/strict";
import { isSupportedNodeVersion, resolveNodeRuntime } from "../../../../extension/runs/node-runtime.ts";

test("Node versions from 22.13 on can run flows (node:sqlite)", () => {
  assert.equal(isSupportedNodeVersion("22.13.0"), true);
  assert.equal(isSupportedNodeVersion("v24.1.0"), true);
  assert.equal(isSupportedNodeVersion("22.12.9"), false);
  assert.equal(isSupportedNodeVersion("20.20.2"), false);
});

test("without a setting, flows run on the extension host's own Node, started as plain Node", async () => {
  const runtime = await resolveNodeRuntime("");
  assert.equal(runtime.command, process.execPath);
  assert.equal(runtime.env.ELECTRON_RUN_AS_NODE, "1");
});

test("a skein.nodePath that cannot run is reported with the setting's name", async () => {
  await assert.rejects(resolveNodeRuntime("/nonexistent/node"), /"skein\.nodePath" is set to \/nonexistent\/node/);
});

test("an old Node named by skein.nodePath is refused with the version it has", {
  skip: !hasSystemNode20() && "no Node 20 at /usr/bin/node",
}, async () => {
  await assert.rejects(resolveNodeRuntime("/usr/bin/node"), /needs Node\.js 22\.13 or later .* is 20\./);
});

function hasSystemNode20(): boolean {
  try {
    return require("node:child_process")
      .execFileSync("/usr/bin/node", ["-p", "process.versions.node"])
      .toString()
      .startsWith("20.");
  } catch {
    return false;
  }
}
