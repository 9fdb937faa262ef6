// `skein task-run inspect|logs ID` find a task run by its id alone; `--flow-run` is optional and checked when given.
import assert from "node:assert/strict";
import { test } from "node:test";
import { runCli, tempHome } from "../engine/helpers.ts";

test("task-run inspect and logs need only the task run's id", async () => {
  const home = tempHome();
  assert.equal((await runCli(["run", "examples/etl.ts:etl", "--param", "date=2024-02-03"], home)).code, 0);
  const [flowRun] = JSON.parse((await runCli(["flow-run", "ls", "--json"], home)).stdout);
  const { taskRuns } = JSON.parse((await runCli(["flow-run", "inspect", flowRun.id, "--json"], home)).stdout);
  const extract = taskRuns.find((t: { name: string }) => t.name === "extract-0");

  const inspected = await runCli(["task-run", "inspect", extract.id], home);
  assert.equal(inspected.code, 0, inspected.stderr);
  assert.match(inspected.stdout, new RegExp(`Task run 'extract-0' \\(${extract.id}\\) of flow run ${flowRun.id}`));
  const logs = await runCli(["task-run", "logs", extract.id], home);
  assert.equal(logs.code, 0, logs.stderr);
  assert.match(logs.stdout, /fetching rows for 2024-02-03/);
  assert.doesNotMatch(logs.stdout, /loaded 5 rows/, "only the task run's own logs");

  const otherFlowRun = await runCli(["task-run", "inspect", extract.id, "--flow-run", "someone-else"], home);
  assert.equal(otherFlowRun.code, 1);
  assert.match(otherFlowRun.stderr, /no flow run with id someone-else/);
  const unknown = await runCli(["task-run", "inspect", "nope"], home);
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /no task run with id nope in .*skein\.db/);
});
