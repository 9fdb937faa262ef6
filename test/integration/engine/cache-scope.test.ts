// A cache entry belongs to one project. Two projects with the same flow file (the same task keys, the same policy
// keys) run against one SKEIN_HOME: each task run computes its own result instead of the other project's, whether
// the projects have a package.json or are only the folder `skein run` runs in.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { runCli, tempHome } from "./helpers.ts";

// The label is the last line, so the task sits at the same line and column in both projects.
const flowFile = (label: string) => `import { cachePolicies, flow, task } from "skein";
const fetch = task({ name: "fetch", cachePolicy: cachePolicies.INPUTS }, (x: number) => \`\${LABEL}:\${x}\`);
export const main = flow({ name: "main" }, async () => fetch(10));
const LABEL = ${JSON.stringify(label)};
`;

function project(label: string, withPackageJson: boolean): string {
  const dir = tempHome(`skein-project-${label}-`);
  if (withPackageJson) fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ type: "module" }));
  fs.writeFileSync(path.join(dir, "flows.ts"), flowFile(label));
  return dir;
}

/** Runs `flows.ts:main` of the project from its own folder; its result and its task run's final state line. */
async function run(dir: string, home: string): Promise<{ result: unknown; stdout: string }> {
  const result = await runCli(["run", "flows.ts:main", "--output", "jsonl"], home, { cwd: dir });
  assert.equal(result.code, 0, result.stderr);
  const final = JSON.parse(result.stdout.trim().split("\n").at(-1)!) as { result: string };
  return { result: JSON.parse(final.result), stdout: result.stdout };
}

describe("cache scope", () => {
  for (const withPackageJson of [true, false]) {
    test(`two projects ${withPackageJson ? "with a package.json each" : "without a package.json"} never share cache entries`, async () => {
      const home = tempHome();
      const a = project("A", withPackageJson);
      const b = project("B", withPackageJson);
      assert.equal((await run(a, home)).result, "A:10");
      const fromB = await run(b, home);
      assert.equal(fromB.result, "B:10", "project B computes its own result");
      assert.doesNotMatch(fromB.stdout, /Cache hit/);
      const again = await run(a, home);
      assert.equal(again.result, "A:10");
      assert.match(again.stdout, /Cache hit/, "project A still hits its own entry");
    });
  }
});
