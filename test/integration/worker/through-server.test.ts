// Deployment runs through a server, over each backend: `skein deployment run --watch` follows the run's states
// and logs from the live stream to its end, while a worker (a real process talking to the server, polling only
// every minute) hears of the new run from the live stream and starts it; the API refuses bad parameters one line
// each and says why a run waits.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import type { ApiError } from "../../../client/api-client.ts";
import { deploymentsApi } from "../../../protocol/api/deployments.ts";
import { workPoolsApi } from "../../../protocol/api/work-pools.ts";
import { workersApi } from "../../../protocol/api/workers.ts";
import { ROOT, runCli, startCli } from "../../fixtures/built-cli.ts";
import { BACKENDS } from "../../fixtures/server/backends.ts";
import { startTestServer, type TestServer } from "../../fixtures/server/test-server.ts";
import { tempHome } from "../../fixtures/temp-home.ts";

const FLOWS = path.join(ROOT, "test/fixtures/worker");

for (const backend of BACKENDS) {
  describe(`deployment runs through a server over ${backend.name}`, { skip: backend.skip }, () => {
    const home = tempHome("skein-worker-server-");
    let server: TestServer;
    let env: NodeJS.ProcessEnv;
    let deploymentId: string;
    before(async () => {
      server = await startTestServer(backend);
      env = {
        SKEIN_API_URL: server.url,
        SKEIN_DATABASE_URL: "",
        SKEIN_WORKER_CWD: FLOWS,
        SKEIN_WORKER_POLL_MS: "60000",
      };
      await server.client.call(workPoolsApi.create, { body: { name: "remote" } });
      const deployment = await server.client.call(deploymentsApi.create, {
        body: {
          name: "hello",
          flowName: "greet",
          entrypoint: "flows.ts:greet",
          workPoolName: "remote",
          parameters: { name: "bo" },
          parameterSchema: {
            type: "object",
            properties: { name: { type: "string" }, times: { type: "integer" } },
            required: ["name", "times"],
          },
        },
      });
      deploymentId = deployment.id;
      await server.client.call(deploymentsApi.create, {
        body: { name: "fragile", flowName: "crashes-once", entrypoint: "flows.ts:crashesOnce", workPoolName: "remote" },
      });
    });
    after(() => server?.close());

    /** A worker of the pool, once the server has heard from it. */
    async function startWorker(name: string) {
      const worker = startCli(["worker", "start", "--pool", "remote", "--name", name, "--warm", "1"], home, { env });
      for (;;) {
        const { workers } = await server.client.call(workersApi.list, { query: { pool: "remote" } });
        if (workers.some((w) => w.name === name)) return worker;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }

    test("a worker woken by the live stream runs it, and --watch follows it to the end", async () => {
      const worker = await startWorker("streamer");
      try {
        const watched = await runCli(["deployment", "run", "greet/hello", "--param", "times=2", "--watch"], home, {
          env,
        });
        assert.equal(watched.code, 0, watched.stderr);
        assert.match(watched.stdout, /Created flow run '.*' \(.*\) of deployment 'greet\/hello': Scheduled/);
        assert.match(watched.stdout, /Running\(\)/);
        assert.match(watched.stdout, /finished in state Completed\(\)/);
        const [run] = (await server.store.listFlowRuns({ deploymentId })).filter((r) => r.state.name === "Completed");
        assert.deepEqual(run.parameters, { name: "bo", times: 2 });
        assert.equal(run.workerName, "streamer");
      } finally {
        worker.kill("SIGTERM");
        await worker.done;
      }
    });

    test("--watch follows a crashed run through its worker's retry to its real end", async () => {
      const worker = await startWorker("retrier");
      try {
        const marker = path.join(home, "fragile-marker");
        const watched = await runCli(
          ["deployment", "run", "crashes-once/fragile", "--param", `marker=${marker}`, "--watch"],
          home,
          { env },
        );
        assert.equal(watched.code, 0, watched.stderr);
        assert.match(
          watched.stdout,
          /Finished in state Crashed\([\s\S]* - Retrying\(\)\n[\s\S]*finished in state Completed\(\)\n$/,
        );
      } finally {
        worker.kill("SIGTERM");
        await worker.done;
      }
    });

    test("the API refuses parameters that do not fit, one line each, and says why a run waits", async () => {
      await assert.rejects(
        server.client.call(deploymentsApi.createRun, {
          params: { id: deploymentId },
          body: { parameters: { name: 3, nope: 1 } },
        }),
        (error: ApiError) =>
          error.status === 422 &&
          /parameter 'name' must be string/.test(error.message) &&
          /parameter 'times' is required/.test(error.message) &&
          /parameter 'nope' is unknown/.test(error.message),
      );
      await server.client.call(workPoolsApi.update, { params: { pool: "remote" }, body: { paused: true } });
      const run = await server.client.call(deploymentsApi.createRun, {
        params: { id: deploymentId },
        body: { parameters: { times: 1 } },
      });
      const reason = await server.client.call(workersApi.waiting, { params: { id: run.id } });
      assert.equal(reason.code, "pool-paused");
      const { reasons } = await server.client.call(workersApi.waitingRuns, { query: { pool: "remote" } });
      assert.deepEqual(
        reasons.map((r) => [r.flowRunId, r.code]),
        [[run.id, "pool-paused"]],
      );
    });
  });
}
