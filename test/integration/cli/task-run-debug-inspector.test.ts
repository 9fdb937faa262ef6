// `skein task-run debug` under a debugger, as the editor's "Debug Task Again" launches it: a real `skein` process
// started with --inspect-brk, driven over the Chrome DevTools Protocol (what VS Code's debugger speaks). The task
// pauses inside its body; the paused position maps, through the bundle's inline source map, to the line in the
// task's .ts file, and the task's parameters hold the inputs recorded for the task run being debugged.
import assert from "node:assert/strict";
import path from "node:path";
import { SourceMap } from "node:module";
import { describe, test } from "node:test";
import { SqliteStore } from "../../../store/sqlite/sqlite-store.ts";
import { runCli } from "../../fixtures/built-cli.ts";
import { startCliUnderInspector } from "../../fixtures/cdp.ts";
import { tempHome } from "../../fixtures/temp-home.ts";

const FIXTURE = "test/fixtures/engine/rerun/debug-me.ts";
/** The fixture's `debugger;` statement, 1-based. */
const PAUSE_LINE = 7;

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

    const {
      cdp,
      paused: pausedAt,
      exited,
    } = await startCliUnderInspector(["task-run", "debug", scale.id], {
      SKEIN_HOME: home,
      ...env,
    });
    try {
      const paused = await pausedAt;
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
      await cdp.close();
    }
    const { code, stdout, stderr } = await exited;
    assert.equal(code, 0, stderr);
    assert.match(stdout, /Result: \{"scaled":\[3,6,9\],"since":"1970-01-01T00:00:00.000Z"\}/);
  });
});
