// A SIGKILLed `skein run` (issue 9, findings 5 and 6): the store's crash sweep ends its flow run and its Running
// task run Crashed, and the concurrency slot it took in its first milliseconds is freed by the liveness rule the
// store keeps with the lease (holder pid and machine in the database), with no server memory involved: on SQLite
// straight from SKEIN_HOME, on PostgreSQL through a server, then by the store alone and by a new server.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { buildServer } from "../../../server/app.ts";
import type { Store } from "../../../store/types.ts";
import { postgresBackend } from "../../fixtures/server/backends.ts";
import { exited, waitFor } from "../../fixtures/server/processes.ts";
import { startTestServer, type TestServer } from "../../fixtures/server/test-server.ts";
import { openStore, startCli, tempHome } from "../engine/helpers.ts";

const FLOW = "test/fixtures/engine/slot-then-hang.ts:slotThenHang";

/** Starts the run (through `apiUrl` when given) and SIGKILLs it once its task run is stored Running. */
async function killWhileRunning(store: Store, home: string, apiUrl: string) {
  const earlier = new Set((await store.listFlowRuns({ flowName: "slot-then-hang" })).map((run) => run.id));
  const previous = process.env.SKEIN_API_URL;
  process.env.SKEIN_API_URL = apiUrl;
  const child = startCli(["run", FLOW], home);
  if (previous === undefined) delete process.env.SKEIN_API_URL;
  else process.env.SKEIN_API_URL = previous;
  const run = await waitFor(async () => {
    const [found] = await store.listFlowRuns({ flowName: "slot-then-hang" });
    const tasks = found && !earlier.has(found.id) ? await store.listTaskRuns(found.id) : [];
    return tasks[0]?.state.name === "Running" ? found : undefined;
  }, "the task run to be stored Running");
  assert.equal((await store.listConcurrencyLimits())[0].activeSlots, 1, "the run holds its slot");
  child.kill("SIGKILL");
  await exited(child);
  return run;
}

async function assertEndedAndFreed(store: Store, flowRunId: string) {
  assert.equal((await store.getFlowRun(flowRunId))?.state.name, "Crashed");
  assert.equal((await store.listConcurrencyLimits())[0].activeSlots, 0, "the dead holder's slot is free");
  const tasks = await store.listTaskRuns(flowRunId);
  assert.deepEqual(
    tasks.map((t) => [t.name, t.state.name]),
    [["hang-0", "Crashed"]],
    "the task run ends with its flow run",
  );
  const lease = await store.tryAcquireLeases({
    names: ["first-ms"],
    slots: 1,
    holderPid: process.pid,
    decaying: false,
  });
  assert.equal(lease.acquired, true);
  if (lease.acquired) await store.releaseLeases(lease.leaseIds);
}

describe("a SIGKILLed run on SQLite", () => {
  test("its sweep ends the task run too, and its slot is freed", { timeout: 60_000 }, async () => {
    const home = tempHome();
    const store = openStore(home);
    try {
      await store.upsertConcurrencyLimit("first-ms", 1);
      const run = await killWhileRunning(store, home, "");
      assert.deepEqual(await store.markDeadRunsCrashed(), [run.id]);
      await assertEndedAndFreed(store, run.id);
    } finally {
      await store.close();
    }
  });
});

describe("a SIGKILLed run reporting through a server on PostgreSQL", { skip: postgresBackend.skip }, () => {
  let server: TestServer;
  before(async () => (server = await startTestServer(postgresBackend)));
  after(async () => server?.close());

  test("the store's sweep ends the task run too, and the store frees its slot", { timeout: 60_000 }, async () => {
    await server.store.upsertConcurrencyLimit("first-ms", 1);
    const run = await killWhileRunning(server.store, tempHome(), server.url);
    assert.deepEqual(await server.store.markDeadRunsCrashed(), [run.id]);
    await assertEndedAndFreed(server.store, run.id);
  });

  test("a server started after the death (a restart) ends the run and frees its slot", {
    timeout: 60_000,
  }, async () => {
    await server.store.upsertConcurrencyLimit("first-ms", 1);
    const run = await killWhileRunning(server.store, tempHome(), server.url);
    const restarted = buildServer({
      store: server.store,
      backend: "postgres",
      crashDetection: { enabled: true, intervalMs: 100, staleAfterMs: 500 },
    });
    try {
      await waitFor(
        async () => (await server.store.getFlowRun(run.id))?.state.name === "Crashed" || undefined,
        "the new server's crash detector to end the run",
      );
      await assertEndedAndFreed(server.store, run.id);
    } finally {
      await restarted.close();
    }
  });
});
