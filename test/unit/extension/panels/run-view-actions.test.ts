// What the run view's requests do in the editor, with `vscode` faked: links open only when http(s), Go to source
// opens the location the task run recorded (never a path from the page), Run again goes through the run-entrypoint
// command when one exists and else through the lens's Run command with the entrypoint parsed, and Compare lists
// other runs of the same flow and loads the chosen one.
import { test } from "node:test";
import assert from "node:assert/strict";
import type * as vscodeApi from "vscode";
import { RUN_ENTRYPOINT_COMMAND, runViewActions } from "../../../../extension/panels/run-view-actions.ts";
import type { RunViewPanel } from "../../../../extension/panels/run-view-panel.ts";
import type { RunSource } from "../../../../extension/panels/run-source.ts";
import { LensCommands } from "../../../../protocol/lsp.ts";
import { emptyRunSnapshot, RunSnapshotReducer } from "../../../../protocol/run-snapshot.ts";
import type { RunViewMessage, RunViewRequest } from "../../../../protocol/webview/run-view.ts";
import { RunEventBuilder } from "../../../run-event-builder.ts";

function setup(registered: string[] = []) {
  const calls: unknown[][] = [];
  const posted: RunViewMessage[] = [];
  const build = new RunEventBuilder();
  const reducer = new RunSnapshotReducer(emptyRunSnapshot("run-a"));
  reducer.apply(build.completedRun("run-a"));
  (reducer.snapshot.taskRuns["run-a-extract"] as unknown as { source: unknown }).source = {
    file: "/ws/flows/etl.ts",
    line: 12,
    column: 5,
  };
  const vscode = {
    Uri: { parse: (url: string) => ({ url }), file: (path: string) => ({ path }) },
    Position: class {
      constructor(
        readonly line: number,
        readonly character: number,
      ) {}
    },
    Range: class {
      constructor(
        readonly start: unknown,
        readonly end: unknown,
      ) {}
    },
    ViewColumn: { One: 1 },
    env: { openExternal: async (uri: unknown) => calls.push(["openExternal", uri]) },
    window: {
      showTextDocument: async (uri: unknown, options: unknown) => calls.push(["showTextDocument", uri, options]),
    },
    workspace: { workspaceFolders: [{ uri: { fsPath: "/ws" } }] },
    commands: {
      getCommands: async () => registered,
      executeCommand: async (...args: unknown[]) => calls.push(["executeCommand", ...args]),
    },
  } as unknown as typeof vscodeApi;
  const source: RunSource = {
    load: async (flowRunId) => new RunEventBuilder().completedRun(flowRunId),
    follow: () => ({ close() {} }),
    listRuns: async (flowName) => [
      { flowRunId: "run-a", name: "a", flowName: flowName ?? "", createdAt: "", stateName: "Completed" },
      { flowRunId: "run-b", name: "b", flowName: flowName ?? "", createdAt: "", stateName: "Failed" },
    ],
    artifactHistory: async (key, limit) =>
      Array.from({ length: Math.min(limit, 2) }, (_, index) => ({
        id: `${key}-${index}`,
        flowRunId: `run-${index}`,
        flowRunName: `run ${index}`,
        key,
        type: "markdown" as const,
        data: `# ${index}`,
        createdAt: "",
        updatedAt: "",
      })),
  };
  const view = {
    flowRunId: "run-a",
    snapshot: reducer.snapshot,
    post: (message: RunViewMessage) => posted.push(message),
  } as unknown as RunViewPanel;
  const host = runViewActions(vscode, source);
  const act = async (request: Exclude<RunViewRequest, { type: "ready" }>) => {
    host.handle(view, request);
    await new Promise((resolve) => setTimeout(resolve, 10));
  };
  return { act, calls, posted };
}

test("only http and https links are opened", async () => {
  const { act, calls } = setup();
  await act({ type: "open-link", url: "javascript:alert(1)" });
  await act({ type: "open-link", url: "command:workbench.action.terminal.new" });
  await act({ type: "open-link", url: "https://example.com/report" });
  assert.deepEqual(calls, [["openExternal", { url: "https://example.com/report" }]]);
});

test("Go to source opens the location the task run recorded, and says so when it recorded none", async () => {
  const { act, calls, posted } = setup();
  await act({ type: "go-to-source", taskRunId: "run-a-extract" });
  assert.equal(calls.length, 1);
  const [kind, uri, options] = calls[0] as [
    string,
    { path: string },
    { selection: { start: { line: number; character: number } } },
  ];
  assert.equal(kind, "showTextDocument");
  assert.equal(uri.path, "/ws/flows/etl.ts");
  assert.deepEqual({ ...options.selection.start }, { line: 11, character: 4 });
  await act({ type: "go-to-source", taskRunId: "run-a-transform" });
  await act({ type: "go-to-source", taskRunId: "not-in-this-run" });
  assert.equal(calls.length, 1);
  assert.equal(posted.filter((message) => message.type === "error").length, 2);
});

test("Run again runs the entrypoint with the run's parameters through the lens Run command", async () => {
  const { act, calls } = setup();
  await act({ type: "run-again" });
  assert.deepEqual(calls, [
    [
      "executeCommand",
      LensCommands.run,
      { file: "/ws/flows/etl.ts", exportPath: "etl", flowName: "etl", parameters: { date: "2026-11-30", limit: 10 } },
    ],
  ]);
});

test("Run again prefers a registered run-entrypoint command", async () => {
  const { act, calls } = setup([RUN_ENTRYPOINT_COMMAND]);
  await act({ type: "run-again" });
  assert.deepEqual(calls, [
    [
      "executeCommand",
      RUN_ENTRYPOINT_COMMAND,
      { entrypoint: "flows/etl.ts:etl", parameters: { date: "2026-11-30", limit: 10 } },
    ],
  ]);
});

test("Compare lists the flow's other runs and loads the chosen one as a snapshot", async () => {
  const { act, posted } = setup();
  await act({ type: "list-compare-candidates" });
  await act({ type: "load-compare", flowRunId: "run-b" });
  const [candidates, loaded] = posted;
  assert.equal(candidates.type, "compare-candidates");
  assert.deepEqual(
    candidates.type === "compare-candidates" && candidates.candidates.map((candidate) => candidate.flowRunId),
    ["run-b"],
  );
  assert.equal(loaded.type === "compare-snapshot" && loaded.snapshot.flowRuns["run-b"].state.type, "COMPLETED");
});

test("an artifact key's history is answered with the key and its artifacts across runs", async () => {
  const { act, posted } = setup();
  await act({ type: "list-artifact-history", key: "daily-report" });
  assert.deepEqual(
    posted.map((message) =>
      message.type === "artifact-history" ? [message.key, message.artifacts.map((artifact) => artifact.id)] : message,
    ),
    [["daily-report", ["daily-report-0", "daily-report-1"]]],
  );
});
