// A run process that is SIGKILLed is marked Crashed (with its unfinished task runs) and its concurrency slots
// are freed; a live run process is left alone. Against SQLite and PostgreSQL.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { buildServer } from "../../../server/app.ts";
import { HEARTBEAT_STALE_MS } from "../../../store/liveness.ts";
import { BACKENDS } from "../../fixtures/server/backends.ts";
import { exited, jsonLines, spawnTs, waitFor } from "../../fixtures/server/processes.ts";
import { flowRunEvents } from "../../fixtures/server/events.ts";
import { raw, startTestServer, type TestServer } from "../../fixtures/server/test-server.ts";

/** The pid of a process that has exited: nothing on this machine answers to it. */
function deadPid(): number {
  return spawnSync(process.execPath, ["-e", ""]).pid!;
}

for (const backend of BACKENDS) {
  describe(`crash detection (${backend.name})`, { skip: backend.skip }, () => {
    let server: TestServer;
    before(async () => {
      // Short intervals so the test is quick; the product sweeps every 5 s with 15 s of heartbeat staleness.
      server = await startTestServer(backend, {
        crashDetection: { enabled: true, intervalMs: 100, staleAfterMs: 1000 },
      });
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
      assert.deepEqual(
        tasks.map((t) => t.state.name),
        ["Crashed"],
      );
      // The sweep frees the run's slots right after storing its end.
      await waitFor(
        async () => (await server.store.listConcurrencyLimits()).find((l) => l.name === "db")?.activeSlots === 0,
        "its slot to be freed",
      );
    });

    test("a silent run whose process lives on this machine is not taken for dead; once killed it is", {
      timeout: 60_000,
    }, async () => {
      const { child, running } = await startRun("busy", "silent");
      for (let i = 0; i < 3; i++) {
        await new Promise((resolve) => setTimeout(resolve, 600));
        await server.server.detector.sweep();
      }
      assert.equal((await server.store.getFlowRun(running.flowRunId))?.state.type, "RUNNING");
      child.kill("SIGKILL");
      await exited(child);
      await waitFor(
        async () => (await server.store.getFlowRun(running.flowRunId))?.state.type === "CRASHED",
        "the run to be marked Crashed",
      );
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
      await waitFor(
        async () => (await server.store.getFlowRun(flowRunId))?.state.type === "CRASHED",
        "the silent remote run to be marked Crashed",
      );
    });

    test("servers sharing one database that notice the same death store one Crashed state", {
      timeout: 60_000,
    }, async () => {
      // Every sweep is driven here: the main server's own detector is stopped, the others never start one. Their
      // writes wait for each other, so both sweeps surely judge the run dead before either stores anything.
      await server.server.detector.stop();
      let arrived = 0;
      let release!: () => void;
      const bothArrived = new Promise<void>((resolve) => (release = resolve));
      const gated = new Proxy(server.store, {
        get(target, property) {
          if (property === "appendEvents") {
            return async (events: Parameters<typeof target.appendEvents>[0]) => {
              if (++arrived === 2) release();
              await Promise.race([bothArrived, new Promise((resolve) => setTimeout(resolve, 10_000))]);
              return target.appendEvents(events);
            };
          }
          const value = Reflect.get(target, property, target);
          return typeof value === "function" ? value.bind(target) : value;
        },
      });
      const others = [0, 1].map(() =>
        buildServer({ store: gated, backend: backend.name, crashDetection: { enabled: false, staleAfterMs: 1000 } }),
      );
      try {
        const { child, running } = await startRun("shared");
        child.kill("SIGKILL");
        await exited(child);
        // Past the staleness window of the last heartbeat and the others' first window after start.
        await new Promise((resolve) => setTimeout(resolve, 1500));
        assert.equal((await server.store.getFlowRun(running.flowRunId))?.state.type, "RUNNING", "nothing swept yet");
        const swept = await Promise.all(others.map((other) => other.detector.sweep()));
        assert.deepEqual(
          swept,
          [[running.flowRunId], [running.flowRunId]],
          "both servers noticed the death and stored its end",
        );
        assert.equal((await server.store.getFlowRun(running.flowRunId))?.state.type, "CRASHED");
        const crashed = (await server.store.listStates(running.flowRunId)).filter((s) => s.type === "CRASHED");
        assert.equal(crashed.length, 1);
      } finally {
        for (const other of others) await other.app.close();
        server.server.detector.start();
      }
    });

    test("a live run on another machine that heartbeats is never marked Crashed; once silent it is", {
      timeout: 60_000,
    }, async (t) => {
      // Heartbeats and sweeps judge staleness by the clock: a fake one (Date), moved by the test, so a loaded
      // machine that delays a heartbeat cannot make the live run look dead.
      t.mock.timers.enable({ apis: ["Date"], now: Date.now() });
      // Only this test's sweeps judge the run, at the fake times it sets; the background ones (every 100 ms of
      // real time) still crashed it now and then on a loaded machine.
      await server.server.detector.stop();
      t.after(() => server.server.detector.start());
      // The run's pid is dead here, and its heartbeats come from another host: only heartbeats keep it alive.
      const pid = deadPid();
      const remote = { "x-skein-process": `${pid}@another-host` };
      const events = flowRunEvents({ tasks: 1, unfinished: true, pid, host: "another-host" });
      const flowRunId = events[0].flowRunId;
      await server.store.upsertConcurrencyLimit("api", 1);
      assert.equal((await raw(server.url, "POST", "/api/events", { events }, remote)).status, 200);
      const lease = await raw(
        server.url,
        "POST",
        "/api/leases",
        { names: ["api"], slots: 1, holderPid: pid, decaying: false, holderFlowRunIds: [flowRunId] },
        remote,
      );
      assert.equal(lease.json?.acquired, true, lease.text);
      const beat = async () =>
        assert.equal(
          (await raw(server.url, "POST", "/api/flow-runs/heartbeat", { flowRunIds: [flowRunId] }, remote)).status,
          200,
        );
      // Several sweeps past the staleness window (1 s), with a heartbeat every 600 ms.
      for (let i = 0; i < 3; i++) {
        await beat();
        t.mock.timers.tick(600);
        await server.server.detector.sweep();
      }
      assert.equal((await server.store.getFlowRun(flowRunId))?.state.type, "RUNNING");
      assert.equal((await server.store.getFlowRun(flowRunId))?.pid, pid, "the run keeps the pid it reported");
      assert.equal((await server.store.listConcurrencyLimits()).find((l) => l.name === "api")?.activeSlots, 1);
      // Silent for longer than the staleness window: the next sweep ends it and frees its slot right after.
      t.mock.timers.tick(1001);
      assert.deepEqual(await server.server.detector.sweep(), [flowRunId]);
      assert.equal((await server.store.getFlowRun(flowRunId))?.state.type, "CRASHED");
      // A remote holder's lease counts as alive for the staleness window after it was taken (store/liveness.ts,
      // isLeaseHolderGone); with its run Crashed and that window past, the slot is free.
      t.mock.timers.tick(HEARTBEAT_STALE_MS + 1);
      assert.equal((await server.store.listConcurrencyLimits()).find((l) => l.name === "api")?.activeSlots, 0);
    });
  });
}
