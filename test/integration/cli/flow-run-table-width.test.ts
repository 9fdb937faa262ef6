// `flow-run ls` fits its rows to the terminal (120 columns when stdout is a pipe) by cutting long names with an
// ellipsis; the ids stay whole while the names can give way, and `--json` keeps every value whole.
import assert from "node:assert/strict";
import { test } from "node:test";
import { runCli, tempHome } from "../engine/helpers.ts";

test("flow-run ls rows fit 120 columns when piped; --json is whole", async () => {
  const home = tempHome();
  assert.equal(
    (await runCli(["run", "test/fixtures/engine/long-names.ts:longNames", "--param", `label=${"x".repeat(150)}`], home))
      .code,
    1,
  );
  assert.equal((await runCli(["run", "examples/hello.ts:hello"], home)).code, 0);
  const ls = await runCli(["flow-run", "ls"], home);
  assert.equal(ls.code, 0, ls.stderr);
  const lines = ls.stdout.trimEnd().split("\n");
  assert.equal(lines.length, 3);
  for (const line of lines) assert.ok(line.length <= 120, `${line.length} columns: ${line}`);
  const runs = JSON.parse((await runCli(["flow-run", "ls", "--json"], home)).stdout);
  const long = runs.find((run: { name: string }) => run.name.startsWith("run-x"));
  assert.equal(long.name, `run-${"x".repeat(150)}`);
  for (const run of runs) assert.ok(ls.stdout.includes(run.id), `the id ${run.id} is whole`);
  assert.match(ls.stdout, / {2}nightly-warehouse-… {2}run-x{14}… {2}Failed\('the wareho… {2}\d{4}-/);
  assert.match(ls.stdout, / hello +[a-z]+-[a-z]+ +Completed\(\) +\d{4}-/);
});
