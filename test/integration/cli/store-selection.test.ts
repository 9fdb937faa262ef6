// Every CLI command reads the same store: the local server of SKEIN_HOME when one runs, even when that server
// keeps its runs somewhere the SQLite file of SKEIN_HOME does not (PostgreSQL, or another file). Here the file
// holds a different run, so a command that read the file would show it instead.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { SqliteStore } from "../../../store/sqlite/sqlite-store.ts";
import { writeServerFile } from "../../../client/server-file.ts";
import { BACKENDS } from "../../fixtures/server/backends.ts";
import { flowRunEvents } from "../../fixtures/server/events.ts";
import { startTestServer, type TestServer } from "../../fixtures/server/test-server.ts";
import { runCli, tempHome } from "../engine/helpers.ts";

for (const backend of BACKENDS) {
  describe(`CLI commands against a local server on ${backend.name}, not on SKEIN_HOME's file`, {
    skip: backend.skip,
  }, () => {
    const home = tempHome();
    let server: TestServer;
    let serverRunId = "";
    let fileRunId = "";

    before(async () => {
      server = await startTestServer(backend);
      const served = flowRunEvents({ flowName: "served", tasks: 2 });
      await server.store.appendEvents(served);
      serverRunId = served[0].flowRunId;
      const file = new SqliteStore(path.join(home, "skein.db"));
      const local = flowRunEvents({ flowName: "file-only", tasks: 1 });
      await file.appendEvents(local);
      await file.close();
      fileRunId = local[0].flowRunId;
      // As `skein server start` announces itself; this process is the live server.
      const { port } = new URL(server.url);
      writeServerFile(home, {
        pid: process.pid,
        url: server.url,
        host: "127.0.0.1",
        port: Number(port),
        backend: backend.name,
        startedAt: new Date().toISOString(),
      });
    });
    after(() => server?.close());

    const json = async (args: string[]) => {
      const result = await runCli([...args, "--json"], home);
      assert.equal(result.code, 0, result.stderr);
      return JSON.parse(result.stdout);
    };

    test("flow-run ls, flow-run inspect and task-run ls show the server's runs", async () => {
      const listed = await json(["flow-run", "ls"]);
      assert.deepEqual(
        listed.map((run: { id: string }) => run.id),
        [serverRunId],
        `flow-run ls read ${listed.some((run: { id: string }) => run.id === fileRunId) ? "the SQLite file" : "?"}`,
      );
      const inspected = await json(["flow-run", "inspect", serverRunId]);
      const taskRuns = await json(["task-run", "ls", serverRunId]);
      assert.equal(taskRuns.length, 2);
      assert.deepEqual(
        inspected.taskRuns.map((t: { id: string }) => t.id).sort(),
        taskRuns.map((t: { id: string }) => t.id).sort(),
      );
    });

    test("variables are read and written there too", async () => {
      assert.equal((await runCli(["variable", "set", "region", '"eu"'], home)).code, 0);
      assert.equal(await server.store.getVariable("region"), "eu");
      assert.deepEqual(await json(["variable", "ls"]), [{ name: "region", value: "eu" }]);
    });
  });
}
