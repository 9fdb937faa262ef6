// explorer: the time to expand a flow with 10,000 runs in the run explorer (its first page of 100 runs read through
// the API and turned into tree items, as VS Code asks for them), against the real local server of a SKEIN_HOME
// started the way the editor starts it (SkeinConnection, `skein server start --port 0`; needs `npm run build`).
// Baseline, in the same run and alternated call by call: the bare API call for the same page (GET /api/flow-runs)
// on the same connection. Also the root (the flows list) against the bare GET /api/flows. Median of `--runs N` (50).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawn } from "node:child_process";
import { BRIEF_RETRY } from "../client/api-client.ts";
import { flowRunsApi } from "../protocol/api/flow-runs.ts";
import { eventsApi } from "../protocol/api/events.ts";
import { newId } from "../protocol/ids.ts";
import type { RunEvent } from "../protocol/run-events.ts";
import { startLocalServer, stopLocalServer } from "../extension/connection/local-server.ts";
import { SkeinConnection } from "../extension/connection/skein-connection.ts";
import { RUN_PAGE_SIZE } from "../extension/explorer/run-data.ts";
import type { FlowNode } from "../extension/explorer/run-nodes.ts";
import { RunTreeModel } from "../extension/explorer/run-tree.ts";
import { fakeVscode } from "../test/fixtures/extension/fake-vscode.ts";
import { emit, log, median, runCount, runMain } from "./common/report.ts";

const RUNS = 10_000;
const SAMPLES = runCount(50);
const CLI = path.resolve(import.meta.dirname, "../dist/engine/cli.mjs");

function runEvents(): RunEvent[] {
  const start = Date.parse("2026-01-01T00:00:00.000Z");
  return Array.from({ length: RUNS }, (_, i) => {
    const timestamp = new Date(start + i * 1000).toISOString();
    return {
      kind: "flow-run-created",
      id: newId(),
      timestamp,
      flowRunId: newId(),
      name: `run-${i}`,
      flowName: "bulk",
      parameters: { i },
      tags: [],
      pid: 1,
      state: { type: "COMPLETED", name: "Completed", timestamp },
    } satisfies RunEvent;
  });
}

async function time(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

runMain(async () => {
  if (!fs.existsSync(CLI)) throw new Error("bench explorer needs the built CLI: npm run build");
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "skein-bench-explorer-"));
  const serverDeps = { spawn, cliPath: CLI, runtime: async () => ({ command: process.execPath, env: {} }) };
  const connection = new SkeinConnection({
    home: () => home,
    apiUrl: () => "",
    apiKey: async () => undefined,
    startLocalServer: (target) => startLocalServer(serverDeps, target),
  });
  try {
    await connection.withClient((client) => client.call(eventsApi.ingest, { body: { events: runEvents() } }));
    log(`  ${RUNS.toLocaleString("en")} runs of one flow stored; ${SAMPLES} samples`);
    const root: number[] = [];
    const rootBaseline: number[] = [];
    const expand: number[] = [];
    const expandBaseline: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      // A fresh tree each time: what a new window (or a reload) costs, nothing cached.
      const tree = new RunTreeModel({ vscode: fakeVscode().api, source: connection });
      let flows: FlowNode[] = [];
      root.push(await time(async () => (flows = (await tree.getChildren()) as FlowNode[])));
      rootBaseline.push(
        await time(() =>
          connection.withClient((client) =>
            client.call(flowRunsApi.flows, { query: { limit: 1000, offset: 0 } }, { retry: BRIEF_RETRY }),
          ),
        ),
      );
      expand.push(
        await time(async () => {
          for (const node of await tree.getChildren(flows[0])) tree.getTreeItem(node);
        }),
      );
      expandBaseline.push(
        await time(() =>
          connection.withClient((client) =>
            client.call(
              flowRunsApi.list,
              { query: { flowName: "bulk", limit: RUN_PAGE_SIZE, offset: 0 } },
              { retry: BRIEF_RETRY },
            ),
          ),
        ),
      );
      tree.dispose();
    }
    emit("explorer", "expand a flow with 10,000 runs (first page of 100, tree items)", {
      value: median(expand),
      unit: "ms",
      baseline: median(expandBaseline),
      runs: SAMPLES,
    });
    emit("explorer", "show the flows of 10,000 runs (root)", {
      value: median(root),
      unit: "ms",
      baseline: median(rootBaseline),
      runs: SAMPLES,
    });
  } finally {
    connection.dispose();
    await stopLocalServer(serverDeps, home).catch(() => undefined);
    fs.rmSync(home, { recursive: true, force: true });
  }
});
