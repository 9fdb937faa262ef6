// A worker's claim over HTTP is exactly-once end to end, over each backend: when the server has committed a claim
// but its answer is lost on the way back (a proxy closes the connection instead of answering), the claim is asked
// again with the same claim id and gets the runs it took; no run is claimed twice and none is left Pending for a
// worker that never heard of it. Through the HttpStore directly, and with a real `skein worker start` process whose
// runs then complete.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { deploymentsApi } from "../../../protocol/api/deployments.ts";
import { newId } from "../../../protocol/ids.ts";
import { HttpStore } from "../../../store/http/http-store.ts";
import type { FlowRunRecord } from "../../../store/types.ts";
import { ROOT, startCli } from "../../fixtures/built-cli.ts";
import { type DroppingProxy, startDroppingProxy } from "../../fixtures/server/answer-dropping-proxy.ts";
import { BACKENDS } from "../../fixtures/server/backends.ts";
import { startTestServer, type TestServer } from "../../fixtures/server/test-server.ts";
import { tempHome } from "../../fixtures/temp-home.ts";

const FLOWS = path.join(ROOT, "test/fixtures/worker");

for (const backend of BACKENDS) {
  describe(`a claim whose answer is lost, over ${backend.name}`, { skip: backend.skip }, () => {
    let server: TestServer;
    let proxy: DroppingProxy;
    let deploymentId: string;
    /** Claim answers with runs in them still to lose. */
    let toLose = 0;

    before(async () => {
      server = await startTestServer(backend);
      proxy = await startDroppingProxy(server.url, (route, answer) => {
        if (!route.endsWith("/claim") || toLose === 0 || JSON.parse(answer).flowRuns?.length === 0) return false;
        toLose--;
        return true;
      });
      assert.ok("created" in (await server.store.createWorkPool({ name: "lossy" })));
      const deployment = await server.client.call(deploymentsApi.create, {
        body: {
          name: "hello",
          flowName: "greet",
          entrypoint: "flows.ts:greet",
          workPoolName: "lossy",
          parameters: { name: "lost", times: 1 },
        },
      });
      deploymentId = deployment.id;
    });
    after(async () => {
      await proxy?.close();
      await server?.close();
    });

    /** Runs due now, asked for through the API. */
    async function due(count: number): Promise<FlowRunRecord[]> {
      const runs: FlowRunRecord[] = [];
      for (let index = 0; index < count; index++)
        runs.push(await server.client.call(deploymentsApi.createRun, { params: { id: deploymentId }, body: {} }));
      return runs;
    }

    /** Each run's state names, from the store's history. */
    const histories = async (runs: FlowRunRecord[]) =>
      Promise.all(runs.map(async (run) => (await server.store.listStates(run.id)).map((state) => state.name)));

    test("the HttpStore asks again with the same claim id and gets the runs the claim took, and no others", async () => {
      const runs = await due(3);
      const store = new HttpStore(proxy.url);
      try {
        toLose = 1;
        const claimId = newId();
        const request = { workPoolName: "lossy", workerName: "w1", pid: 1, host: "h", limit: 2, claimId };
        const { claimed } = await store.claimFlowRuns(request);
        assert.equal(proxy.dropped, 1, "the first answer was lost");
        const pending = (await server.store.listFlowRuns({ workPoolName: "lossy", stateTypes: ["PENDING"] })).map(
          (run) => run.id,
        );
        assert.deepEqual(claimed.map((run) => run.id).sort(), pending.sort(), "the runs the lost claim took");
        assert.deepEqual(
          claimed.map((run) => run.id),
          runs.slice(0, 2).map((run) => run.id),
        );
        assert.ok(claimed.every((run) => run.state.name === "Pending" && run.workerName === "w1"));
        assert.deepEqual(await histories(runs), [["Scheduled", "Pending"], ["Scheduled", "Pending"], ["Scheduled"]]);
        const again = await store.claimFlowRuns(request);
        assert.deepEqual(
          again.claimed.map((run) => run.id),
          claimed.map((run) => run.id),
          "the same id answers the same runs",
        );
        const next = await store.claimFlowRuns({ ...request, claimId: newId(), limit: 10 });
        assert.deepEqual(
          next.claimed.map((run) => run.id),
          [runs[2].id],
          "a new claim takes only what is left",
        );
        assert.deepEqual((await histories(runs)).flat().filter((name) => name === "Pending").length, 3);
      } finally {
        await store.close();
      }
    });

    test("a worker whose claim answer is lost still runs each of those runs, exactly once", async () => {
      const runs = await due(2);
      toLose = 1;
      const before = proxy.dropped;
      const worker = startCli(["worker", "start", "--pool", "lossy", "--name", "w2", "--warm", "1"], tempHome(), {
        env: { SKEIN_API_URL: proxy.url, SKEIN_DATABASE_URL: "", SKEIN_WORKER_CWD: FLOWS, SKEIN_WORKER_POLL_MS: "100" },
      });
      try {
        const deadline = Date.now() + 60_000;
        for (;;) {
          const states = await Promise.all(runs.map(async (run) => (await server.store.getFlowRun(run.id))?.state));
          if (states.every((state) => state?.name === "Completed")) break;
          if (Date.now() > deadline) throw new Error(`runs not completed: ${JSON.stringify(states)}`);
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      } finally {
        worker.kill("SIGTERM");
        await worker.done;
      }
      assert.equal(proxy.dropped - before, 1, "a claim answer with runs in it was lost");
      assert.deepEqual(await histories(runs), [
        ["Scheduled", "Pending", "Running", "Completed"],
        ["Scheduled", "Pending", "Running", "Completed"],
      ]);
      assert.ok(
        (await Promise.all(runs.map((run) => server.store.getFlowRun(run.id)))).every((r) => r?.workerName === "w2"),
      );
    });
  });
}
