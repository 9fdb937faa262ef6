// The task activity feed (extension/decorations/task-activity-feed.ts) against a stand-in connection that records
// every API call: it reads nothing and follows nothing until something shows a task (or a run starts), it reads the
// latest runs once the live stream is connected, and it reads one state history per task shown, not one per task
// run, so a task mapped over many inputs costs one request; a deleted flow run gives way to the run before it.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { ApiClient } from "../../../../client/api-client.ts";
import type { FollowOptions } from "../../../../client/event-stream.ts";
import { flowRunsApi } from "../../../../protocol/api/flow-runs.ts";
import { logsApi } from "../../../../protocol/api/logs.ts";
import { taskRunsApi } from "../../../../protocol/api/task-runs.ts";
import type { State } from "../../../../protocol/states.ts";
import { summarize, TaskActivityTracker, type TaskActivity } from "../../../../extension/decorations/task-activity.ts";
import { TaskActivityFeed } from "../../../../extension/decorations/task-activity-feed.ts";

const at = (second: number) => `2026-11-30T10:00:${String(second).padStart(2, "0")}.000Z`;
const completed: State = { type: "COMPLETED", name: "Completed", timestamp: at(9) };

/** One flow run with `mapped` runs of the task `load` and one of `report`, both defined in flows/etl.ts. */
function taskRuns(mapped: number, flowRunId = "f1") {
  const run = (id: string, taskName: string, line: number) => ({
    id: flowRunId === "f1" ? id : `${flowRunId}-${id}`,
    flowRunId,
    name: `${taskName}-${id}`,
    taskName,
    taskKey: `${taskName}@flows/etl.ts:${line}:14`,
    dynamicKey: 0,
    upstream: [],
    tags: [],
    source: { file: "flows/etl.ts", line, column: 14 },
    createdAt: at(1),
    state: completed,
    result: null,
  });
  return [...Array.from({ length: mapped }, (_, i) => run(`load${i}`, "load", 3)), run("report0", "report", 9)];
}

/** `flowRuns`: the flow runs the store holds, newest first (a test deletes some). */
function standIn(mapped: number, flowRuns = ["f1"]) {
  const calls: { route: string; id?: string }[] = [];
  let follow: FollowOptions | undefined;
  const client = {
    async call(route: unknown, request: { params?: { id: string } }) {
      const id = request?.params?.id;
      if (route === flowRunsApi.list) {
        calls.push({ route: "flow runs" });
        return { flowRuns: flowRuns.map((flowRunId) => ({ id: flowRunId })) };
      }
      if (route === taskRunsApi.list) {
        calls.push({ route: "task runs", id });
        return { taskRuns: taskRuns(mapped, id) };
      }
      if (route === logsApi.list) {
        calls.push({ route: "logs", id });
        return { logs: [], total: 0, offset: 0 };
      }
      if (route === flowRunsApi.states) {
        calls.push({ route: "history", id });
        return {
          states: [
            { id: "s1", runId: id, type: "PENDING", name: "Pending", timestamp: at(1) },
            { id: "s2", runId: id, type: "RUNNING", name: "Running", timestamp: at(4) },
            { id: "s3", runId: id, ...completed },
          ],
        };
      }
      throw new Error("unexpected call");
    },
  } as unknown as ApiClient;
  const connection = {
    withClient: <T>(use: (c: ApiClient) => Promise<T>) => use(client),
    follow(options: FollowOptions) {
      follow = options;
      return { lastEventId: undefined, close: () => undefined, done: Promise.resolve() };
    },
  };
  const changes: TaskActivity[][] = [];
  const tracker = new TaskActivityTracker();
  const feed = new TaskActivityFeed({
    connection,
    tracker,
    onChange: (changed) => changes.push(changed),
    onError: (message) => assert.fail(message),
  });
  return { feed, tracker, calls, changes, follow: () => follow };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 10));

test("nothing is read or followed before a task is shown; then one history per task shown, however many runs", async () => {
  const { feed, tracker, calls, follow } = standIn(50);
  await settle();
  assert.equal(follow(), undefined, "not following at first");
  assert.deepEqual(calls, []);

  feed.show([{ file: "/ws/flows/etl.ts", name: "load" }]);
  assert.ok(follow(), "following once a task is shown");
  await settle();
  assert.deepEqual(calls, [], "the latest runs are read once the stream is connected");
  follow()!.onConnect!();
  await settle();
  assert.deepEqual(calls, [
    { route: "flow runs" },
    { route: "task runs", id: "f1" },
    { route: "logs", id: "f1" },
    { route: "history", id: "load49" },
  ]);
  const load = tracker.find("/ws/flows/etl.ts", "load")!;
  assert.equal(load.runs.size, 50);
  assert.equal(load.runs.get("load49")?.startedAt, at(4));
  assert.equal(tracker.find("/ws/flows/etl.ts", "report")?.runs.get("report0")?.startedAt, undefined, "not shown");

  // Shown again, or after a reconnection that resumed: nothing more is read.
  feed.show([{ file: "/ws/flows/etl.ts", name: "load" }]);
  follow()!.onConnect!();
  await settle();
  assert.equal(calls.length, 4);
});

test("a task shown later gets its history then; the single run's duration shows", async () => {
  const { feed, tracker, calls, changes, follow } = standIn(1);
  feed.start();
  follow()!.onConnect!();
  await settle();
  assert.deepEqual(
    calls.map((call) => call.route),
    ["flow runs", "task runs", "logs"],
    "no history while nothing is shown",
  );
  changes.length = 0;
  feed.show([{ file: "/ws/flows/etl.ts", name: "report" }]);
  await settle();
  assert.deepEqual(calls.at(-1), { route: "history", id: "report0" });
  assert.equal(changes.length, 1, "the editor is told the task's runs changed");
  const report = tracker.find("/ws/flows/etl.ts", "report")!;
  assert.equal(summarize(report).text, "Completed 5.0 s");
});

test("a deleted flow run stops being its tasks' latest: they show the run before it, read again once", async () => {
  const flowRuns = ["f1", "f0"];
  const { feed, tracker, calls, changes, follow } = standIn(1, flowRuns);
  feed.start();
  follow()!.onConnect!();
  await settle();
  assert.equal(tracker.find("/ws/flows/etl.ts", "load")?.flowRunId, "f1");
  const reads = calls.filter((call) => call.route === "flow runs").length;

  flowRuns.shift();
  changes.length = 0;
  follow()!.onDeleted!("f1", "e1");
  follow()!.onDeleted!("f-unknown", "e2");
  assert.equal(tracker.find("/ws/flows/etl.ts", "load"), undefined, "the deleted run is not shown meanwhile");
  assert.deepEqual(
    changes[0].map((activity) => activity.task.name).sort(),
    ["load", "report"],
    "the editor is told at once",
  );
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.equal(tracker.find("/ws/flows/etl.ts", "load")?.flowRunId, "f0", "the run before it");
  assert.equal(calls.filter((call) => call.route === "flow runs").length, reads + 1, "read again once");
});
