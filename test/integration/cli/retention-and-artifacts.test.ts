// `skein flow-run delete` (by id and by age) and `skein artifact ls | inspect` as users run them: on the SQLite
// file of SKEIN_HOME, and through a server (SKEIN_API_URL) over each backend. Runs are seeded as run events.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { randomUUID } from "node:crypto";
import type { RunEvent } from "../../../protocol/run-events.ts";
import { SqliteStore } from "../../../store/sqlite/sqlite-store.ts";
import type { Store } from "../../../store/types.ts";
import { runCli } from "../../fixtures/built-cli.ts";
import { BACKENDS, tempHome } from "../../fixtures/server/backends.ts";
import { Clock, flowRunEvents, state } from "../../fixtures/server/events.ts";
import { startTestServer, type TestServer } from "../../fixtures/server/test-server.ts";

const LONG_AGO = Date.parse("2001-01-01T00:00:00.000Z");

/** A flow run that ended Failed. */
function failedRun(clock: Clock): RunEvent[] {
  const events = flowRunEvents({ tasks: 0, clock, unfinished: true });
  const at = clock.next();
  const flowRunId = events[0].flowRunId;
  const failed = state("FAILED", "Failed", at, "boom");
  return [
    ...events,
    { kind: "state", id: randomUUID(), timestamp: at, flowRunId, runKind: "flow", runId: flowRunId, state: failed },
  ];
}

interface Seeded {
  oldCompleted: string;
  oldFailed: string;
  oldRunning: string;
  recent: string;
  key: string;
}

/** Old runs (Completed, Failed, one still Running in this live process) and a recent one; each has an artifact. */
async function seed(store: Store): Promise<Seeded> {
  const old = new Clock(LONG_AGO);
  const key = `report-${randomUUID().slice(0, 8)}`;
  const oldCompleted = flowRunEvents({ tasks: 2, clock: old, artifactKey: key });
  const oldFailed = failedRun(old);
  const oldRunning = flowRunEvents({ tasks: 1, clock: old, unfinished: true });
  const recent = flowRunEvents({ tasks: 1, clock: new Clock(Date.now() - 1000) });
  await store.appendEvents([...oldCompleted, ...oldFailed, ...oldRunning, ...recent]);
  return {
    oldCompleted: oldCompleted[0].flowRunId,
    oldFailed: oldFailed[0].flowRunId,
    oldRunning: oldRunning[0].flowRunId,
    recent: recent[0].flowRunId,
    key,
  };
}

type Skein = (...args: string[]) => ReturnType<typeof runCli>;

function scenarios(context: () => { skein: Skein; store: Store }): void {
  let runs: Seeded;
  before(async () => (runs = await seed(context().store)));

  test("artifact ls and inspect, as tables and as JSON", async () => {
    const { skein } = context();
    const ls = await skein("artifact", "ls");
    assert.equal(ls.code, 0, ls.stderr);
    assert.match(ls.stdout, /^ID +KEY +TYPE +FLOW RUN +UPDATED\n/);
    assert.match(ls.stdout, new RegExp(` ${runs.key} +markdown +${runs.oldCompleted} `));
    const listed = JSON.parse((await skein("artifact", "ls", "--flow-run", runs.oldCompleted, "--json")).stdout);
    assert.deepEqual(
      listed.map((artifact: { flowRunId: string }) => artifact.flowRunId),
      [runs.oldCompleted],
    );
    const byKey = JSON.parse((await skein("artifact", "ls", "--key", runs.key, "--json")).stdout);
    assert.deepEqual(
      byKey.map((artifact: { key: string }) => artifact.key),
      [runs.key],
    );
    const inspected = await skein("artifact", "inspect", listed[0].id);
    assert.equal(inspected.code, 0, inspected.stderr);
    assert.match(inspected.stdout, new RegExp(`^Artifact ${listed[0].id} \\(markdown\\)\n  key: +${runs.key}\n`));
    assert.match(inspected.stdout, /description: +the report\n/);
    assert.match(inspected.stdout, /\n# Report\n$/);
    assert.deepEqual(JSON.parse((await skein("artifact", "inspect", runs.key, "--json")).stdout), listed[0]);
    const missing = await skein("artifact", "inspect", "no-such-artifact");
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /No artifact with id or key 'no-such-artifact'/);
    assert.match((await skein("artifact", "ls", "--flow-run", "nope")).stderr, /No flow run with id nope/);
  });

  test("delete by id refuses unfinished and unknown runs, deleting nothing, unless --force", async () => {
    const { skein, store } = context();
    const refused = await skein("flow-run", "delete", runs.oldFailed, runs.oldRunning, "no-such-run");
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, new RegExp(`\\(${runs.oldRunning}\\) has not finished \\(Running\\(\\)\\); --force`));
    assert.match(refused.stderr, /No flow run with id no-such-run/);
    assert.ok(await store.getFlowRun(runs.oldFailed), "one refused id deletes nothing");
    const dryRun = await skein("flow-run", "delete", runs.oldRunning, "--force", "--dry-run");
    assert.match(dryRun.stdout, /Would delete 1 flow run\(s\)\n$/);
    assert.ok(await store.getFlowRun(runs.oldRunning), "a dry run deletes nothing");
    const forced = await skein("flow-run", "delete", runs.oldRunning, "--force");
    assert.equal(forced.code, 0, forced.stderr);
    assert.match(forced.stdout, new RegExp(`^Deleted flow run '.*' \\(${runs.oldRunning}\\)\n$`));
    assert.equal(await store.getFlowRun(runs.oldRunning), undefined);
    assert.deepEqual(await store.listTaskRuns(runs.oldRunning), []);
  });

  test("delete --older-than deletes finished runs older than that, of the given states", async () => {
    const { skein, store } = context();
    assert.match((await skein("flow-run", "delete", "--older-than", "30x")).stderr, /--older-than must be a number/);
    assert.match((await skein("flow-run", "delete", "--older-than", "")).stderr, /--older-than must be a number/);
    assert.match(
      (await skein("flow-run", "delete", "--older-than", "1d", "--state", "RUNNING")).stderr,
      /--state RUNNING: those runs have not finished; --force/,
    );
    const dryRun = await skein("flow-run", "delete", "--older-than", "30d", "--dry-run");
    assert.equal(dryRun.code, 0, dryRun.stderr);
    assert.match(dryRun.stdout, new RegExp(`${runs.oldCompleted} .* Completed\\(\\)`));
    assert.match(dryRun.stdout, new RegExp(`${runs.oldFailed} .* Failed`));
    assert.doesNotMatch(dryRun.stdout, new RegExp(runs.recent));
    assert.match(dryRun.stdout, /Would delete 2 flow run\(s\) created before /);
    const failedOnly = await skein("flow-run", "delete", "--older-than", "30d", "--state", "failed");
    assert.match(failedOnly.stdout, /^Deleted 1 flow run\(s\) created before /);
    assert.equal(await store.getFlowRun(runs.oldFailed), undefined);
    const rest = await skein("flow-run", "delete", "--older-than", "30d");
    assert.match(rest.stdout, /^Deleted 1 flow run\(s\) created before /);
    assert.equal(await store.getFlowRun(runs.oldCompleted), undefined);
    assert.deepEqual(await store.listLogs(runs.oldCompleted), []);
    assert.equal(await store.getArtifactByKey(runs.key), undefined);
    assert.ok(await store.getFlowRun(runs.recent), "a recent run stays");
    assert.match((await skein("flow-run", "delete", "--older-than", "30d")).stdout, /^Deleted 0 flow run\(s\)/);
  });
}

describe("flow-run delete and artifact commands on the SQLite file of SKEIN_HOME", () => {
  const home = tempHome("skein-retention-cli-");
  const store = new SqliteStore(path.join(home, "skein.db"));
  const skein: Skein = (...args) => runCli(args, home, { env: { SKEIN_API_URL: "", SKEIN_DATABASE_URL: "" } });
  after(async () => {
    await store.close();
    fs.rmSync(home, { recursive: true, force: true });
  });
  scenarios(() => ({ skein, store }));
});

for (const backend of BACKENDS) {
  describe(`flow-run delete and artifact commands through a server over ${backend.name}`, {
    skip: backend.skip,
  }, () => {
    const home = tempHome("skein-retention-cli-");
    let server: TestServer;
    let skein: Skein;
    before(async () => {
      server = await startTestServer(backend);
      // Asynchronous: the server runs in this process and must keep answering while the CLI waits.
      skein = (...args) => runCli(args, home, { env: { SKEIN_API_URL: server.url, SKEIN_DATABASE_URL: "" } });
    });
    after(async () => {
      await server?.close();
      fs.rmSync(home, { recursive: true, force: true });
    });
    scenarios(() => ({ skein, store: server.store }));
  });
}
