// Output to a pipe whose reader has gone (`skein … | head -1`): the CLI stops writing there quietly. A flow run goes
// on to its real end with every record stored, and a listing command ends with its own exit code (0), without the
// stack of an unhandled EPIPE. The reader's end is closed at once, so every write of the command fails with EPIPE.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { describe, test } from "node:test";
import { type CliResult, openStore, ROOT, startCli, tempHome } from "../engine/helpers.ts";

const CHATTY = "test/fixtures/engine/chatty.ts:chatty";

function runWithClosedStdout(args: string[], home: string): Promise<CliResult> {
  const child = startCli(args, home);
  child.stdout!.destroy();
  return child.done;
}

async function storedRun(home: string) {
  const store = openStore(home);
  try {
    const [run] = await store.listFlowRuns();
    return { run, logs: await store.listLogs(run.id) };
  } finally {
    await store.close();
  }
}

describe("output to a pipe whose reader has gone", () => {
  const home = tempHome();

  test("skein run: the run completes and is stored whole", async () => {
    const result = await runWithClosedStdout(["run", CHATTY], home);
    assert.equal(result.stderr, "");
    assert.equal(result.code, 0);
    const { run, logs } = await storedRun(home);
    assert.equal(run.state.name, "Completed");
    assert.equal(logs.filter((log) => log.message.startsWith("line ")).length, 3000);
  });

  test("flow-run ls and flow-run logs exit 0 quietly", async () => {
    const { run } = await storedRun(home);
    for (const args of [
      ["flow-run", "ls", "--limit", "100"],
      ["flow-run", "logs", run.id],
    ]) {
      const result = await runWithClosedStdout(args, home);
      assert.equal(result.stderr, "", args.join(" "));
      assert.equal(result.code, 0, args.join(" "));
    }
  });

  test("a plain script's flow run completes", async () => {
    const scriptHome = tempHome();
    const child = spawn(process.execPath, ["test/fixtures/engine/plain-script.mts"], {
      cwd: ROOT,
      env: { ...process.env, SKEIN_HOME: scriptHome },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout.destroy();
    let stderr = "";
    child.stderr.on("data", (chunk) => (stderr += chunk));
    const code = await new Promise((resolve) => child.on("close", resolve));
    assert.equal(stderr, "");
    assert.equal(code, 0);
    assert.equal((await storedRun(scriptHome)).run.state.name, "Completed");
  });
});
