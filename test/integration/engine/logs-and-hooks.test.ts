// What a failed or crashed run leaves behind: its traceback in the stored logs, onCrashed hooks run for an uncaught
// exception, an unhandled rejection and process.exit(), thrown plain objects readable; and a plain script that calls
// a flow prints the run's lines as `skein run` does.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { ROOT, openStore, runCli, tempHome } from "./helpers.ts";

const CRASHES = "test/fixtures/engine/crashes.ts";

/** The only flow run of `home`, and its stored log messages. */
async function storedRun(home: string) {
  const store = openStore(home);
  try {
    const [run] = await store.listFlowRuns();
    const logs = await store.listLogs(run.id);
    return { run, logs: logs.map((log) => `${log.level}: ${log.message}`) };
  } finally {
    await store.close();
  }
}

describe("logs and hooks of failed and crashed runs", () => {
  test("a failed run stores the error with its traceback as error logs", async () => {
    const home = tempHome();
    const result = await runCli(["run", "test/fixtures/engine/failing.ts:failing"], home);
    assert.equal(result.code, 1);
    const { run, logs } = await storedRun(home);
    assert.equal(run.state.name, "Failed");
    assert.ok(
      logs.some((log) =>
        /^error: Encountered exception during execution:\nError: boom: bad input\n\s+at .*failing\.ts:4:9/.test(log),
      ),
      logs.join("\n"),
    );
  });

  for (const [flow, cause] of [
    ["uncaught", "an uncaught exception: kaboom from a timer"],
    ["unhandled", "an unhandled promise rejection: nobody handles this"],
  ] as const) {
    test(`${cause.split(":")[0]} in a flow crashes the run, logs the error and runs onCrashed`, async () => {
      const home = tempHome();
      const result = await runCli(["run", `${CRASHES}:${flow}`], home);
      assert.equal(result.code, 1);
      const [what, message] = cause.split(": ");
      assert.match(result.stderr, new RegExp(`Crashed by ${what}: Error: ${message}`));
      const { run, logs } = await storedRun(home);
      assert.equal(run.state.name, "Crashed");
      assert.ok(
        logs.some((log) => log.startsWith(`error: Crashed: the run process raised ${what}\nError: ${message}\n`)),
        logs.join("\n"),
      );
      assert.ok(logs.includes("warning: onCrashed ran"), logs.join("\n"));
    });
  }

  test("process.exit() in a flow crashes the run and runs onCrashed up to its first await", async () => {
    const home = tempHome();
    const result = await runCli(["run", `${CRASHES}:exits`], home);
    assert.equal(result.code, 4);
    const { run, logs } = await storedRun(home);
    assert.equal(run.state.name, "Crashed");
    assert.ok(logs.includes("error: The run process exited (code 4) before the run finished"), logs.join("\n"));
    assert.ok(logs.includes("warning: onCrashed ran"), logs.join("\n"));
  });

  test("a thrown plain object reads as JSON", async () => {
    const home = tempHome();
    const result = await runCli(["run", `${CRASHES}:throwsObject`], home);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /Failed\('\{"code":42,"reason":"quota exceeded"\}'\)/);
    assert.doesNotMatch(result.stderr + result.stdout, /\[object Object\]/);
    const { run } = await storedRun(home);
    assert.equal(run.state.message, '{"code":42,"reason":"quota exceeded"}');
  });
});

test("a plain script calling a flow prints its run lines and its console.log (logPrints)", async () => {
  assert.ok(
    fs.existsSync(path.join(ROOT, "dist/engine/index.mjs")),
    "npm test builds dist/ before the tests; run `node scripts/build.mjs` first",
  );
  const home = tempHome();
  const stdout = await new Promise<string>((resolve, reject) =>
    execFile(
      process.execPath,
      ["test/fixtures/engine/plain-script.mts"],
      { cwd: ROOT, env: { ...process.env, SKEIN_HOME: home } },
      (error, out, err) => (error ? reject(new Error(`${error.message}\n${err}`)) : resolve(out)),
    ),
  );
  assert.match(
    stdout,
    /\| INFO {5}\| Flow run '[a-z]+-[a-z]+' - Beginning flow run '[a-z]+-[a-z]+' for flow 'plain'\n/,
  );
  assert.match(stdout, /\| INFO {5}\| Flow run '[a-z]+-[a-z]+' - printed by the flow\n/);
  assert.match(stdout, /\| INFO {5}\| Task run 'double-0' - Finished in state Completed\(\)\n/);
  assert.match(stdout, /Finished in state Completed\(\)\nresult: 42\n$/);
});
