// A server restart (SIGKILL) in the middle of a 10,000-task flow run reporting through it: once the run
// process is done, every event is stored exactly once. Against SQLite and PostgreSQL.
import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { SqliteStore } from "../../../store/sqlite/sqlite-store.ts";
import { PostgresStore } from "../../../store/postgres/postgres-store.ts";
import type { Store } from "../../../store/types.ts";
import { BACKENDS, PG_URL, tempHome } from "../../fixtures/server/backends.ts";
import { createTestSchema } from "../../fixtures/server/pg-schema.ts";
import { exited, jsonLines, spawnTs, startServerProcess, waitFor } from "../../fixtures/server/processes.ts";

const TASKS = 10_000;

for (const backend of BACKENDS) {
  describe(`server restart mid-run (${backend.name})`, { skip: backend.skip }, () => {
    const cleanups: (() => Promise<void> | void)[] = [];
    after(async () => {
      for (const cleanup of cleanups.reverse()) await cleanup();
    });

    test(`a ${TASKS.toLocaleString("en")}-task flow run loses and duplicates nothing`, {
      timeout: 120_000,
    }, async () => {
      const home = tempHome();
      cleanups.push(() => fs.rmSync(home, { recursive: true, force: true }));
      const env: NodeJS.ProcessEnv = { SKEIN_API_URL: "", SKEIN_DATABASE_URL: "" };
      if (backend.name === "postgres") {
        const schema = await createTestSchema(PG_URL!);
        cleanups.push(() => schema.drop());
        env.SKEIN_DATABASE_URL = schema.url;
      }
      let server = await startServerProcess(home, env);
      cleanups.push(() => void server.child.kill("SIGKILL"));
      const port = server.info.port;

      const phases: any[] = [];
      const reporter = spawnTs("reporter.ts", [String(TASKS)], { SKEIN_API_URL: server.info.url });
      cleanups.push(() => void reporter.kill("SIGKILL"));
      const output = jsonLines(reporter, (line) => phases.push(line));
      await waitFor(() => phases.some((p) => p.phase === "half"), "the first half to be stored", 60_000);

      assert.ok(!phases.some((p) => p.phase === "done"), "the restart must happen while the run still reports");
      server.child.kill("SIGKILL");
      await exited(server.child);
      // The run process keeps emitting into a dead server for a moment, then the server comes back on its port.
      await new Promise((resolve) => setTimeout(resolve, 300));
      server = await startServerProcess(home, env, port);

      const code = await exited(reporter);
      assert.equal(code, 0, `reporter failed: ${output.stderr()}`);
      const { flowRunId, events } = phases.find((p) => p.phase === "start");
      assert.ok(phases.some((p) => p.phase === "done"));
      server.child.kill("SIGTERM");
      await exited(server.child);

      const store: Store =
        backend.name === "postgres"
          ? await PostgresStore.connect(env.SKEIN_DATABASE_URL!)
          : new SqliteStore(path.join(home, "skein.db"));
      try {
        const run = await store.getFlowRun(flowRunId);
        assert.equal(run?.state.name, "Completed");
        assert.deepEqual(
          (await store.listStates(flowRunId)).map((s) => s.name),
          ["Pending", "Running", "Completed"],
        );
        const taskRuns = await store.listTaskRuns(flowRunId);
        assert.equal(taskRuns.length, TASKS);
        assert.equal(new Set(taskRuns.map((t) => t.dynamicKey)).size, TASKS);
        assert.ok(
          taskRuns.every((t) => t.state.name === "Completed"),
          "every task run ended Completed",
        );
        const logs = await store.listLogs(flowRunId);
        // Each task run's log line, none lost or garbled (a repeat cannot be stored: log ids are unique).
        assert.deepEqual(
          logs.map((l) => l.message).sort(),
          Array.from({ length: TASKS }, (_, i) => `task ${i} line 0`).sort(),
        );
        // Every state of every task run, exactly once: sampled across the run (first, middle, last).
        for (const task of [taskRuns[0], taskRuns[Math.floor(TASKS / 2)], taskRuns[TASKS - 1]]) {
          assert.deepEqual(
            (await store.listStates(task.id)).map((s) => s.name),
            ["Pending", "Running", "Completed"],
          );
        }
        assert.equal(events, 2 + TASKS * 4 + 2);
      } finally {
        await store.close();
      }
    });
  });
}
