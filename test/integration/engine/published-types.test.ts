// The `skein` module's published declarations (tsconfig.types.json, emitted by `npm pack`) type-check in a project
// without @types/node: `types: []`, no skipLibCheck, resolved through package.json "exports" as npm installs them.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { ROOT } from "./helpers.ts";

const TSC = path.join(ROOT, "node_modules/typescript/bin/tsc");

function tsc(args: string[]): { status: number | null; output: string } {
  const result = spawnSync(process.execPath, [TSC, ...args], { cwd: ROOT, encoding: "utf8" });
  return { status: result.status, output: result.stdout + result.stderr };
}

const CONSUMER = `import { flow, task, concurrency, getRunContext, type RunState } from "skein";
import { startTestHarness } from "skein/testing";

const add = task({ name: "add" }, (a: number, b: number) => a + b);
export const sum = flow({ name: "sum" }, async (n: number = 3) => {
  await using lease = await concurrency("db");
  void lease;
  return add(n, getRunContext().flowRun.name.length);
});
export async function check(): Promise<RunState | undefined> {
  const harness = await startTestHarness();
  await harness.close();
  return undefined;
}
`;

test("the published declarations type-check without @types/node", () => {
  const project = fs.mkdtempSync(path.join(os.tmpdir(), "skein-types-"));
  const installed = path.join(project, "node_modules/skein");
  const emitted = tsc(["-p", "tsconfig.types.json", "--outDir", path.join(installed, "dist/types")]);
  assert.equal(emitted.status, 0, emitted.output);
  fs.copyFileSync(path.join(ROOT, "package.json"), path.join(installed, "package.json"));
  // What npm installs beside skein: its dependencies (typebox's types are in the declarations), no @types/node.
  const { dependencies } = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
  for (const name of Object.keys(dependencies)) {
    fs.symlinkSync(path.join(ROOT, "node_modules", name), path.join(project, "node_modules", name), "dir");
  }
  fs.writeFileSync(path.join(project, "package.json"), JSON.stringify({ type: "module" }));
  fs.writeFileSync(path.join(project, "flows.ts"), CONSUMER);
  const compilerOptions = { strict: true, module: "nodenext", target: "es2022", types: [], noEmit: true };
  fs.writeFileSync(path.join(project, "tsconfig.json"), JSON.stringify({ compilerOptions, files: ["flows.ts"] }));

  const checked = tsc(["-p", project]);
  assert.equal(checked.output, "");
  assert.equal(checked.status, 0);
  fs.rmSync(project, { recursive: true, force: true });
});
