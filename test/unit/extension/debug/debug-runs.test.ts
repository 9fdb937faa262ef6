// A debug run with `vscode` faked and a stand-in run process on the back-channel's socket: its events reach the run
// session and the log, stopping the debug session sends `cancel`, and the run ends when the process closes.
import { test } from "node:test";
import assert from "node:assert/strict";
import net from "node:net";
import os from "node:os";
import { debugRun } from "../../../../extension/debug/debug-runs.ts";
import { RunSessions } from "../../../../extension/runs/run-sessions.ts";
import type { RunEvent } from "../../../../protocol/run-events.ts";
import { fakeVscode } from "../../../fixtures/extension/fake-vscode.ts";

const at = "2026-11-21T09:00:00.000Z";
const created: RunEvent = {
  kind: "flow-run-created",
  id: "e1",
  timestamp: at,
  flowRunId: "f1",
  name: "brave-fox",
  flowName: "etl",
  parameters: {},
  tags: [],
  pid: 4242,
  state: { type: "RUNNING", name: "Running", timestamp: at },
};
const cancelled: RunEvent = {
  kind: "state",
  id: "e2",
  timestamp: at,
  flowRunId: "f1",
  runKind: "flow",
  runId: "f1",
  state: { type: "CANCELLED", name: "Cancelled", timestamp: at },
};

test("events come over the back-channel; stopping the debug session asks the process to cancel", async () => {
  const fake = fakeVscode();
  const opened: string[] = [];
  const logged: string[] = [];
  const sessions = new RunSessions({
    vscode: fake.api,
    views: { open: (id) => opened.push(id), addEvents: () => undefined },
    showLogCommand: "x",
  });
  const { started, finished } = await debugRun(
    {
      vscode: fake.api,
      sessions,
      log: { write: (level, line) => logged.push(`${level}: ${line}`) },
      cliPath: "/c.mjs",
      socketDirectory: os.tmpdir(),
    },
    {
      title: "etl",
      runtime: { command: "node", env: {}, version: "24.0.0" },
      cliArgs: ["run", "/ws/etl.ts:etl"],
      cwd: "/ws",
      folder: undefined,
    },
  );
  assert.equal(started, true);
  const launch = fake.debugLaunches[0];
  // The stand-in run process: connects, sends its first event, and answers `cancel` with its last one.
  const runProcess = net.createConnection(launch.env.SKEIN_EVENTS_SOCKET);
  const received: string[] = [];
  runProcess.on("data", (chunk) => {
    received.push(chunk.toString("utf8"));
    runProcess.end(`${JSON.stringify(cancelled)}\n`);
  });
  runProcess.write(`${JSON.stringify(created)}\n`);
  for (let i = 0; i < 100 && opened.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
  assert.deepEqual(opened, ["f1"], "the run's view opened from the back-channel's event");
  fake.terminateDebugSession.fire({ configuration: launch });
  const outcome = await finished;
  assert.deepEqual(received, ['{"type":"cancel"}\n']);
  assert.equal(outcome.rootFlowRunId, "f1");
  assert.deepEqual(
    outcome.events.map((e) => e.id),
    ["e1", "e2"],
  );
  assert.ok(
    logged.some((line) => /^warning: .*Cancelled/.test(line)),
    logged.join("\n"),
  );
  assert.equal(sessions.active().length, 0);
});
