import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { BRIEF_RETRY } from "../../../client/api-client.ts";
import { flowRunsApi } from "../../../protocol/api/flow-runs.ts";
import type { RunEvent } from "../../../protocol/run-events.ts";
import { startLocalServer } from "../../../extension/connection/local-server.ts";
import { type ConnectionStatus, SkeinConnection } from "../../../extension/connection/skein-connection.ts";
import { builtCli, runCli } from "../../fixtures/built-cli.ts";
import { tempHome } from "../../fixtures/temp-home.ts";

function connectionFor(home: string, statuses: ConnectionStatus[] = []) {
  let starts = 0;
  const connection = new SkeinConnection({
    home: () => home,
    apiUrl: () => "",
    apiKey: async () => undefined,
    startLocalServer: (target) => {
      starts++;
      return startLocalServer(
        { spawn, cliPath: builtCli(), runtime: async () => ({ command: process.execPath, env: {} }) },
        target,
      );
    },
    onStatus: (status) => statuses.push(status),
  });
  return { connection, starts: () => starts };
}

test("the connection starts the SKEIN_HOME's server on first use, sees runs from the CLI live, and starts it again after it stops", async (t) => {
  const home = tempHome();
  t.after(() => runCli(["server", "stop"], home));
  const statuses: ConnectionStatus[] = [];
  const { connection, starts } = connectionFor(home, statuses);
  t.after(() => connection.dispose());

  const client = await connection.client();
  assert.equal(starts(), 1);
  assert.equal(statuses.at(-1)?.kind, "connected");
  assert.deepEqual((await client.call(flowRunsApi.list, { query: { limit: 50, offset: 0 } })).flowRuns, []);

  // A run from a terminal shows up on the live stream the explorer follows.
  const events: RunEvent[] = [];
  const completed = new Promise<void>((resolve) => {
    const follower = connection.follow({
      onEvent: (event) => {
        events.push(event);
        if (event.kind === "state" && event.runKind === "flow" && event.state.type === "COMPLETED") {
          follower.close();
          resolve();
        }
      },
    });
  });
  const run = await runCli(["run", "examples/hello.ts:hello"], home);
  assert.equal(run.code, 0, run.stderr);
  await completed;
  assert.ok(events.some((event) => event.kind === "flow-run-created" && event.flowName === "hello"));

  // A second connection (another window) finds the running server instead of starting one.
  const other = connectionFor(home);
  t.after(() => other.connection.dispose());
  assert.equal((await other.connection.client()).baseUrl, client.baseUrl);
  assert.equal(other.starts(), 0);

  // The server stops (the user ran `skein server stop`): the next call starts it again and succeeds.
  assert.equal((await runCli(["server", "stop"], home)).code, 0);
  const listed = await connection.withClient((again) =>
    again.call(flowRunsApi.list, { query: { limit: 50, offset: 0 } }, { retry: BRIEF_RETRY }),
  );
  assert.equal(listed.flowRuns.length, 1);
  assert.equal(starts(), 2);
});

test("a remote server that cannot be reached fails with where it tried, and the next call tries again", async () => {
  const statuses: ConnectionStatus[] = [];
  const connection = new SkeinConnection({
    home: () => tempHome(),
    apiUrl: () => "http://127.0.0.1:9",
    apiKey: async () => "secret",
    startLocalServer: async () => assert.fail("a remote connection never starts a local server"),
    onStatus: (status) => statuses.push(status),
  });
  await assert.rejects(connection.client(), /Could not connect to the Skein server at http:\/\/127\.0\.0\.1:9/);
  assert.equal(statuses.at(-1)?.kind, "failed");
  await assert.rejects(connection.client(), /Could not connect/);
  assert.equal(statuses.filter((status) => status.kind === "connecting").length, 2);
});
