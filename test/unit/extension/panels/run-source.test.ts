// Loading a run for its view (extension/panels/run-source.ts) with a stand-in API: its subflow runs, and theirs, are
// found through the flow-runs list's parentFlowRunId filter, level by level, never by scanning recent runs.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { ApiClient } from "../../../../client/api-client.ts";
import type { SkeinConnection } from "../../../../extension/connection/skein-connection.ts";
import { connectionRunSource } from "../../../../extension/panels/run-source.ts";
import { artifactsApi } from "../../../../protocol/api/artifacts.ts";
import { flowRunsApi } from "../../../../protocol/api/flow-runs.ts";
import { logsApi } from "../../../../protocol/api/logs.ts";
import { taskRunsApi } from "../../../../protocol/api/task-runs.ts";
import { flowRunRecord } from "../../../fixtures/records.ts";

const at = (second: number) => `2026-11-30T10:00:0${second}.000Z`;
const flowRun = (id: string, parentFlowRunId: string | null, second: number) =>
  flowRunRecord({ id, flowName: parentFlowRunId ? "child" : "root", parentFlowRunId, createdAt: at(second) });

test("a run loads with its subflows and theirs, found by parent, and nothing else", async () => {
  // Newest first, as the API lists them; f9 is another run's subflow.
  const runs = [flowRun("f9", "fx", 4), flowRun("f2", "f1", 3), flowRun("f3", "f0", 2), flowRun("f1", "f0", 1)];
  const root = flowRun("f0", null, 0);
  const listed: unknown[] = [];
  const client = {
    async call(route: unknown, request: { params?: { id: string }; query?: Record<string, unknown> }) {
      if (route === flowRunsApi.get) return root;
      if (route === flowRunsApi.list) {
        listed.push(request.query);
        const parent = request.query?.parentFlowRunId;
        assert.ok(parent, "runs are listed by parent, not scanned");
        return { flowRuns: runs.filter((run) => run.parentFlowRunId === parent), offset: 0, limit: 500 };
      }
      if (route === flowRunsApi.states) return { states: [] };
      if (route === taskRunsApi.list) return { taskRuns: [] };
      if (route === logsApi.list) return { logs: [], total: 0, offset: 0 };
      if (route === artifactsApi.list) return { artifacts: [] };
      throw new Error("unexpected call");
    },
  } as unknown as ApiClient;
  const connection = { withClient: (use: (c: ApiClient) => Promise<unknown>) => use(client) } as SkeinConnection;
  const events = await connectionRunSource(connection).load("f0");
  assert.deepEqual(
    events.filter((event) => event.kind === "flow-run-created").map((event) => event.flowRunId),
    ["f0", "f1", "f3", "f2"],
    "the root, then its subflows oldest first",
  );
  assert.deepEqual(
    listed.map((query) => (query as { parentFlowRunId: string }).parentFlowRunId).sort(),
    ["f0", "f1", "f2", "f3"],
    "one listing per run in the tree",
  );
});
