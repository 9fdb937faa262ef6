// The embedded SQLite store: migrations, idempotent replays, batching, and readers in other connections.
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { DatabaseSync } from "node:sqlite";
import { describe, test } from "node:test";
import type { RunEvent } from "../../../protocol/run-events.ts";
import { SqliteStore } from "../../../store/sqlite/sqlite-store.ts";
import { MIGRATIONS } from "../../../store/sqlite/migrations.ts";
import { flow, task, flushEvents } from "../../../engine/index.ts";
import { makeState } from "../../../engine/states.ts";
import { useHarness } from "./helpers.ts";

const harness = useHarness();

function tempStore(): SqliteStore {
  return new SqliteStore(path.join(fs.mkdtempSync(path.join(os.tmpdir(), "skein-store-")), "skein.db"));
}

function runEvents(): RunEvent[] {
  const pending = makeState("Pending");
  const running = makeState("Running");
  const completed = makeState("Completed");
  return [
    {
      kind: "flow-run-created",
      id: "e1",
      timestamp: pending.timestamp,
      flowRunId: "f1",
      name: "n",
      flowName: "fl",
      parameters: {},
      tags: [],
      pid: process.pid,
      state: pending,
    },
    {
      kind: "task-run-created",
      id: "e2",
      timestamp: pending.timestamp,
      flowRunId: "f1",
      taskRunId: "t1",
      name: "t-0",
      taskName: "t",
      taskKey: "t",
      dynamicKey: 0,
      upstream: [],
      tags: [],
      state: pending,
    },
    {
      kind: "state",
      id: "e3",
      timestamp: running.timestamp,
      flowRunId: "f1",
      runKind: "task",
      runId: "t1",
      state: running,
    },
    {
      kind: "log",
      id: "e4",
      timestamp: running.timestamp,
      flowRunId: "f1",
      taskRunId: "t1",
      level: "info",
      logger: "x",
      message: "hi",
    },
    {
      kind: "state",
      id: "e5",
      timestamp: completed.timestamp,
      flowRunId: "f1",
      runKind: "task",
      runId: "t1",
      state: completed,
      result: "42",
    },
  ];
}

describe("sqlite store", () => {
  test("migrates to the latest schema version once", async () => {
    const store = tempStore();
    const file = store.location;
    await store.close();
    const reopened = new SqliteStore(file);
    await reopened.close();
    const db = new DatabaseSync(file);
    const versions = (
      db.prepare("SELECT version FROM schema_version ORDER BY version").all() as { version: number }[]
    ).map((r) => r.version);
    db.close();
    assert.deepEqual(
      versions,
      MIGRATIONS.map((_, i) => i + 1),
    );
  });

  test("replaying events never duplicates them, in one batch or split across batches", async () => {
    const store = tempStore();
    const events = runEvents();
    await store.appendEvents(events);
    await store.appendEvents(events);
    for (const event of events) await store.appendEvents([event]);
    const [taskRun] = await store.listTaskRuns("f1");
    assert.equal(taskRun.state.name, "Completed");
    assert.equal(taskRun.result, "42");
    assert.deepEqual(
      (await store.listStates("t1")).map((s) => [s.id, s.name]),
      [
        ["e2", "Pending"],
        ["e3", "Running"],
        ["e5", "Completed"],
      ],
    );
    assert.equal((await store.listLogs("f1")).length, 1);
    assert.equal((await store.listStates("f1")).length, 1);
    await store.close();

    const split = tempStore();
    await split.appendEvents(events.slice(0, 2));
    await split.appendEvents(events.slice(2));
    await split.appendEvents(events.slice(2));
    assert.deepEqual(
      (await split.listStates("t1")).map((s) => s.name),
      ["Pending", "Running", "Completed"],
    );
    await split.close();
  });

  test("another connection sees a flow run while it runs", async () => {
    let seenByReader: string | undefined;
    const peek = task({ name: "peek" }, async () => {
      await flushEvents();
      const reader = new DatabaseSync(path.join(harness.current.home, "skein.db"), { readOnly: true });
      seenByReader = (
        reader.prepare("SELECT state_name FROM flow_runs WHERE flow_name = 'visible'").get() as { state_name: string }
      ).state_name;
      reader.close();
    });
    await flow({ name: "visible" }, async () => peek())();
    assert.equal(seenByReader, "Running");
  });

  test("writes are batched: a flow's events reach the store by its end, not one transaction each", async () => {
    const t = task({ name: "tiny" }, (i: number) => i);
    await flow({ name: "batched" }, async () => {
      for (let i = 0; i < 50; i++) await t(i);
    })();
    const [run] = await harness.current.flowRuns("batched");
    assert.equal((await harness.current.taskRuns(run.id)).length, 50);
  });
});
