// On a Node.js older than 22.13 (no node:sqlite) the built `skein` bin and the `skein` module say which Node they
// need and which they found, and exit 1, instead of Node's bare ERR_UNKNOWN_BUILTIN_MODULE. Runs with the
// machine's own Node (PATH), which on a developer machine is often older than the pinned one npm scripts use.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import path from "node:path";
import { test } from "node:test";
import { ROOT, runCli, tempHome } from "../engine/helpers.ts";

const MESSAGE = /^Skein needs Node\.js 22\.13 or later \(for node:sqlite\); this is Node\.js (\S+) \((.+)\)\.\n$/;

/** A Node.js on PATH older than 22.13, or undefined. */
function olderNode(): string | undefined {
  const candidates = execFileSync("sh", ["-c", "which -a node || true"], { encoding: "utf8" }).split("\n");
  return candidates.filter(Boolean).find((node) => {
    const [major, minor] = execFileSync(node, ["-p", "process.versions.node"], { encoding: "utf8" })
      .trim()
      .split(".")
      .map(Number);
    return major < 22 || (major === 22 && minor < 13);
  });
}

const node = olderNode();
const skip = node ? false : "no Node.js older than 22.13 on PATH";

test("the skein bin on an old Node says which Node it needs", { skip }, async () => {
  const result = await runCli(["--help"], tempHome(), { node });
  assert.equal(result.code, 1, result.stderr);
  assert.match(result.stderr, MESSAGE);
  assert.equal(result.stdout, "");
});

test("importing the skein module on an old Node says which Node it needs", { skip }, () => {
  const index = path.join(ROOT, "dist/engine/index.mjs");
  let failure: { status: number; stderr: string } | undefined;
  try {
    execFileSync(node!, ["--input-type=module", "-e", `await import(${JSON.stringify(index)})`], { stdio: "pipe" });
  } catch (error) {
    failure = error as { status: number; stderr: string };
  }
  assert.equal(failure?.status, 1);
  assert.match(String(failure?.stderr), MESSAGE);
});
