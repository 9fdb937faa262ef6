import { test } from "node:test";
import assert from "node:assert/strict";
import { missingPoolOf } from "../../../../extension/deployments/deploy-flow.ts";
import { locatedProblems } from "../../../../extension/deployments/skein-cli.ts";

// What `skein deploy hello` prints when the pool is missing (copied from a real run).
const MISSING_POOL = [
  "skein.yaml:3:5: warning: 'schedule' is deprecated: use 'schedules'",
  "skein.yaml:12:13: error: Work pool 'default' does not exist in /tmp/x/home/skein.db. Skein does not create pools on the side: create it with `skein work-pool create default` (and start a worker for it), then deploy again",
  "Deployment 'hello' not registered",
].join("\n");

test("the CLI's file:line:col problems are read with their severity; other lines are not problems", () => {
  const problems = locatedProblems(MISSING_POOL);
  assert.deepEqual(
    problems.map((p) => [p.file, p.line, p.column, p.severity]),
    [
      ["skein.yaml", 3, 5, "warning"],
      ["skein.yaml", 12, 13, "error"],
    ],
  );
  assert.match(problems[1].message, /^Work pool 'default' does not exist/);
});

test("a missing work pool is recognised (and named) so the lens can offer to create it", () => {
  assert.equal(missingPoolOf(locatedProblems(MISSING_POOL)), "default");
  assert.equal(
    missingPoolOf(locatedProblems("skein.yaml:4:17: error: 'helo' is not a flow exported by examples/hello.ts")),
    undefined,
  );
});
