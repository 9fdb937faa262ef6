// Which pid a run keeps and when a store's own crash sweep (Store.markDeadRunsCrashed, as the CLI calls it)
// takes its process for gone. A run reported through the server from another machine keeps the pid it reported
// (the server relays its heartbeats without claiming it), and the sweep honours its heartbeats: one that beat
// recently is alive whatever its pid says here. Against SQLite and PostgreSQL.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { BACKENDS } from "../../fixtures/server/backends.ts";
import { flowRunEvents } from "../../fixtures/server/events.ts";
import { raw, startTestServer, type TestServer } from "../../fixtures/server/test-server.ts";

/** The pid of a process that has exited: nothing on this machine answers to it. */
function deadPid(): number {
  return spawnSync(process.execPath, ["-e", ""]).pid!;
}

for (const backend of BACKENDS) {
  describe(`run liveness in the store (${backend.name})`, { skip: backend.skip }, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(backend);
    });
    after(async () => server?.close());

    /** A Running run reported through the server by a process on another host; its events are months old. */
    async function remoteRun() {
      const pid = deadPid();
      const remote = { "x-skein-process": `${pid}@another-host` };
      const events = flowRunEvents({ tasks: 0, unfinished: true, pid, host: "another-host" });
      assert.equal((await raw(server.url, "POST", "/api/events", { events }, remote)).status, 200);
      const heartbeat = async () => {
        const response = await raw(
          server.url,
          "POST",
          "/api/flow-runs/heartbeat",
          { flowRunIds: [events[0].flowRunId] },
          remote,
        );
        assert.equal(response.status, 200, response.text);
      };
      return { flowRunId: events[0].flowRunId, pid, heartbeat };
    }

    test("a heartbeat relayed by the server leaves the run's pid as its process reported it", async () => {
      const run = await remoteRun();
      await run.heartbeat();
      const stored = await server.store.getFlowRun(run.flowRunId);
      assert.equal(stored?.pid, run.pid);
      assert.notEqual(stored?.pid, process.pid, "not the server's");
      assert.ok(Date.now() - Date.parse(stored!.heartbeatAt) < 60_000, "the heartbeat was stored");
    });

    test("the store's own sweep leaves a run alone that heartbeats recently, though its pid is not alive here", async () => {
      const run = await remoteRun();
      await run.heartbeat();
      assert.deepEqual(await server.store.markDeadRunsCrashed(), []);
      assert.equal((await server.store.getFlowRun(run.flowRunId))?.state.type, "RUNNING");
      assert.equal(await server.store.isFlowRunAlive(run.flowRunId), true);
    });

    test("the store's own sweep ends a silent run whose pid is gone with the one Crashed state every sweeper makes", async () => {
      const run = await remoteRun();
      const before = await server.store.getFlowRun(run.flowRunId);
      assert.equal(await server.store.isFlowRunAlive(run.flowRunId), false);
      assert.deepEqual(await server.store.markDeadRunsCrashed(), [run.flowRunId]);
      assert.deepEqual(await server.store.markDeadRunsCrashed(), [], "ended once");
      const crashed = (await server.store.listStates(run.flowRunId)).filter((s) => s.type === "CRASHED");
      assert.equal(crashed.length, 1);
      // The id the server's crash detector gives the same death, so the two never store two Crashed states.
      assert.equal(crashed[0].id, `crashed-${run.flowRunId}-${before!.heartbeatAt}`);
      assert.match(crashed[0].message ?? "", new RegExp(`Run process ${run.pid} is gone`));
    });
  });
}
