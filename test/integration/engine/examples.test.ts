// Every example runs, as users run it: `skein run` in a fresh process, each against its own SKEIN_HOME.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { ROOT, openStore, runCli, tempHome } from "./helpers.ts";

interface Example {
  entrypoint: string;
  args?: string[];
  result: string;
  /** Extra lines the run must print. */
  output?: RegExp[];
}

const EXAMPLES: Example[] = [
  { entrypoint: "examples/hello.ts:hello", args: ["--param", "name=Ada"], result: '"HELLO, ADA!"' },
  {
    entrypoint: "examples/etl.ts:etl",
    args: ["--param", "date=2024-01-01"],
    result: '{"date":"2024-01-01","total":180}',
    output: [/Flow run 'etl-2024-01-01'/, /Retry 1 of 3 after: warehouse busy/, /loaded 5 rows/],
  },
  {
    entrypoint: "examples/fan-out.ts:fanOut",
    args: ["--param", "count=8"],
    result: "360",
    output: [/Task run 'score-7' - Finished in state Completed\(\)/],
  },
  {
    entrypoint: "examples/subflows.ts:report",
    result:
      '{"region":"eu","reports":[{"shop":"paris","sales":500,"run":"shop-paris"},{"shop":"berlin","sales":600,"run":"shop-berlin"}]}',
    output: [/Flow run 'report-eu'/, /Beginning subflow run 'shop-paris'/, /Task run 'sales-berlin'/],
  },
  {
    entrypoint: "examples/fallback.ts:withFallback",
    result: '{"rows":["cached","rows"],"states":{"strict":"NotReady","audit":"NotReady"}}',
  },
  {
    entrypoint: "examples/fallback.ts:inspectFailure",
    result: '{"type":"FAILED","name":"Failed","message":"primary source is down"}',
  },
  {
    entrypoint: "examples/hooks.ts:notifyingFlow",
    result: '{"api":{"calls":2},"badRequest":"Failed"}',
    output: [/notify: task call-api-0 ended Completed/, /notify: flow [a-z]+-[a-z]+ ended Completed/],
  },
  { entrypoint: "examples/concurrency.ts:throttled", result: '{"queries":[1,2,3,4,5,6],"calls":[2,4,6],"peak":2}' },
  {
    entrypoint: "examples/artifacts.ts:publish",
    result: '"published"',
    output: [/publishing with token \*\*\*\*/, /Created markdown artifact 'weekly-report'/],
  },
  { entrypoint: "examples/decorators.ts:Pipelines.nightly", result: "14" },
  {
    entrypoint: "examples/timeouts.ts:patient",
    result: '"answered on attempt 2"',
    output: [/exceeded its timeout of 0.1s/],
  },
];

describe("examples", () => {
  test("every example file is covered here", () => {
    const files = fs.readdirSync(path.join(ROOT, "examples")).filter((f) => f.endsWith(".ts"));
    const covered = new Set(EXAMPLES.map((e) => path.basename(e.entrypoint.split(":")[0])));
    assert.deepEqual(
      files.filter((f) => !covered.has(f)),
      [],
    );
  });

  for (const example of EXAMPLES) {
    test(`skein run ${example.entrypoint}`, async () => {
      const home = tempHome();
      const result = await runCli(["run", example.entrypoint, ...(example.args ?? [])], home);
      assert.equal(result.code, 0, result.stderr);
      assert.ok(result.stdout.endsWith(`Result: ${example.result}\n`), result.stdout);
      for (const line of example.output ?? []) assert.match(result.stdout, line);
      const store = openStore(home);
      const runs = await store.listFlowRuns();
      await store.close();
      assert.ok(
        runs.length > 0 && runs.every((run) => run.state.type === "COMPLETED" || run.flowName === "always-fails"),
      );
    });
  }

  test("the documented skein/testing example passes", () => {
    // Without NODE_TEST_CONTEXT the nested runner reports normally instead of to this one.
    const { NODE_TEST_CONTEXT: _, ...env } = process.env;
    const result = spawnSync(process.execPath, ["--import", "tsx", "--test", "examples/testing/etl.test.ts"], {
      cwd: ROOT,
      encoding: "utf8",
      env,
    });
    assert.equal(result.status, 0, result.stdout + result.stderr);
    assert.match(result.stdout, /pass 4/);
  });

  test("the artifact's secret is masked in the store too", async () => {
    const home = tempHome();
    await runCli(["run", "examples/artifacts.ts:publish"], home);
    const store = openStore(home);
    const [run] = await store.listFlowRuns();
    const markdown = (await store.listArtifacts(run.id)).find((a) => a.type === "markdown")!;
    await store.close();
    assert.match(String(markdown.data), /Token: \*\*\*\*/);
  });
});
