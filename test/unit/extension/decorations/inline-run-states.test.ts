// Inline run states (extension/decorations/inline-run-states.ts) with `vscode` faked: each task site of a visible
// TypeScript editor gets its task's latest run after the line, the tasks drawn are reported (so the feed reads only
// what is shown), and a change of one task's runs redraws only the editors that show that task.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { TaskSite } from "../../../../protocol/lsp.ts";
import type { RunEvent } from "../../../../protocol/run-events.ts";
import type { State } from "../../../../protocol/states.ts";
import { InlineRunStates } from "../../../../extension/decorations/inline-run-states.ts";
import { TaskActivityTracker } from "../../../../extension/decorations/task-activity.ts";
import type { ShownTask } from "../../../../extension/decorations/task-activity-feed.ts";
import { FakeEditor, fakeVscode } from "../../../fixtures/extension/fake-vscode.ts";

const at = (second: number) => `2026-11-30T10:00:${String(second).padStart(2, "0")}.000Z`;
let nextId = 0;

/** A task run of `taskName`, defined in `file` (relative to the project), that ran from second 1 to second 3. */
function ran(file: string, taskName: string, flowRunId: string, end: State["name"] = "Completed"): RunEvent[] {
  const taskRunId = `t${nextId++}`;
  const base = { timestamp: at(0), flowRunId };
  const state = (type: State["type"], name: State["name"], second: number): RunEvent => ({
    ...base,
    kind: "state",
    id: `e${nextId++}`,
    runKind: "task",
    runId: taskRunId,
    state: { type, name, timestamp: at(second) },
  });
  return [
    {
      ...base,
      kind: "task-run-created",
      id: `e${nextId++}`,
      taskRunId,
      name: `${taskName}-0`,
      taskName,
      taskKey: `${taskName}@${file}:1:14`,
      dynamicKey: 0,
      upstream: [],
      tags: [],
      source: { file, line: 1, column: 14 },
      state: { type: "PENDING", name: "Pending", timestamp: at(0) },
    },
    state("RUNNING", "Running", 1),
    end === "Completed" ? state("COMPLETED", "Completed", 3) : state("FAILED", "Failed", 3),
  ];
}

const site = (file: string, taskName: string, line: number): TaskSite => ({
  kind: "definition",
  taskName,
  declarationFile: file,
  declarationLine: line,
  line,
});

function setUp() {
  const fake = fakeVscode();
  const etl = new FakeEditor("file:///ws/flows/etl.ts", [
    "",
    "export const load = task(...)",
    "",
    "export const report",
  ]);
  const other = new FakeEditor("file:///ws/flows/other.ts", ["export const clean = task(...)"]);
  const notes = new FakeEditor("file:///ws/notes.md", ["# notes"], "markdown");
  fake.editors = [etl, other, notes];
  const sites: Record<string, TaskSite[]> = {
    "file:///ws/flows/etl.ts": [site("/ws/flows/etl.ts", "load", 1), site("/ws/flows/etl.ts", "report", 3)],
    "file:///ws/flows/other.ts": [site("/ws/flows/other.ts", "clean", 0)],
  };
  const tracker = new TaskActivityTracker();
  const shown: ShownTask[][] = [];
  const inline = new InlineRunStates({
    vscode: fake.api,
    tracker,
    taskSites: async (uri) => sites[uri] ?? [],
    enabled: () => true,
    onShown: (tasks) => shown.push(tasks),
  });
  return { inline, tracker, etl, other, notes, shown };
}

test("the sites of visible TypeScript editors are drawn with their tasks' latest runs, and reported as shown", async () => {
  const { inline, tracker, etl, other, notes, shown } = setUp();
  try {
    tracker.apply([...ran("flows/etl.ts", "load", "f1"), ...ran("flows/other.ts", "clean", "f1", "Failed")]);
    await inline.refresh();
    assert.deepEqual(etl.inlineTexts, ["load: Completed 2.0 s"]);
    assert.deepEqual(other.inlineTexts, ["clean: Failed 2.0 s"]);
    assert.ok(notes.drawn > 0, "a markdown editor is cleared, never decorated");
    assert.deepEqual(notes.inlineTexts, []);
    assert.deepEqual(
      shown
        .at(-1)
        ?.map((task) => task.name)
        .sort(),
      ["clean", "load", "report"],
      "every task of a visible editor, run or not",
    );
  } finally {
    inline.dispose();
  }
});

test("a change of one task's runs redraws only the editors that show it", async () => {
  const { inline, tracker, etl, other } = setUp();
  try {
    await inline.refresh();
    const [etlBefore, otherBefore] = [etl.drawn, other.drawn];
    inline.activityChanged(tracker.apply(ran("flows/etl.ts", "report", "f2")));
    await inline.refresh();
    assert.ok(etl.drawn > etlBefore, "the editor showing report is redrawn");
    assert.deepEqual(etl.inlineTexts, ["report: Completed 2.0 s"]);
    assert.equal(other.drawn, otherBefore, "the editor not showing report is left alone");
    // A task of the same name defined in another file is another task.
    inline.activityChanged(tracker.apply(ran("lib/other.ts", "clean", "f3")));
    await inline.refresh();
    assert.equal(other.drawn, otherBefore);
  } finally {
    inline.dispose();
  }
});
