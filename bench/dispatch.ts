// dispatch: from `deployment run` (the API call creating the run) to the flow's code running in a worker's run
// process, with one worker (a real `skein worker start`, 2 warm runner processes) on a SQLite server. The flow
// writes the time its code starts; runs go one after another. Baseline in the same run: `node -e 0`, the cost of
// starting any fresh process, which a warm runner has paid before the run is asked for. p50 and p95 of `--runs N`.
import fs from "node:fs";
import path from "node:path";
import { deploymentsApi } from "../protocol/api/deployments.ts";
import { flowRunsApi } from "../protocol/api/flow-runs.ts";
import { isTerminal } from "../protocol/states.ts";
import {
  deployFlow,
  nodeStartMs,
  startBenchServer,
  startWorker,
  stopWorker,
  until,
  workersPolling,
} from "./common/deployment-setup.ts";
import { emit, log, median, percentile, runCount, runMain } from "./common/report.ts";

const RUNS = runCount(30);

runMain(async () => {
  const server = startBenchServer();
  const worker = startWorker(server, "bench", "dispatcher");
  try {
    const deploymentId = await deployFlow(server, "bench", "mark");
    await workersPolling(server, "bench", 1);
    const dispatch: number[] = [];
    const baseline: number[] = [];
    for (let index = -2; index < RUNS; index++) {
      const file = path.join(server.home, `mark-${index}`);
      // Runners start ahead of runs: give the pool time to refill between runs, as a worker between requests has.
      await new Promise((resolve) => setTimeout(resolve, 300));
      const askedAt = Date.now();
      const run = await server.client.call(deploymentsApi.createRun, {
        params: { id: deploymentId },
        body: { parameters: { file } },
      });
      // The flow writes the file in one call; an empty read is the moment between its creation and its write.
      const startedAt = await until(() => {
        const text = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "";
        return text ? Number(text) : undefined;
      });
      await until(async () => {
        const current = await server.client.call(flowRunsApi.get, { params: { id: run.id } });
        return isTerminal(current.state.type) ? true : undefined;
      }, 10);
      if (index < 0) continue; // the first runs warm the bundle cache
      dispatch.push(startedAt - askedAt);
      baseline.push(nodeStartMs());
      log(`run ${index + 1}/${RUNS}: ${dispatch.at(-1)} ms (node -e 0: ${baseline.at(-1)!.toFixed(0)} ms)`);
    }
    const floor = median(baseline);
    emit("dispatch", "p50", { value: median(dispatch), unit: "ms", baseline: floor, runs: RUNS });
    emit("dispatch", "p95", { value: percentile(dispatch, 0.95), unit: "ms", baseline: floor, runs: RUNS });
  } finally {
    await stopWorker(worker);
    server.stop();
  }
});
