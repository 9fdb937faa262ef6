import assert from "node:assert/strict";
import { test } from "node:test";
import type { RunEvent } from "../../../../protocol/run-events.ts";
import type { State } from "../../../../protocol/states.ts";
import { formatTaskKey } from "../../../../protocol/task-keys.ts";
import { TaskActivityTracker, RECENT_LOGS, summarize } from "../../../../extension/decorations/task-activity.ts";

const t0 = Date.parse("2026-11-30T10:00:00.000Z");
const at = (ms: number) => new Date(t0 + ms).toISOString();
let nextId = 0;
const id = () => `e${nextId++}`;

/** A task run of the task `taskName` defined at flows/etl.ts:3:14 (nowhere the engine could see, when unsited). */
function created(flowRunId: string, taskRunId: string, name = "load-0", taskName = "load", sited = true): RunEvent {
  const site = sited ? { file: "flows/etl.ts", line: 3, column: 14 } : undefined;
  return {
    kind: "task-run-created",
    id: id(),
    timestamp: at(0),
    flowRunId,
    taskRunId,
    name,
    taskName,
    taskKey: formatTaskKey({ name: taskName, site }),
    dynamicKey: 0,
    upstream: [],
    tags: [],
    source: site,
    state: { type: "PENDING", name: "Pending", timestamp: at(0) },
  };
}
function state(flowRunId: string, runId: string, type: State["type"], name: State["name"], ms: number): RunEvent {
  return {
    kind: "state",
    id: id(),
    timestamp: at(ms),
    flowRunId,
    runKind: "task",
    runId,
    state: { type, name, timestamp: at(ms) },
  };
}
function log(flowRunId: string, taskRunId: string, message: string): RunEvent {
  return { kind: "log", id: id(), timestamp: at(5), flowRunId, taskRunId, level: "info", logger: "task", message };
}

test("the latest run of a task, by where it is defined: state, duration and last log line", () => {
  const tracker = new TaskActivityTracker();
  const changed = tracker.apply([
    created("f1", "t1"),
    state("f1", "t1", "RUNNING", "Running", 1000),
    log("f1", "t1", "loaded 3 rows\nsecond line"),
    state("f1", "t1", "COMPLETED", "Completed", 3500),
  ]);
  assert.equal(changed.length, 1);
  const activity = tracker.find("/home/me/project/flows/etl.ts", "load");
  assert.ok(activity);
  assert.equal(summarize(activity).text, "Completed 2.5 s · loaded 3 rows");
  assert.equal(summarize(activity).stateType, "COMPLETED");
  assert.equal(tracker.find("/home/me/project/flows/other.ts", "load"), undefined);
  assert.equal(tracker.find("/home/me/project/flows/etl.ts", "extract"), undefined);

  // A later flow run replaces it; events of the older run's task runs no longer change what is shown.
  tracker.apply([created("f2", "t2"), state("f2", "t2", "RUNNING", "Running", 0)]);
  assert.deepEqual(tracker.apply([state("f1", "t1", "FAILED", "Failed", 9000)]), []);
  assert.match(summarize(tracker.find("flows/etl.ts", "load")!, t0 + 2000).text, /^Running 2\.0 s$/);
});

test("a mapped task's runs in one flow run are counted together, the worst state colours them, logs are bounded", () => {
  const tracker = new TaskActivityTracker();
  const events: RunEvent[] = [];
  for (let i = 0; i < 5; i++) events.push(created("f", `t${i}`, `load-${i}`));
  for (let i = 0; i < 4; i++) events.push(state("f", `t${i}`, "COMPLETED", "Completed", 10));
  events.push(state("f", "t4", "FAILED", "Failed", 10));
  for (let i = 0; i < RECENT_LOGS + 5; i++) events.push(log("f", "t0", `line ${i}`));
  tracker.apply(events);
  const activity = tracker.find("flows/etl.ts", "load")!;
  assert.deepEqual(summarize(activity), {
    text: `5 runs: 4 Completed, 1 Failed · line ${RECENT_LOGS + 4}`,
    stateType: "FAILED",
  });
  assert.equal(activity.recentLogs.length, RECENT_LOGS);
});

test("a task run without a definition site is not tracked", () => {
  const tracker = new TaskActivityTracker();
  assert.deepEqual(tracker.apply([created("f", "t", "x-0", "x", false)]), []);
});

test("a task is found by the name its task runs carry, whatever its key holds (a name with @ in it)", () => {
  const tracker = new TaskActivityTracker();
  // The key reads "notify@slack@flows/etl.ts:3:14": split at its first @ it would name a task "notify".
  tracker.apply([created("f", "t", "slack-message", "notify@slack"), state("f", "t", "COMPLETED", "Completed", 10)]);
  assert.equal(tracker.find("flows/etl.ts", "notify"), undefined);
  assert.equal(tracker.find("/ws/flows/etl.ts", "notify@slack")?.runs.get("t")?.name, "slack-message");
});
