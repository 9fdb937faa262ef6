// One contract for every Store: the embedded SQLite store, the PostgreSQL store, and the HttpStore talking to a
// server (over SQLite and over PostgreSQL). The engine relies on exactly these behaviours, whichever backend.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { HttpStore } from "../../../engine/client/http-store.ts";
import type { Store } from "../../../engine/store/types.ts";
import { postgresBackend, sqliteBackend, type Backend } from "../../fixtures/server/backends.ts";
import { Clock, flowRunEvents, state } from "../../fixtures/server/events.ts";
import { startTestServer, type TestServer } from "../../fixtures/server/test-server.ts";

interface Subject {
  name: string;
  skip: string | false;
  open(): Promise<{ store: Store; dispose(): Promise<void> }>;
}

function throughServer(backend: Backend): Subject {
  return {
    name: `http → ${backend.name}`,
    skip: backend.skip,
    async open() {
      const server: TestServer = await startTestServer(backend);
      const store = new HttpStore(server.url);
      return {
        store,
        async dispose() {
          await store.close();
          await server.close();
        },
      };
    },
  };
}

const SUBJECTS: Subject[] = [sqliteBackend, postgresBackend, throughServer(sqliteBackend), throughServer(postgresBackend)];

for (const subject of SUBJECTS) {
  describe(`Store contract: ${subject.name}`, { skip: subject.skip }, () => {
    let store: Store;
    let dispose: () => Promise<void>;
    before(async () => ({ store, dispose } = await subject.open()));
    after(async () => dispose?.());

    test("a flow run's events make its run, task runs, states, logs and artifacts", async () => {
      const events = flowRunEvents({ flowName: "contract-etl", tasks: 3, logsPerTask: 2 });
      await store.appendEvents(events);
      const flowRunId = events[0].flowRunId;
      const run = await store.getFlowRun(flowRunId);
      assert.equal(run?.flowName, "contract-etl");
      assert.equal(run?.state.name, "Completed");
      assert.deepEqual(run?.parameters, { date: "2026-01-01" });
      assert.deepEqual(run?.tags, ["test"]);
      assert.equal(run?.entrypoint, "flows/etl.ts:etl");
      // The order of task runs is not part of the contract; their dynamic keys are.
      const tasks = (await store.listTaskRuns(flowRunId)).sort((a, b) => a.dynamicKey - b.dynamicKey);
      assert.deepEqual(tasks.map((t) => t.name), ["extract-0", "extract-1", "extract-2"]);
      assert.ok(tasks.every((t) => t.state.type === "COMPLETED"));
      assert.equal(tasks[1].result, JSON.stringify({ value: 1 }));
      assert.deepEqual((await store.listStates(tasks[0].id)).map((s) => s.name), ["Pending", "Running", "Completed"]);
      assert.deepEqual((await store.listStates(flowRunId)).map((s) => s.name), ["Pending", "Running", "Completed"]);
      const logs = await store.listLogs(flowRunId);
      assert.deepEqual(logs.map((l) => l.message), ["task 0 line 0", "task 0 line 1", "task 1 line 0", "task 1 line 1", "task 2 line 0", "task 2 line 1"]);
      assert.equal(logs[2].taskRunId, tasks[1].id);
      const artifacts = await store.listArtifacts(flowRunId);
      assert.equal(artifacts.length, 1);
      assert.equal(artifacts[0].data, "# Report");
    });

    test("storing the same events again changes nothing", async () => {
      const events = flowRunEvents({ tasks: 4 });
      await store.appendEvents(events);
      await store.appendEvents(events);
      await store.appendEvents(events.slice(3, 9));
      const flowRunId = events[0].flowRunId;
      assert.equal((await store.listTaskRuns(flowRunId)).length, 4);
      assert.equal((await store.listStates(flowRunId)).length, 3);
      assert.equal((await store.listLogs(flowRunId)).length, 4);
      assert.equal((await store.listArtifacts(flowRunId)).length, 1);
    });

    test("a run created in one batch moves on in later batches; an older state never overwrites a newer one", async () => {
      const clock = new Clock();
      const events = flowRunEvents({ tasks: 1, clock, unfinished: true });
      await store.appendEvents(events.slice(0, 1));
      assert.equal((await store.getFlowRun(events[0].flowRunId))?.state.name, "Pending");
      await store.appendEvents(events.slice(1));
      assert.equal((await store.getFlowRun(events[0].flowRunId))?.state.name, "Running");
      const flowRunId = events[0].flowRunId;
      const late = clock.next();
      const early = "2020-01-01T00:00:00.000Z";
      await store.appendEvents([
        { kind: "state", id: randomUUID(), timestamp: late, flowRunId, runKind: "flow", runId: flowRunId, state: state("FAILED", "Failed", late, "boom") },
      ]);
      await store.appendEvents([
        { kind: "state", id: randomUUID(), timestamp: early, flowRunId, runKind: "flow", runId: flowRunId, state: state("RUNNING", "Running", early) },
      ]);
      const run = await store.getFlowRun(flowRunId);
      assert.equal(run?.state.name, "Failed");
      assert.equal(run?.state.message, "boom");
    });

    test("flow runs list newest first, by flow and by state type, up to a limit", async () => {
      const clock = new Clock(Date.parse("2030-01-01T00:00:00.000Z"));
      const flowName = `listing-${randomUUID().slice(0, 8)}`;
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) {
        const events = flowRunEvents({ flowName, tasks: 0, clock, unfinished: i % 2 === 0 });
        ids.push(events[0].flowRunId);
        await store.appendEvents(events);
      }
      const runs = await store.listFlowRuns({ flowName });
      assert.deepEqual(runs.map((r) => r.id), [...ids].reverse());
      assert.deepEqual((await store.listFlowRuns({ flowName, limit: 2 })).map((r) => r.id), [ids[4], ids[3]]);
      const running = await store.listFlowRuns({ flowName, stateTypes: ["RUNNING"] });
      assert.deepEqual(running.map((r) => r.id), [ids[4], ids[2], ids[0]]);
      assert.equal(await store.getFlowRun("no-such-run"), undefined);
    });

    test("artifacts by key return the latest; updates replace the data", async () => {
      const key = `key-${randomUUID().slice(0, 8)}`;
      const clock = new Clock(Date.parse("2031-01-01T00:00:00.000Z"));
      const first = flowRunEvents({ tasks: 0, clock, artifactKey: key });
      const second = flowRunEvents({ tasks: 0, clock, artifactKey: key });
      await store.appendEvents(first);
      await store.appendEvents(second);
      const latest = await store.getArtifactByKey(key);
      assert.equal(latest?.flowRunId, second[0].flowRunId);
      const at = clock.next();
      await store.appendEvents([{ kind: "artifact-updated", id: randomUUID(), timestamp: at, flowRunId: latest!.flowRunId, artifactId: latest!.id, data: { progress: 50 } }]);
      assert.deepEqual((await store.getArtifactByKey(key))?.data, { progress: 50 });
      assert.equal(await store.getArtifactByKey("no-such-key"), undefined);
    });

    test("cancellation requests and heartbeats", async () => {
      const events = flowRunEvents({ tasks: 0, unfinished: true });
      const other = flowRunEvents({ tasks: 0, unfinished: true });
      await store.appendEvents([...events, ...other]);
      const id = events[0].flowRunId;
      await store.requestCancellation(id);
      assert.deepEqual(await store.cancellationRequests([id, other[0].flowRunId]), [id]);
      assert.deepEqual(await store.cancellationRequests([]), []);
      const before = (await store.getFlowRun(id))!.heartbeatAt;
      await store.heartbeat([id]);
      assert.notEqual((await store.getFlowRun(id))!.heartbeatAt, before);
      assert.equal(await store.isFlowRunAlive(id), true, "this process runs it");
      assert.equal(await store.isFlowRunAlive(randomUUID()), false);
    });

    test("the results cache keeps entries until they expire", async () => {
      const key = randomUUID();
      assert.equal(await store.readCache(key), undefined);
      await store.writeCache({ key, value: "v1", taskRunId: "t", flowRunId: "f", expiresAt: null });
      await store.writeCache({ key, value: "v2", taskRunId: "t", flowRunId: "f", expiresAt: null });
      assert.equal((await store.readCache(key))?.value, "v2");
      const expired = randomUUID();
      await store.writeCache({ key: expired, value: "old", taskRunId: "t", flowRunId: "f", expiresAt: "2000-01-01T00:00:00.000Z" });
      assert.equal(await store.readCache(expired), undefined);
    });

    test("variables and secrets", async () => {
      await store.setVariable("answer", { value: 42 });
      await store.setVariable("answer", { value: 43 });
      await store.setVariable("greeting", "hi");
      assert.deepEqual(await store.getVariable("answer"), { value: 43 });
      assert.deepEqual(await store.listVariables(), [{ name: "answer", value: { value: 43 } }, { name: "greeting", value: "hi" }]);
      assert.equal(await store.unsetVariable("answer"), true);
      assert.equal(await store.unsetVariable("answer"), false);
      assert.equal(await store.getVariable("answer"), undefined);
      await store.setSecret("token", "v1:cipher");
      assert.equal(await store.getSecret("token"), "v1:cipher");
      assert.deepEqual(await store.listSecretNames(), ["token"]);
      assert.equal(await store.unsetSecret("token"), true);
      assert.equal(await store.getSecret("token"), undefined);
    });

    test("concurrency limits grant slots up to the limit, all names or none", async () => {
      await store.upsertConcurrencyLimit("db", 2);
      await store.upsertConcurrencyLimit("api", 1);
      const holderPid = process.pid;
      const first = await store.tryAcquireLeases({ names: ["db", "api"], slots: 1, holderPid, decaying: false });
      assert.equal(first.acquired, true);
      const blocked = await store.tryAcquireLeases({ names: ["db", "api"], slots: 1, holderPid, decaying: false });
      assert.deepEqual(blocked, { acquired: false, missing: [], full: ["api"] });
      const missing = await store.tryAcquireLeases({ names: ["db", "nope"], slots: 1, holderPid, decaying: false });
      assert.deepEqual(missing, { acquired: false, missing: ["nope"], full: [] });
      const limits = await store.listConcurrencyLimits();
      assert.deepEqual(limits.map((l) => [l.name, l.limit, l.activeSlots]), [["api", 1, 1], ["db", 2, 1]]);
      if (first.acquired) await store.releaseLeases(first.leaseIds);
      assert.ok((await store.listConcurrencyLimits()).every((l) => l.activeSlots === 0));
      assert.equal(await store.deleteConcurrencyLimit("api"), true);
      assert.equal(await store.deleteConcurrencyLimit("api"), false);
    });

    test("rate limits: decaying leases are not released, they expire", async () => {
      await store.upsertConcurrencyLimit("rate", 1, 1000);
      const lease = await store.tryAcquireLeases({ names: ["rate"], slots: 1, holderPid: process.pid, decaying: true });
      assert.equal(lease.acquired, true);
      if (lease.acquired) await store.releaseLeases(lease.leaseIds);
      // 1 slot at 1000 slots/s decays in 1 ms.
      await new Promise((resolve) => setTimeout(resolve, 20));
      const again = await store.tryAcquireLeases({ names: ["rate"], slots: 1, holderPid: process.pid, decaying: true });
      assert.equal(again.acquired, true);
    });
  });
}
