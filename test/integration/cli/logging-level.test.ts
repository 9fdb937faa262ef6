// SKEIN_LOGGING_LEVEL sets the lowest level a run records and `skein run` prints (info by default), like Prefect's
// PREFECT_LOGGING_LEVEL; an unknown level stops the command with the choices.
import assert from "node:assert/strict";
import { test } from "node:test";
import { openStore, runCli, tempHome } from "../engine/helpers.ts";

const FLOW = "test/fixtures/engine/every-level.ts:everyLevel";

async function storedLevels(home: string): Promise<string[]> {
  const store = openStore(home);
  try {
    const [run] = await store.listFlowRuns();
    return (await store.listLogs(run.id)).map((log) => log.level);
  } finally {
    await store.close();
  }
}

test("SKEIN_LOGGING_LEVEL filters what a run records and prints", async () => {
  const byDefault = tempHome();
  const plain = await runCli(["run", FLOW], byDefault);
  assert.equal(plain.code, 0, plain.stderr);
  assert.doesNotMatch(plain.stdout, /a debug line/);
  assert.match(plain.stdout, /INFO +\| .* - an info line/);
  assert.deepEqual(await storedLevels(byDefault), ["info", "warning", "error"]);

  const warningHome = tempHome();
  const warning = await runCli(["run", FLOW], warningHome, { env: { SKEIN_LOGGING_LEVEL: "warning" } });
  assert.equal(warning.code, 0, warning.stderr);
  assert.doesNotMatch(warning.stdout, /an info line/);
  assert.match(warning.stdout, /WARNING +\| .* - a warning line/);
  assert.deepEqual(await storedLevels(warningHome), ["warning", "error"]);

  const debugHome = tempHome();
  const debug = await runCli(["run", FLOW], debugHome, { env: { SKEIN_LOGGING_LEVEL: "debug" } });
  assert.match(debug.stdout, /DEBUG +\| .* - a debug line/);
  assert.deepEqual(await storedLevels(debugHome), ["debug", "info", "warning", "error"]);

  const unknown = await runCli(["run", FLOW], tempHome(), { env: { SKEIN_LOGGING_LEVEL: "loud" } });
  assert.equal(unknown.code, 1);
  assert.equal(
    unknown.stderr,
    "SKEIN_LOGGING_LEVEL must be one of debug, info, warning, error, critical, got 'loud'\n",
  );
  assert.match(
    (await runCli(["run", "--help"], tempHome())).stdout,
    /SKEIN_LOGGING_LEVEL +the lowest level of run logs/,
  );
});
