// A run process that is SIGKILLed is marked Crashed (with its unfinished task runs) and its concurrency slots
// are freed; a live run process is left alone. Against SQLite and PostgreSQL.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { buildServer } from "../../../engine/server/app.ts";
import { BACKENDS } from "../../fixtures/server/backends.ts";
import { exited, jsonLines, spawnTs, waitFor } from "../../fixtures/server/processes.ts";
import { flowRunEvents } from "../../fixtures/server/events.ts";
import { raw, startTestServer, type TestServer } from "../../fixtures/server/test-server.ts";

for (const backend of BACKENDS) {
  describe(`crash detection (${backend.name})`, { skip: backend.skip }, () => {
    let server: TestServer;
    before(async () => {
      // Short intervals so the test is quick; the product sweeps every 5 s with 15 s of heartbeat staleness.
      server = await startTestServer(backend, { crashDetection: { enabled: true, intervalMs: 100, staleAfterMs: 1000 } });
    });
    after(async () => server?.close());

    async function startRun(limit: string, mode = "heartbeating") {
      await server.store.upsertConcurrencyLimit(limit, 1);
      const child = spawnTs("running-flow.ts", [limit, mode], { SKEIN_API_URL: server.url });
      let running: any;
      const output = jsonLines(child, (line) => (running = line));
      await waitFor(() => running, "the run process to start").catch((error) => {
        throw new Error(`${error.message}: ${output.stderr()}`);
      });
      return { child, running };
    }

    test("a SIGKILLed run process ends Crashed and frees its slots", { timeout: 60_000 }, async () => {
      const { child, running } = await startRun("db");
      assert.equal(running.lease.acquired, true);
      child.kill("SIGKILL");
      await exited(child);
      const run = await waitFor(async () => {
        const current = await server.store.getFlowRun(running.flowRunId);
        return current?.state.type === "CRASHED" ? current : undefined;
      }, "the run to be marked Crashed");
      assert.equal(run.state.name, "Crashed");
      const tasks = await server.store.listTaskRuns(running.flowRunId);
      assert.deepEqual(tasks.map((t) => t.state.name), ["Crashed"]);
      const limit = (await server.store.listConcurrencyLimits()).find((l) => l.name === "db");
      assert.equal(limit?.activeSlots, 0);
    });

    test("a silent run whose process lives on this machine is not taken for dead; once killed it is", { timeout: 60_000 }, async () => {
      const { child, running } = await startRun("busy", "silent");
      for (let i = 0; i < 3; i++) {
        await new Promise((resolve) => setTimeout(resolve, 600));
        await server.server.detector.sweep();
      }
      assert.equal((await server.store.getFlowRun(running.flowRunId))?.state.type, "RUNNING");
      child.kill("SIGKILL");
      await exited(child);
      await waitFor(async () => (await server.store.getFlowRun(running.flowRunId))?.state.type === "CRASHED", "the run to be marked Crashed");
    });

    test("a run on another machine is judged by its heartbeats alone", { timeout: 60_000 }, async () => {
      // Its pid happens to be alive here (it is this test's), which must not matter for another host.
      const remote = { "x-skein-process": `${process.pid}@another-machine` };
      const events = flowRunEvents({ tasks: 0, unfinished: true, pid: process.pid });
      const flowRunId = events[0].flowRunId;
      assert.equal((await raw(server.url, "POST", "/api/events", { events }, remote)).status, 200);
      for (let i = 0; i < 5; i++) {
        await raw(server.url, "POST", "/api/flow-runs/heartbeat", { flowRunIds: [flowRunId] }, remote);
        await new Promise((resolve) => setTimeout(resolve, 300));
        await server.server.detector.sweep();
      }
      assert.equal((await server.store.getFlowRun(flowRunId))?.state.type, "RUNNING");
      await waitFor(async () => (await server.store.getFlowRun(flowRunId))?.state.type === "CRASHED", "the silent remote run to be marked Crashed");
    });

    test("servers sharing one database that notice the same death store one Crashed state", { timeout: 60_000 }, async () => {
      const others = [0, 1].map(() => buildServer({ store: server.store, backend: backend.name, crashDetection: { enabled: false, staleAfterMs: 1000 } }));
      try {
        const { child, running } = await startRun("shared");
        child.kill("SIGKILL");
        await exited(child);
        await waitFor(async () => {
          await Promise.all(others.map((other) => other.detector.sweep()));
          return (await server.store.getFlowRun(running.flowRunId))?.state.type === "CRASHED";
        }, "the run to be marked Crashed");
        await Promise.all(others.map((other) => other.detector.sweep()));
        const crashed = (await server.store.listStates(running.flowRunId)).filter((s) => s.type === "CRASHED");
        assert.equal(crashed.length, 1);
      } finally {
        for (const other of others) await other.app.close();
      }
    });

    test("a live run process that heartbeats is never marked Crashed", { timeout: 60_000 }, async () => {
      const { child, running } = await startRun("api");
      try {
        // Several sweeps past the staleness window.
        for (let i = 0; i < 3; i++) {
          await new Promise((resolve) => setTimeout(resolve, 600));
          await server.server.detector.sweep();
        }
        assert.equal((await server.store.getFlowRun(running.flowRunId))?.state.type, "RUNNING");
        assert.equal((await server.store.listConcurrencyLimits()).find((l) => l.name === "api")?.activeSlots, 1);
      } finally {
        child.kill("SIGKILL");
        await exited(child);
      }
    });
  });
}
