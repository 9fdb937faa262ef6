import { test } from "node:test";
import assert from "node:assert/strict";
import { RunSessions } from "../../../../extension/runs/run-sessions.ts";
import type { RunEvent } from "../../../../protocol/run-events.ts";
import { fakeVscode } from "../../../fixtures/extension/fake-vscode.ts";

const at = "2026-11-21T09:00:00.000Z";
const state = (type: string, name: string) => ({ type, name, timestamp: at }) as never;
const base = (id: string, flowRunId: string) => ({ id, timestamp: at, flowRunId });

function flowCreated(id: string, flowRunId: string, parentFlowRunId?: string): RunEvent {
  return {
    ...base(id, flowRunId),
    kind: "flow-run-created",
    name: "brave-fox",
    flowName: "etl",
    parameters: {},
    tags: [],
    parentFlowRunId,
    pid: 1,
    state: state("PENDING", "Pending"),
  };
}
function taskCreated(id: string, flowRunId: string, taskRunId: string): RunEvent {
  return {
    ...base(id, flowRunId),
    kind: "task-run-created",
    taskRunId,
    name: "load",
    taskName: "load",
    taskKey: "load@/ws/etl.ts:1:1",
    dynamicKey: 0,
    upstream: [],
    tags: [],
    state: state("PENDING", "Pending"),
  };
}
function stateChanged(
  id: string,
  flowRunId: string,
  runKind: "flow" | "task",
  runId: string,
  type: string,
  name: string,
) {
  return { ...base(id, flowRunId), kind: "state", runKind, runId, state: state(type, name) } as RunEvent;
}

function setup() {
  const fake = fakeVscode();
  const opened: string[] = [];
  const routed: string[] = [];
  const sessions = new RunSessions({
    vscode: fake.api,
    views: { open: (id) => opened.push(id), addEvents: (events) => routed.push(...events.map((e) => e.id)) },
    showLogCommand: "skein.showOutput",
  });
  return { fake, opened, routed, sessions };
}

test("a session opens its run's view once, on the root flow run, and routes every event to the views", async () => {
  const { opened, routed, sessions } = setup();
  await sessions.track(
    "etl",
    () => undefined,
    async (session) => {
      session.addEvents([flowCreated("e1", "f1"), flowCreated("e2", "sub", "f1"), taskCreated("e3", "f1", "t1")]);
      session.addEvents([stateChanged("e4", "f1", "task", "t1", "COMPLETED", "Completed")]);
      assert.equal(session.rootFlowRunId, "f1");
    },
  );
  assert.deepEqual(opened, ["f1"]);
  assert.deepEqual(routed, ["e1", "e2", "e3", "e4"]);
});

test("the status bar shows the one run's task progress, then the count of runs, and hides when none run", async () => {
  const { fake, sessions } = setup();
  let finishFirst!: () => void;
  let finishSecond!: () => void;
  const first = sessions.track(
    "etl",
    () => undefined,
    async (session) => {
      session.addEvents([flowCreated("e1", "f1"), taskCreated("e2", "f1", "t1"), taskCreated("e3", "f1", "t2")]);
      session.addEvents([stateChanged("e4", "f1", "task", "t1", "COMPLETED", "Completed")]);
      await new Promise<void>((resolve) => (finishFirst = resolve));
    },
  );
  await Promise.resolve();
  assert.equal(fake.statusItem.visible, true);
  assert.match(fake.statusItem.text, /etl: 1\/2 tasks/);
  assert.deepEqual(fake.notifications[0].messages, ["1/2 tasks"]);
  const second = sessions.track(
    "report",
    () => undefined,
    () => new Promise<void>((r) => (finishSecond = r)),
  );
  assert.match(fake.statusItem.text, /2 Skein runs/);
  assert.equal(sessions.active().length, 2);
  finishFirst();
  await first;
  assert.match(fake.statusItem.text, /report: 0\/0 tasks/);
  finishSecond();
  await second;
  assert.equal(fake.statusItem.visible, false);
});

test("Cancel in the progress notification cancels that run, and the final state shows in its progress", async () => {
  const { fake, sessions } = setup();
  let cancelled = 0;
  let end!: () => void;
  const tracked = sessions.track(
    "etl",
    () => cancelled++,
    (session) => {
      session.addEvents([flowCreated("e1", "f1")]);
      return new Promise<string>((resolve) => {
        end = () => {
          session.addEvents([stateChanged("e2", "f1", "flow", "f1", "CANCELLED", "Cancelled")]);
          resolve("done");
        };
      });
    },
  );
  await Promise.resolve();
  fake.notifications[0].cancel();
  assert.equal(cancelled, 1);
  end();
  assert.equal(await tracked, "done");
  assert.equal(fake.notifications[0].messages.at(-1), "Cancelled · 0/0 tasks");
});

test("a retry, whose flow run exists already, opens that run's view from its first event", async () => {
  const { opened, sessions } = setup();
  await sessions.track(
    "retry",
    () => undefined,
    async (session) => {
      session.addEvents([stateChanged("e1", "f7", "flow", "f7", "RUNNING", "Running")]);
    },
  );
  assert.deepEqual(opened, ["f7"]);
});
