// The palette's run catalog (extension/runs/run-catalog.ts) reads through the editor's connection, never a CLI
// process: runs filtered by state, a run's task runs, and a task run's recorded inputs as JSON.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { ApiClient } from "../../../../client/api-client.ts";
import { serialize } from "../../../../engine/results/serialize.ts";
import { connectionRunCatalog } from "../../../../extension/runs/run-catalog.ts";
import { flowRunsApi } from "../../../../protocol/api/flow-runs.ts";
import { taskRunsApi } from "../../../../protocol/api/task-runs.ts";

function catalogWith(inputs: string | null) {
  const calls: { route: unknown; request: unknown }[] = [];
  const client = {
    async call(route: unknown, request: unknown) {
      calls.push({ route, request });
      if (route === flowRunsApi.list) return { flowRuns: [{ id: "f1" }], offset: 0, limit: 50 };
      if (route === taskRunsApi.list) return { taskRuns: [{ id: "t1" }] };
      if (route === taskRunsApi.inputs)
        return { taskRunId: "t1", inputs, notStoredReason: inputs ? null : "too large" };
      throw new Error("unexpected call");
    },
  } as unknown as ApiClient;
  return { catalog: connectionRunCatalog({ withClient: (use) => use(client) }), calls };
}

test("flow runs by state and task runs come from the API", async () => {
  const { catalog, calls } = catalogWith(null);
  assert.deepEqual(await catalog.flowRuns(["FAILED", "CRASHED"]), [{ id: "f1" }]);
  assert.deepEqual(calls[0], {
    route: flowRunsApi.list,
    request: { query: { limit: 200, offset: 0, state: "FAILED,CRASHED" } },
  });
  assert.deepEqual(await catalog.taskRuns("f1"), [{ id: "t1" }]);
  assert.deepEqual(calls[1], { route: taskRunsApi.list, request: { params: { id: "f1" } } });
});

test("recorded inputs read as JSON by parameter name; none recorded is undefined", async () => {
  const recorded = serialize({ rows: [1, 2], since: new Date(0) }, "load", "inputs");
  assert.deepEqual(await catalogWith(recorded).catalog.taskRunInputs("t1"), {
    rows: [1, 2],
    since: "1970-01-01T00:00:00.000Z",
  });
  assert.equal(await catalogWith(null).catalog.taskRunInputs("t1"), undefined);
});
