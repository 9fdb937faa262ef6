// `skein task-run debug` under a debugger, as the editor's "Debug Task Again" launches it: a real `skein` process
// started with --inspect-brk, driven over the Chrome DevTools Protocol (what VS Code's debugger speaks). The task
// pauses inside its body; the paused position maps, through the bundle's inline source map, to the line in the
// task's .ts file, and the task's parameters hold the inputs recorded for the task run being debugged.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import path from "node:path";
import { SourceMap } from "node:module";
import { describe, test } from "node:test";
import { SqliteStore } from "../../../store/sqlite/sqlite-store.ts";
import { ROOT, runCli } from "../../fixtures/built-cli.ts";
import { tempHome } from "../../fixtures/temp-home.ts";

const FIXTURE = "test/fixtures/engine/rerun/debug-me.ts";
/** The fixture's `debugger;` statement, 1-based. */
const PAUSE_LINE = 7;

interface Message {
  id?: number;
  method?: string;
  params?: any;
  result?: any;
}

/** A CDP session over the inspector's WebSocket: `send` awaits the answer, `next` the next event of a method. */
async function connect(url: string) {
  const socket = new WebSocket(url);
  await new Promise((resolve, reject) => {
    socket.onopen = resolve;
    socket.onerror = reject;
  });
  let lastId = 0;
  const answers = new Map<number, (message: Message) => void>();
  const events: Message[] = [];
  const waiting: { method: string; resolve: (message: Message) => void }[] = [];
  socket.onmessage = (event) => {
    const message = JSON.parse(String(event.data)) as Message;
    if (message.id !== undefined) return answers.get(message.id)?.(message);
    const waiter = waiting.findIndex((w) => w.method === message.method);
    if (waiter >= 0) waiting.splice(waiter, 1)[0].resolve(message);
    else events.push(message);
  };
  return {
    events,
    send(method: string, params: object = {}): Promise<any> {
      const id = ++lastId;
      socket.send(JSON.stringify({ id, method, params }));
      return new Promise((resolve) => answers.set(id, (message) => resolve(message.result)));
    },
    next(method: string): Promise<Message> {
      const seen = events.findIndex((event) => event.method === method);
      if (seen >= 0) return Promise.resolve(events.splice(seen, 1)[0]);
      return new Promise((resolve) => waiting.push({ method, resolve }));
    },
    close: () => socket.close(),
  };
}

describe("task-run debug under a debugger", () => {
  test("pauses inside the task, at its .ts line, with the recorded inputs in its parameters", async () => {
    const home = tempHome();
    const env = { SKEIN_API_URL: "", SKEIN_DATABASE_URL: "" };
    const first = await runCli(["run", `${FIXTURE}:debugMe`, "--param", "factor=3"], home, { env });
    assert.equal(first.code, 0, first.stderr);
    const store = new SqliteStore(path.join(home, "skein.db"));
    const [flowRun] = await store.listFlowRuns({ flowName: "debug-me", limit: 1 });
    const [scale] = await store.listTaskRuns(flowRun.id);
    await store.close();

    const child = spawn(
      process.execPath,
      ["--inspect-brk=127.0.0.1:0", path.join(ROOT, "dist/engine/cli.mjs"), "task-run", "debug", scale.id],
      { cwd: ROOT, env: { ...process.env, SKEIN_HOME: home, ...env }, stdio: ["ignore", "pipe", "pipe"] },
    );
    // Not a timed assertion: only a guard so a broken debugger session cannot hang the suite.
    const guard = setTimeout(() => child.kill("SIGKILL"), 60_000);
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
    const url = await new Promise<string>((resolve, reject) => {
      child.stderr.on("data", (chunk) => {
        stderr += chunk;
        const found = /ws:\/\/\S+/.exec(stderr);
        if (found) resolve(found[0]);
      });
      child.on("close", () => reject(new Error(`no inspector: ${stderr}`)));
    });
    const cdp = await connect(url);
    try {
      await cdp.send("Runtime.enable");
      await cdp.send("Debugger.enable");
      await cdp.send("Runtime.runIfWaitingForDebugger");
      let paused = await cdp.next("Debugger.paused");
      while (paused.params.reason !== "other") {
        // "Break on start" (--inspect-brk), then on to the task's `debugger;`.
        await cdp.send("Debugger.resume");
        paused = await cdp.next("Debugger.paused");
      }
      const [frame] = paused.params.callFrames;
      const script = cdp.events.find(
        (event) => event.method === "Debugger.scriptParsed" && event.params.scriptId === frame.location.scriptId,
      );
      const sourceMapUrl: string = script?.params.sourceMapURL ?? "";
      assert.match(sourceMapUrl, /^data:application\/json;base64,/, "the bundle carries its source map inline");
      const payload = JSON.parse(Buffer.from(sourceMapUrl.split(",")[1], "base64").toString("utf8"));
      const original = new SourceMap(payload).findEntry(frame.location.lineNumber, frame.location.columnNumber);
      assert.ok(
        "originalSource" in original && original.originalSource.endsWith("debug-me.ts"),
        JSON.stringify(original),
      );
      assert.equal(original.originalLine + 1, PAUSE_LINE, "the pause is at the .ts line of the task's body");
      const { result } = await cdp.send("Debugger.evaluateOnCallFrame", {
        callFrameId: frame.callFrameId,
        expression: "JSON.stringify({ rows, factor, since: since.toISOString(), scaled })",
        returnByValue: true,
      });
      assert.deepEqual(JSON.parse(result.value), {
        rows: [1, 2, 3],
        factor: 3,
        since: "1970-01-01T00:00:00.000Z",
        scaled: [3, 6, 9],
      });
      await cdp.send("Debugger.resume");
    } finally {
      cdp.close();
    }
    assert.equal(await exited, 0, stderr);
    clearTimeout(guard);
    assert.match(stdout, /Result: \{"scaled":\[3,6,9\],"since":"1970-01-01T00:00:00.000Z"\}/);
  });
});
