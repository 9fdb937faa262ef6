// A run on another machine whose code blocks its main thread for longer than the staleness window keeps
// heartbeating (from the run process's heartbeat thread) and ends Completed, never Crashed (issue 9, finding 7).
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { sqliteBackend } from "../../fixtures/server/backends.ts";
import { FIXTURES } from "../../fixtures/server/processes.ts";
import { startTestServer, type TestServer } from "../../fixtures/server/test-server.ts";
import { startCli, tempHome } from "../engine/helpers.ts";

/** Longer than the run process's beat interval (5 s), shorter than the time the flow blocks. */
const STALE_AFTER_MS = 8_000;
const BLOCK_MS = 18_000;

describe("heartbeats while the event loop is blocked", () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer(sqliteBackend, {
      crashDetection: { enabled: true, intervalMs: 250, staleAfterMs: STALE_AFTER_MS },
    });
  });
  after(async () => server?.close());

  test("a run whose main thread blocks past the staleness window is not taken for dead", {
    timeout: 90_000,
  }, async () => {
    const saved = { api: process.env.SKEIN_API_URL, options: process.env.NODE_OPTIONS };
    process.env.SKEIN_API_URL = server.url;
    process.env.NODE_OPTIONS = `--import ${path.join(FIXTURES, "other-host.mjs")}`;
    const child = startCli(
      ["run", "test/fixtures/engine/blocks-main-thread.ts:blocksMainThread", "--param", `blockMs=${BLOCK_MS}`],
      tempHome(),
    );
    for (const [name, value] of [
      ["SKEIN_API_URL", saved.api],
      ["NODE_OPTIONS", saved.options],
    ] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    const result = await child.done;
    assert.equal(result.code, 0, result.stderr);
    const [run] = await server.store.listFlowRuns({ flowName: "blocks-main-thread" });
    assert.equal(run.host, "another-host", "the run counts as another machine's");
    const states = (await server.store.listStates(run.id)).map((s) => s.name);
    assert.ok(!states.includes("Crashed"), `never Crashed: ${states.join(" -> ")}`);
    assert.equal(run.state.name, "Completed");
  });
});
