// RunViewPanels and RunViewPanel with `vscode` faked: one view per flow run (subflow events reach their root's view),
// the snapshot replayed on every `ready` (so a hidden-then-shown page is never blank), event batches between,
// loading runs started elsewhere through the run source, and restoring views after a reload.
import { test } from "node:test";
import assert from "node:assert/strict";
import type * as vscodeApi from "vscode";
import { RunViewPanels } from "../../../../extension/panels/run-view-panels.ts";
import type { RunSource } from "../../../../extension/panels/run-source.ts";
import type { RunViewTiming, RunViewHost } from "../../../../extension/panels/run-view-panel.ts";
import type { RunEvent } from "../../../../protocol/run-events.ts";
import type { RunSnapshot } from "../../../../protocol/run-snapshot.ts";
import { RUN_VIEW_TYPE } from "../../../../protocol/webview/run-view.ts";
import { RunEventBuilder } from "../../../run-event-builder.ts";
import { type FakeWebviewPanel, fakeVscode } from "../../../fixtures/extension/fake-vscode.ts";

interface Snapshot {
  type: "snapshot";
  flowRunId: string;
  snapshot: RunSnapshot;
}
interface Events {
  type: "events";
  events: RunEvent[];
}

function setup(stored: Record<string, RunEvent[]> = {}) {
  const fake = fakeVscode();
  const timers: (() => void)[] = [];
  const timing: RunViewTiming = { batchMs: 60, schedule: (callback) => void timers.push(callback) };
  const requests: unknown[] = [];
  const host: RunViewHost = { handle: (_view, request) => requests.push(request) };
  const followers: {
    onEvent(event: RunEvent): void;
    onReset(): void;
    onDeleted(flowRunId: string): void;
    closed: boolean;
  }[] = [];
  const loads: string[] = [];
  const source: RunSource = {
    load: async (flowRunId) => {
      loads.push(flowRunId);
      return stored[flowRunId] ?? [];
    },
    follow(onEvent, onReset, onDeleted) {
      const follower = { onEvent, onReset, onDeleted, closed: false };
      followers.push(follower);
      return { close: () => (follower.closed = true) };
    },
    listRuns: async () => [],
    artifactHistory: async () => [],
  };
  const views = new RunViewPanels({
    vscode: fake.api,
    extensionUri: { path: "/ext" } as unknown as vscodeApi.Uri,
    source,
    host,
    timing,
    log: () => undefined,
  });
  const flushTimers = () => {
    for (const timer of timers.splice(0)) timer();
  };
  return { fake, views, requests, followers, loads, flushTimers };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

test("two runs started from the editor get two views, each with only its own events", () => {
  const { fake, views } = setup();
  const build = new RunEventBuilder();
  const first = build.completedRun("run-a");
  const second = build.completedRun("run-b");
  // Interleaved, as two runs at once would deliver them.
  views.addEvents(first.slice(0, 4));
  views.addEvents(second.slice(0, 4));
  views.addEvents(first.slice(4));
  views.addEvents(second.slice(4));
  assert.equal(fake.panels.length, 2);
  for (const [panel, flowRunId] of [
    [fake.panels[0], "run-a"],
    [fake.panels[1], "run-b"],
  ] as const) {
    panel.fromPage({ type: "ready" });
    const [replay] = panel.messages<Snapshot>("snapshot");
    assert.equal(replay.flowRunId, flowRunId);
    assert.deepEqual(Object.keys(replay.snapshot.flowRuns), [flowRunId]);
    assert.ok(Object.values(replay.snapshot.taskRuns).every((taskRun) => taskRun.flowRunId === flowRunId));
    assert.equal(replay.snapshot.logs.length, 2);
    assert.equal(replay.snapshot.flowRuns[flowRunId].state.type, "COMPLETED");
  }
  assert.match(fake.panels[0].title, /etl › run-run-a/);
});

test("subflow events go to the view of their root flow run, nested subflows included", () => {
  const { fake, views } = setup();
  const build = new RunEventBuilder();
  views.addEvents([
    build.flowRun("root"),
    build.taskRun("root", "call-child", "child"),
    build.flowRun("child", { parent: { flowRunId: "root", taskRunId: "call-child" } }),
    build.flowRun("grandchild", { parent: { flowRunId: "child" } }),
    build.taskRun("grandchild", "deep-task", "deep"),
    build.log("grandchild", "from the grandchild", "deep-task"),
    build.transition("grandchild", "task", "deep-task", "COMPLETED", "Completed"),
  ]);
  assert.equal(fake.panels.length, 1, "subflows open no view of their own");
  fake.panels[0].fromPage({ type: "ready" });
  const [replay] = fake.panels[0].messages<Snapshot>("snapshot");
  assert.deepEqual(Object.keys(replay.snapshot.flowRuns).sort(), ["child", "grandchild", "root"]);
  assert.equal(replay.snapshot.taskRuns["deep-task"].state.type, "COMPLETED");
  assert.equal(replay.snapshot.logs[0].message, "from the grandchild");
});

test("the whole snapshot is replayed on every ready: shown again after hiding, the page is not blank", () => {
  const { fake, views, flushTimers } = setup();
  const build = new RunEventBuilder();
  const events = build.completedRun("run-a");
  views.addEvents(events.slice(0, 3));
  const panel = fake.panels[0];
  assert.equal(panel.posted.length, 0, "nothing is posted before the page is ready");
  assert.match(panel.webview.html, /Content-Security-Policy/);

  panel.fromPage({ type: "ready" });
  assert.equal(panel.messages<Snapshot>("snapshot")[0].snapshot.logs.length, 0);

  // Live: new events go out batched, one message per interval.
  views.addEvents(events.slice(3, 6));
  views.addEvents(events.slice(6, 9));
  assert.equal(panel.messages("events").length, 0, "held until the batch interval ends");
  flushTimers();
  const batches = panel.messages<Events>("events");
  assert.equal(batches.length, 1);
  assert.deepEqual(
    batches[0].events.map((event) => event.id),
    events.slice(3, 9).map((event) => event.id),
  );

  // Hidden: the page is gone; events keep folding into the kept snapshot.
  panel.hide();
  views.addEvents(events.slice(9));
  flushTimers();
  assert.equal(panel.messages("events").length, 1, "nothing is posted to a hidden page");
  panel.show();
  const replays = panel.messages<Snapshot>("snapshot");
  assert.equal(replays.length, 2);
  const latest = replays[1].snapshot;
  assert.equal(latest.flowRuns["run-a"].state.type, "COMPLETED");
  assert.equal(Object.keys(latest.taskRuns).length, 2);
  assert.equal(latest.logs.length, 2);
  assert.equal(Object.keys(latest.artifacts).length, 1);
});

test("an event delivered twice (a replayed pipe, a reconnected stream) is folded and sent once", () => {
  const { fake, views, flushTimers } = setup();
  const build = new RunEventBuilder();
  const events = build.completedRun("run-a");
  views.addEvents(events.slice(0, 2));
  views.open("run-a");
  assert.equal(fake.panels.length, 1, "opening a run that has a view reveals it");
  const panel = fake.panels[0];
  panel.fromPage({ type: "ready" });
  views.addEvents(events.slice(2, 5));
  views.addEvents(events.slice(2, 6));
  flushTimers();
  const sent = panel.messages<Events>("events").flatMap((batch) => batch.events.map((event) => event.id));
  assert.deepEqual(
    sent,
    events.slice(2, 6).map((event) => event.id),
  );
  panel.fromPage({ type: "ready" });
  const replay = panel.messages<Snapshot>("snapshot")[1].snapshot;
  assert.equal(replay.logs.length, 1, "the log line is kept once");
  assert.equal(replay.taskRuns["run-a-extract"].states.length, 3, "Pending, Running, Cached: each kept once");
});

test("a run started elsewhere is loaded from the server and followed live; its subflow's live events reach it", async () => {
  const build = new RunEventBuilder();
  const stored = build.completedRun("cli-run").slice(0, 6);
  const { fake, views, loads, followers, flushTimers } = setup({ "cli-run": stored });
  views.open("cli-run");
  assert.deepEqual(loads, ["cli-run"]);
  await settle();
  const panel = fake.panels[0];
  panel.fromPage({ type: "ready" });
  assert.equal(Object.keys(panel.messages<Snapshot>("snapshot")[0].snapshot.taskRuns).length, 1);
  const later = [
    build.flowRun("cli-sub", { parent: { flowRunId: "cli-run" } }),
    build.log("cli-sub", "inside the subflow"),
    build.flowRun("unrelated"),
    build.log("unrelated", "another run"),
  ];
  for (const event of later) followers[0].onEvent(event);
  flushTimers();
  const sent = panel.messages<Events>("events").flatMap((batch) => batch.events);
  assert.deepEqual(
    sent.map((event) => event.flowRunId),
    ["cli-sub", "cli-sub"],
  );
  assert.equal(fake.panels.length, 1, "the live stream opens no views");
  panel.dispose();
  assert.equal(followers[0].closed, true, "the stream closes with the last view");
});

test("a view whose run is deleted on the server says so, in its title and page, again after the page is rebuilt", async () => {
  const build = new RunEventBuilder();
  const { fake, views, followers } = setup({ "cli-run": build.completedRun("cli-run") });
  views.open("cli-run");
  await settle();
  const panel = fake.panels[0];
  panel.fromPage({ type: "ready" });
  followers[0].onDeleted("another-run");
  assert.equal(panel.messages("error").length, 0, "another run's deletion is not this view's");
  followers[0].onDeleted("cli-run");
  assert.match(panel.title, /\(deleted\)$/);
  const errors = () => panel.messages<{ type: "error"; message: string }>("error").map((m) => m.message);
  assert.deepEqual(errors(), ["This run was deleted: it shows what was loaded before, and nothing more will come."]);
  panel.fromPage({ type: "ready" });
  assert.equal(errors().length, 2, "a rebuilt page is told again, after its snapshot");
  assert.equal(panel.messages<Snapshot>("snapshot").length, 2);
  panel.dispose();
});

test("after a reload the serializer restores the view of its flow run; foreign state is refused", async () => {
  const build = new RunEventBuilder();
  const { fake, views, loads } = setup({ "run-a": build.completedRun("run-a") });
  views.registerSerializer();
  const serializer = fake.serializers.get(RUN_VIEW_TYPE);
  assert.ok(serializer, "a serializer for skein.run");
  const { FakeWebviewPanel } = await import("../../../fixtures/extension/fake-vscode.ts");
  const restored = new FakeWebviewPanel(RUN_VIEW_TYPE);
  await serializer.deserializeWebviewPanel(restored as unknown as vscodeApi.WebviewPanel, { flowRunId: "run-a" });
  await settle();
  assert.deepEqual(loads, ["run-a"]);
  restored.fromPage({ type: "ready" });
  assert.equal(restored.messages<Snapshot>("snapshot")[0].snapshot.flowRuns["run-a"].state.type, "COMPLETED");
  assert.deepEqual(views.openFlowRunIds, ["run-a"]);

  const foreign: FakeWebviewPanel = new FakeWebviewPanel(RUN_VIEW_TYPE);
  await serializer.deserializeWebviewPanel(foreign as unknown as vscodeApi.WebviewPanel, { flowRunId: 42 });
  assert.equal(foreign.disposed, true);
});

test("requests from the page reach the host only when well-formed", () => {
  const { fake, views, requests } = setup();
  views.addEvents(new RunEventBuilder().completedRun("run-a"));
  const panel = fake.panels[0];
  panel.fromPage({ type: "go-to-source", taskRunId: "run-a-extract" });
  panel.fromPage({ type: "open-link", url: "https://example.com" });
  panel.fromPage({ type: "go-to-source", taskRunId: { toString: "x" } });
  panel.fromPage({ type: "run-command", command: "workbench.action.terminal.new" });
  panel.fromPage("ready");
  panel.fromPage(null);
  assert.deepEqual(requests, [
    { type: "go-to-source", taskRunId: "run-a-extract" },
    { type: "open-link", url: "https://example.com" },
  ]);
});

test("the Compare command opens the run's view on its Compare tab once the page is ready", () => {
  const { fake, views } = setup();
  views.open("run-a", "compare");
  const panel = fake.panels[0];
  assert.equal(panel.messages("show-tab").length, 0);
  panel.fromPage({ type: "ready" });
  assert.deepEqual(panel.messages("show-tab"), [{ type: "show-tab", tab: "compare" }]);
});
