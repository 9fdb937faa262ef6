// One contract for every Store: the embedded SQLite store, the PostgreSQL store, and the HttpStore talking to a
// server (over SQLite and over PostgreSQL). The engine relies on exactly these behaviours, whichever backend.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { HttpStore } from "../../../store/http/http-store.ts";
import type { TaskRunInputsEvent } from "../../../protocol/run-events.ts";
import type { Store } from "../../../store/types.ts";
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

const SUBJECTS: Subject[] = [
  sqliteBackend,
  postgresBackend,
  throughServer(sqliteBackend),
  throughServer(postgresBackend),
];

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
      assert.deepEqual(
        tasks.map((t) => t.name),
        ["extract-0", "extract-1", "extract-2"],
      );
      assert.ok(tasks.every((t) => t.state.type === "COMPLETED"));
      assert.equal(tasks[1].result, JSON.stringify({ value: 1 }));
      assert.deepEqual(await store.getTaskRun(tasks[1].id), tasks[1], "a task run is found by its id alone");
      assert.equal(await store.getTaskRun(randomUUID()), undefined);
      assert.deepEqual(
        (await store.listStates(tasks[0].id)).map((s) => s.name),
        ["Pending", "Running", "Completed"],
      );
      assert.deepEqual(
        (await store.listStates(flowRunId)).map((s) => s.name),
        ["Pending", "Running", "Completed"],
      );
      const logs = await store.listLogs(flowRunId);
      assert.deepEqual(
        logs.map((l) => l.message),
        ["task 0 line 0", "task 0 line 1", "task 1 line 0", "task 1 line 1", "task 2 line 0", "task 2 line 1"],
      );
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

    test("a task run keeps its task's source site, on its own and in lists; without one it is null", async () => {
      const events = flowRunEvents({ tasks: 2 });
      const created = events.filter((event) => event.kind === "task-run-created");
      const site = { file: "flows/etl.ts", line: 3, column: 24, absoluteFile: "/home/me/project/flows/etl.ts" };
      created[0].source = site;
      await store.appendEvents(events);
      const [withSite, without] = [created[0].taskRunId, created[1].taskRunId];
      assert.deepEqual((await store.getTaskRun(withSite))?.source, site);
      assert.equal((await store.getTaskRun(without))?.source, null);
      const listed = await store.listTaskRuns(events[0].flowRunId);
      assert.deepEqual(listed.find((run) => run.id === withSite)?.source, site);
    });

    test("a task run keeps its task's name, apart from its own name and its key", async () => {
      const events = flowRunEvents({ tasks: 1 });
      const [created] = events.filter((event) => event.kind === "task-run-created");
      created.taskName = "notify@slack";
      await store.appendEvents(events);
      const stored = await store.getTaskRun(created.taskRunId);
      assert.equal(stored?.taskName, "notify@slack");
      assert.equal(stored?.name, created.name);
      assert.equal((await store.listTaskRuns(events[0].flowRunId))[0].taskName, "notify@slack");
    });

    test("a task run's recorded inputs: in its batch, in a later one, or resent; read alone, never in lists", async () => {
      const events = flowRunEvents({ tasks: 4 });
      const [a, b, c, d] = events.filter((event) => event.kind === "task-run-created").map((e) => e.taskRunId);
      const flowRunId = events[0].flowRunId;
      const inputs = (
        taskRunId: string,
        fields: { inputs?: string; notStoredReason?: string },
      ): TaskRunInputsEvent => ({
        kind: "task-run-inputs",
        id: `${taskRunId}.inputs`,
        timestamp: new Date().toISOString(),
        flowRunId,
        taskRunId,
        ...fields,
      });
      const sameBatch = inputs(a, { inputs: JSON.stringify({ rows: [1, 2], day: "mon" }) });
      const later = inputs(b, { notStoredReason: "they hold a secret value" });
      const resent = inputs(c, { inputs: "{}" });
      const created = events.filter((event) => event.kind === "task-run-created");
      await store.appendEvents([...events, sameBatch]);
      await store.appendEvents([later]);
      await store.appendEvents([...created, resent]); // the created rows are stored already
      assert.deepEqual(await store.getTaskRunInputs(a), {
        taskRunId: a,
        inputs: sameBatch.inputs,
        notStoredReason: null,
      });
      assert.deepEqual(await store.getTaskRunInputs(b), {
        taskRunId: b,
        inputs: null,
        notStoredReason: later.notStoredReason,
      });
      assert.deepEqual(await store.getTaskRunInputs(c), { taskRunId: c, inputs: "{}", notStoredReason: null });
      assert.deepEqual(await store.getTaskRunInputs(d), { taskRunId: d, inputs: null, notStoredReason: null });
      assert.equal(await store.getTaskRunInputs(randomUUID()), undefined);
      await store.appendEvents([sameBatch, later]);
      assert.equal((await store.getTaskRunInputs(a))?.inputs, sameBatch.inputs, "a replay changes nothing");
      for (const run of [await store.getTaskRun(a), ...(await store.listTaskRuns(flowRunId))]) {
        assert.ok(run && !("inputs" in run) && !("history" in run), "records carry neither inputs nor history");
      }
    });

    test("a created event replayed in a batch with new states of its run keeps those states", async () => {
      // A client that resends a batch the store already took may send it with newer events (HttpStore's retries):
      // the created rows are stored already, and the states folded into them must still be applied.
      const events = flowRunEvents({ tasks: 2 });
      const created = events.filter((event) => event.kind === "flow-run-created" || event.kind === "task-run-created");
      await store.appendEvents(created);
      await store.appendEvents(events);
      const flowRunId = events[0].flowRunId;
      assert.equal((await store.getFlowRun(flowRunId))?.state.name, "Completed");
      const taskRuns = await store.listTaskRuns(flowRunId);
      assert.deepEqual(
        taskRuns.map((run) => run.state.name),
        ["Completed", "Completed"],
      );
      for (const run of taskRuns) {
        assert.deepEqual(
          (await store.listStates(run.id)).map((s) => s.name),
          ["Pending", "Running", "Completed"],
        );
      }
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
        {
          kind: "state",
          id: randomUUID(),
          timestamp: late,
          flowRunId,
          runKind: "flow",
          runId: flowRunId,
          state: state("FAILED", "Failed", late, "boom"),
        },
      ]);
      await store.appendEvents([
        {
          kind: "state",
          id: randomUUID(),
          timestamp: early,
          flowRunId,
          runKind: "flow",
          runId: flowRunId,
          state: state("RUNNING", "Running", early),
        },
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
      assert.deepEqual(
        runs.map((r) => r.id),
        [...ids].reverse(),
      );
      assert.deepEqual(
        (await store.listFlowRuns({ flowName, limit: 2 })).map((r) => r.id),
        [ids[4], ids[3]],
      );
      const running = await store.listFlowRuns({ flowName, stateTypes: ["RUNNING"] });
      assert.deepEqual(
        running.map((r) => r.id),
        [ids[4], ids[2], ids[0]],
      );
      assert.equal(await store.getFlowRun("no-such-run"), undefined);
    });

    test("flows count every run, most recently run first; subflow runs list by their parent", async () => {
      const clock = new Clock(Date.parse("2034-01-01T00:00:00.000Z"));
      const tag = randomUUID().slice(0, 8);
      const parent = flowRunEvents({ flowName: `parent-${tag}`, tasks: 1, clock });
      const parentTask = parent.find((event) => event.kind === "task-run-created")!;
      const parentRef = {
        flowRunId: parent[0].flowRunId,
        taskRunId: parentTask.kind === "task-run-created" ? parentTask.taskRunId : "",
      };
      const children = [0, 1].map(() =>
        flowRunEvents({ flowName: `child-${tag}`, tasks: 0, clock, parent: parentRef }),
      );
      await store.appendEvents([...parent, ...children.flat()]);
      const flows = (await store.listFlows()).filter((flow) => flow.name.endsWith(tag));
      assert.deepEqual(
        flows.map((flow) => [flow.name, flow.runCount]),
        [
          [`child-${tag}`, 2],
          [`parent-${tag}`, 1],
        ],
      );
      assert.equal(flows[0].lastRunAt, children[1][0].timestamp);
      const subflows = await store.listFlowRuns({ parentFlowRunId: parentRef.flowRunId });
      assert.deepEqual(
        subflows.map((run) => [run.id, run.parentTaskRunId]),
        children.map((events) => [events[0].flowRunId, parentRef.taskRunId]).reverse(),
      );
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
      await store.appendEvents([
        {
          kind: "artifact-updated",
          id: randomUUID(),
          timestamp: at,
          flowRunId: latest!.flowRunId,
          artifactId: latest!.id,
          data: { progress: 50 },
        },
      ]);
      assert.deepEqual((await store.getArtifactByKey(key))?.data, { progress: 50 });
      assert.equal(await store.getArtifactByKey("no-such-key"), undefined);
    });

    test("a key's history lists its artifacts across runs, newest first, with each run's name", async () => {
      const key = `history-${randomUUID().slice(0, 8)}`;
      const clock = new Clock(Date.parse("2031-06-01T00:00:00.000Z"));
      const runs = [0, 1, 2].map(() => flowRunEvents({ tasks: 0, clock, artifactKey: key }));
      for (const events of runs) await store.appendEvents(events);
      await store.appendEvents(flowRunEvents({ tasks: 0, clock, artifactKey: `other-${key}` }));
      const history = await store.listArtifactsByKey(key, 10);
      assert.deepEqual(
        history.map((artifact) => artifact.flowRunId),
        runs.map((events) => events[0].flowRunId).reverse(),
      );
      const names = runs.map((events) => (events[0] as { name?: string }).name).reverse();
      assert.deepEqual(
        history.map((artifact) => artifact.flowRunName),
        names,
      );
      assert.ok(history.every((artifact) => artifact.key === key && artifact.data !== undefined));
      assert.deepEqual(
        (await store.listArtifactsByKey(key, 2)).map((artifact) => artifact.id),
        history.slice(0, 2).map((artifact) => artifact.id),
      );
      assert.deepEqual(await store.listArtifactsByKey("no-such-key", 10), []);
    });

    test("deleting a flow run deletes what it owns, its cache entries, and only that", async () => {
      const clock = new Clock(Date.parse("2032-01-01T00:00:00.000Z"));
      const key = `deleted-${randomUUID().slice(0, 8)}`;
      const doomed = flowRunEvents({ tasks: 2, logsPerTask: 1, clock, artifactKey: key });
      const kept = flowRunEvents({ tasks: 1, clock });
      const id = doomed[0].flowRunId;
      const subflow = flowRunEvents({ tasks: 0, clock });
      const [parentTask] = doomed.flatMap((event) => (event.kind === "task-run-created" ? [event.taskRunId] : []));
      subflow[0] = { ...subflow[0], parentFlowRunId: id, parentTaskRunId: parentTask } as (typeof subflow)[0];
      await store.appendEvents([...doomed, ...kept, ...subflow]);
      const [taskRun] = await store.listTaskRuns(id);
      const [artifact] = await store.listArtifacts(id);
      assert.deepEqual(await store.getArtifact(artifact.id), artifact);
      const cacheKey = randomUUID();
      await store.writeCache({ key: cacheKey, value: "v", taskRunId: taskRun.id, flowRunId: id, expiresAt: null });

      assert.equal(await store.deleteFlowRun(id), true);
      assert.equal(await store.getFlowRun(id), undefined);
      assert.deepEqual(await store.listTaskRuns(id), []);
      assert.deepEqual(await store.listStates(id), []);
      assert.deepEqual(await store.listStates(taskRun.id), []);
      assert.deepEqual(await store.listLogs(id), []);
      assert.deepEqual(await store.listArtifacts(id), []);
      assert.equal(await store.getArtifact(artifact.id), undefined);
      assert.equal(await store.getArtifactByKey(key), undefined);
      assert.equal(await store.readCache(cacheKey), undefined);
      const child = await store.getFlowRun(subflow[0].flowRunId);
      assert.deepEqual(
        [child?.parentFlowRunId, child?.parentTaskRunId],
        [null, null],
        "the subflow run stays, unlinked",
      );
      assert.equal((await store.listTaskRuns(kept[0].flowRunId)).length, 1, "other runs keep their records");
      assert.equal((await store.listLogs(kept[0].flowRunId)).length, 1);
      assert.equal(await store.deleteFlowRun(id), false);
    });

    test("flow runs list by creation time for retention", async () => {
      const flowName = `retention-${randomUUID().slice(0, 8)}`;
      const old = flowRunEvents({ flowName, tasks: 0, clock: new Clock(Date.parse("2001-01-01T00:00:00.000Z")) });
      const recent = flowRunEvents({ flowName, tasks: 0, clock: new Clock(Date.parse("2033-01-01T00:00:00.000Z")) });
      await store.appendEvents([...old, ...recent]);
      const before = await store.listFlowRuns({ flowName, createdBefore: "2020-01-01T00:00:00.000Z" });
      assert.deepEqual(
        before.map((run) => run.id),
        [old[0].flowRunId],
      );
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
      await store.writeCache({
        key: expired,
        value: "old",
        taskRunId: "t",
        flowRunId: "f",
        expiresAt: "2000-01-01T00:00:00.000Z",
      });
      assert.equal(await store.readCache(expired), undefined);
    });

    test("variables and secrets", async () => {
      await store.setVariable("answer", { value: 42 });
      await store.setVariable("answer", { value: 43 });
      await store.setVariable("greeting", "hi");
      assert.deepEqual(await store.getVariable("answer"), { value: 43 });
      assert.deepEqual(await store.listVariables(), [
        { name: "answer", value: { value: 43 } },
        { name: "greeting", value: "hi" },
      ]);
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
      assert.deepEqual(
        limits.map((l) => [l.name, l.limit, l.activeSlots]),
        [
          ["api", 1, 1],
          ["db", 2, 1],
        ],
      );
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
    test("work pools: created with a default queue, unique by name, changed only where a patch says", async () => {
      const name = `pool-${randomUUID().slice(0, 8)}`;
      const outcome = await store.createWorkPool({
        name,
        description: "batch jobs",
        baseJobTemplate: { env: { A: "1" } },
      });
      assert.ok("created" in outcome, JSON.stringify(outcome));
      const pool = outcome.created;
      assert.deepEqual(
        [pool.name, pool.type, pool.description, pool.paused, pool.concurrencyLimit, pool.baseJobTemplate],
        [name, "process", "batch jobs", false, null, { env: { A: "1" } }],
      );
      assert.deepEqual(await store.createWorkPool({ name, type: "docker" }), {
        refused: "duplicate",
        message: `a work pool named '${name}' already exists`,
      });
      assert.deepEqual(await store.getWorkPool(name), pool, "a refused create changes nothing");
      assert.deepEqual(
        (await store.listWorkQueues(name)).map((q) => [q.name, q.priority, q.paused, q.concurrencyLimit]),
        [["default", 1, false, null]],
      );
      assert.ok((await store.listWorkPools()).some((p) => p.name === name));

      const paused = await store.updateWorkPool(name, { paused: true, concurrencyLimit: 3 });
      assert.deepEqual([paused?.paused, paused?.concurrencyLimit, paused?.description], [true, 3, "batch jobs"]);
      const resumed = await store.updateWorkPool(name, { paused: false, concurrencyLimit: null });
      assert.deepEqual(
        [resumed?.paused, resumed?.concurrencyLimit, resumed?.baseJobTemplate],
        [false, null, { env: { A: "1" } }],
      );
      assert.deepEqual(await store.getWorkPool(name), resumed);
      assert.equal(await store.updateWorkPool("no-such-pool", { paused: true }), undefined);
      assert.equal(await store.getWorkPool("no-such-pool"), undefined);

      assert.equal(await store.deleteWorkPool(name), true);
      assert.equal(await store.getWorkPool(name), undefined);
      assert.deepEqual(await store.listWorkQueues(name), [], "the pool's queues go with it");
      assert.equal(await store.deleteWorkPool(name), false);
    });

    test("work queues: priority after the last unless given, unknown pools and taken names refused", async () => {
      const pool = `queues-${randomUUID().slice(0, 8)}`;
      await store.createWorkPool({ name: pool });
      const high = await store.createWorkQueue(pool, { name: "high", priority: 1, concurrencyLimit: 2 });
      const low = await store.createWorkQueue(pool, { name: "low", description: "whenever" });
      assert.ok("created" in high && "created" in low);
      assert.deepEqual(
        [low.created.workPoolName, low.created.priority, low.created.description],
        [pool, 2, "whenever"],
      );
      assert.deepEqual(
        (await store.listWorkQueues(pool)).map((q) => `${q.name}:${q.priority}`),
        ["default:1", "high:1", "low:2"],
      );
      assert.deepEqual(await store.createWorkQueue(pool, { name: "high" }), {
        refused: "duplicate",
        message: `work pool '${pool}' already has a work queue named 'high'`,
      });
      assert.deepEqual(await store.createWorkQueue("no-such-pool", { name: "q" }), {
        refused: "unknown-work-pool",
        message: "no work pool named 'no-such-pool'",
      });
      const changed = await store.updateWorkQueue(pool, "low", { paused: true, priority: 5 });
      assert.deepEqual([changed?.paused, changed?.priority, changed?.description], [true, 5, "whenever"]);
      assert.deepEqual(await store.getWorkQueue(pool, "low"), changed);
      assert.equal(await store.updateWorkQueue(pool, "nope", { paused: true }), undefined);
      assert.equal(await store.deleteWorkQueue(pool, "low"), true);
      assert.equal(await store.deleteWorkQueue(pool, "low"), false);
      assert.equal(await store.getWorkQueue(pool, "low"), undefined);
    });

    test("deployments: defaults, the pool's default queue, unique per flow, unknown pools and queues refused", async () => {
      const pool = `deploy-${randomUUID().slice(0, 8)}`;
      const flowName = `flow-${randomUUID().slice(0, 8)}`;
      await store.createWorkPool({ name: pool });
      const schedules = [{ cron: "0 3 * * *", timezone: "Europe/Paris", active: true, parameters: { date: "today" } }];
      const outcome = await store.createDeployment({
        name: "nightly",
        flowName,
        entrypoint: "flows/etl.ts:etl",
        parameters: { rows: 10 },
        schedules,
        workPoolName: pool,
        tags: ["etl"],
        concurrencyLimit: 1,
        collisionStrategy: "CANCEL_NEW",
        parameterSchema: { type: "object", properties: { rows: { type: "integer" }, date: { type: "string" } } },
      });
      assert.ok("created" in outcome, JSON.stringify(outcome));
      const nightly = outcome.created;
      assert.deepEqual(
        { ...nightly, id: undefined, createdAt: undefined, updatedAt: undefined },
        {
          id: undefined,
          name: "nightly",
          flowName,
          entrypoint: "flows/etl.ts:etl",
          description: null,
          parameters: { rows: 10 },
          parameterSchema: { type: "object", properties: { rows: { type: "integer" }, date: { type: "string" } } },
          enforceParameterSchema: true,
          schedules,
          workPoolName: pool,
          workQueueName: "default",
          jobVariables: {},
          tags: ["etl"],
          concurrencyLimit: 1,
          collisionStrategy: "CANCEL_NEW",
          paused: false,
          createdAt: undefined,
          updatedAt: undefined,
        },
      );
      assert.deepEqual(await store.getDeployment(nightly.id), nightly);
      assert.deepEqual(await store.getDeploymentByName(flowName, "nightly"), nightly);

      const local = await store.createDeployment({
        name: "adhoc",
        flowName,
        entrypoint: "flows/etl.ts:Pipelines.adhoc",
      });
      assert.ok("created" in local);
      assert.deepEqual(
        [local.created.workPoolName, local.created.workQueueName, local.created.collisionStrategy],
        [null, null, "ENQUEUE"],
      );
      const otherFlow = await store.createDeployment({
        name: "nightly",
        flowName: `${flowName}-other`,
        entrypoint: "flows/b.ts:b",
      });
      assert.ok("created" in otherFlow, "the same name under another flow is another deployment");

      assert.deepEqual(await store.createDeployment({ name: "nightly", flowName, entrypoint: "flows/etl.ts:etl" }), {
        refused: "duplicate",
        message: `flow '${flowName}' already has a deployment named 'nightly'`,
      });
      assert.deepEqual(
        await store.createDeployment({ name: "x", flowName, entrypoint: "a.ts:a", workPoolName: "no-such-pool" }),
        {
          refused: "unknown-work-pool",
          message: "no work pool named 'no-such-pool'",
        },
      );
      assert.deepEqual(
        await store.createDeployment({
          name: "x",
          flowName,
          entrypoint: "a.ts:a",
          workPoolName: pool,
          workQueueName: "gpu",
        }),
        {
          refused: "unknown-work-queue",
          message: `work pool '${pool}' has no work queue named 'gpu'`,
        },
      );
      assert.equal(await store.getDeploymentByName(flowName, "x"), undefined, "refused creates store nothing");

      assert.deepEqual(
        (await store.listDeployments({ flowName })).map((d) => d.name),
        ["adhoc", "nightly"],
      );
      assert.deepEqual(
        (await store.listDeployments({ workPoolName: pool })).map((d) => d.id),
        [nightly.id],
      );
      assert.ok((await store.listDeployments()).length >= 3);

      const paused = (
        await store.updateDeployment(nightly.id, { paused: true, tags: ["etl", "paused"], schedules: [] })
      )?.deployment;
      assert.deepEqual(
        [paused?.paused, paused?.tags, paused?.schedules, paused?.parameters],
        [true, ["etl", "paused"], [], { rows: 10 }],
      );
      assert.equal(await store.updateDeployment("no-such-id", { paused: true }), undefined);
      assert.deepEqual(await store.deleteDeployment(nightly.id), { deleted: true, deletedRunIds: [] });
      assert.deepEqual(await store.deleteDeployment(nightly.id), { deleted: false, deletedRunIds: [] });
      assert.equal(await store.getDeployment(nightly.id), undefined);
    });
  });
}
