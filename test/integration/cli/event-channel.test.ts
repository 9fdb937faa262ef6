// The debug back-channel (cli/event-channel.ts) against the built CLI: with SKEIN_EVENTS_SOCKET set, a run mirrors
// every event to the editor's socket, the same events `--output jsonl` prints, flushed before the process exits;
// a `cancel` line sent back ends the run Cancelled, also when it comes while the run is paused at a breakpoint inside a
// synchronous task; and under the debugger a run that stands still past its timeout is not ended by the watchdog.
import assert from "node:assert/strict";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import type { RunEvent } from "../../../protocol/run-events.ts";
import { startCliUnderInspector } from "../../fixtures/cdp.ts";
import { openStore, runCli, startCli, tempHome } from "../engine/helpers.ts";

interface Channel {
  socketPath: string;
  events: RunEvent[];
  /** Resolves with the connection once the run process connected. */
  connected: Promise<net.Socket>;
  /** Resolves when the run process closed its end. */
  closed: Promise<void>;
  onEvent(listener: (event: RunEvent) => void): void;
  server: net.Server;
}

async function listen(): Promise<Channel> {
  const socketPath = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "skein-ch-")), "ev.sock");
  const events: RunEvent[] = [];
  const listeners: ((event: RunEvent) => void)[] = [];
  let onConnected!: (socket: net.Socket) => void;
  let onClosed!: () => void;
  const connected = new Promise<net.Socket>((resolve) => (onConnected = resolve));
  const closed = new Promise<void>((resolve) => (onClosed = resolve));
  const server = net.createServer((socket) => {
    onConnected(socket);
    let pending = "";
    socket.on("data", (chunk) => {
      const lines = (pending + chunk.toString("utf8")).split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) {
        const event = JSON.parse(line) as RunEvent;
        events.push(event);
        for (const listener of listeners) listener(event);
      }
    });
    socket.on("close", () => onClosed());
  });
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));
  return { socketPath, events, connected, closed, onEvent: (l) => listeners.push(l), server };
}

test("every run event reaches the socket, the same as --output jsonl prints, before the process exits", async () => {
  const channel = await listen();
  try {
    const result = await runCli(["run", "test/fixtures/engine/chatty.ts:chatty", "--output", "jsonl"], tempHome(), {
      env: { SKEIN_EVENTS_SOCKET: channel.socketPath },
    });
    assert.equal(result.code, 0, result.stderr);
    await channel.closed;
    const printed = result.stdout
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line) as RunEvent);
    assert.equal(channel.events.length, printed.length);
    assert.deepEqual(
      channel.events.map((e) => e.id),
      printed.map((e) => e.id),
    );
    assert.equal(channel.events.filter((e) => e.kind === "log").length, 3000);
    const last = channel.events.at(-1);
    assert.equal(last?.kind === "state" && last.runKind === "flow" && last.state.type, "COMPLETED");
  } finally {
    channel.server.close();
  }
});

test("a cancel line from the editor ends the run Cancelled, with its onCancellation hooks", async () => {
  const channel = await listen();
  const home = tempHome();
  try {
    const child = startCli(["run", "test/fixtures/engine/long-running.ts:longRunning"], home, {
      env: { SKEIN_EVENTS_SOCKET: channel.socketPath },
    });
    const socket = await channel.connected;
    channel.onEvent((event) => {
      if (event.kind === "log" && event.message === "started") socket.write(`${JSON.stringify({ type: "cancel" })}\n`);
    });
    const result = await child.done;
    assert.equal(result.code, 130, result.stderr);
    const root = channel.events.find((e) => e.kind === "flow-run-created");
    const store = openStore(home);
    try {
      const run = await store.getFlowRun(root!.flowRunId);
      assert.equal(run?.state.type, "CANCELLED");
      assert.equal(run?.state.name, "Cancelled");
    } finally {
      await store.close();
    }
    assert.ok(channel.events.some((e) => e.kind === "log" && e.message === "hook cancelled"));
  } finally {
    channel.server.close();
  }
});

test("stopping the debugger while paused inside a synchronous task ends the run Cancelled before its next task", async () => {
  const channel = await listen();
  const home = tempHome();
  try {
    // As the editor debugs a run: under the inspector, with the back-channel and SKEIN_UNDER_DEBUGGER.
    const { cdp, paused, exited } = await startCliUnderInspector(
      ["run", "test/fixtures/engine/sync-steps.ts:syncSteps"],
      { SKEIN_HOME: home, SKEIN_API_URL: "", SKEIN_EVENTS_SOCKET: channel.socketPath, SKEIN_UNDER_DEBUGGER: "1" },
    );
    const socket = await channel.connected;
    await paused;
    // What Stop does: the editor sends `cancel` as the stop request reaches the debugger (extension/debug/
    // debug-runs.ts), then the debugger closes its connection, which lets the paused code run on.
    await new Promise<void>((resolve, reject) =>
      socket.write(`${JSON.stringify({ type: "cancel" })}\n`, (error) => (error ? reject(error) : resolve())),
    );
    await cdp.close();
    const result = await exited;
    assert.equal(result.code, 130, result.stderr);
    const root = channel.events.find((e) => e.kind === "flow-run-created")!;
    const store = openStore(home);
    try {
      const run = await store.getFlowRun(root.flowRunId);
      assert.equal(run?.state.name, "Cancelled");
      assert.equal(run?.state.message, "Cancelled: the editor stopped the debug session");
      const taskRuns = await store.listTaskRuns(root.flowRunId);
      // The paused body could not be interrupted and returned: it is Completed. The next task never ran.
      assert.equal(taskRuns.find((t) => t.taskName === "crunch")?.state.name, "Completed");
      const report = taskRuns.find((t) => t.taskName === "report");
      assert.ok(!report || report.state.type === "CANCELLED", JSON.stringify(report?.state));
    } finally {
      await store.close();
    }
    assert.ok(!channel.events.some((e) => e.kind === "log" && e.message.startsWith("report ran")), "report ran");
    assert.ok(channel.events.some((e) => e.kind === "log" && e.message === "hook cancelled"));
  } finally {
    channel.server.close();
  }
});

test("under the debugger a task that stands still past its timeout completes; otherwise it times out", async () => {
  const entry = "test/fixtures/engine/debugger-pause.ts:pausedPastTimeout";
  const debugged = await runCli(["run", entry], tempHome(), { env: { SKEIN_UNDER_DEBUGGER: "1" } });
  assert.equal(debugged.code, 0, debugged.stderr);
  assert.match(debugged.stdout, /resumed/);
  const plain = await runCli(["run", entry], tempHome());
  assert.notEqual(plain.code, 0);
  assert.match(plain.stderr + plain.stdout, /timeout/i);
});
