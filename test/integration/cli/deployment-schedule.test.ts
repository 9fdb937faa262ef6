// `skein deployment schedule ls | pause | resume` as users run them, on the SQLite file of SKEIN_HOME and through a
// server over each backend: schedules listed with the name each answers to (slug, or number without one), a pause
// deletes that schedule's scheduled runs no worker claimed and says how many, a wrong name is an error that lists
// the right ones, and resume lets the scheduler make its runs again; pausing the deployment says how many it deleted.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { Scheduler } from "../../../server/services/scheduler.ts";
import { SqliteStore } from "../../../store/sqlite/sqlite-store.ts";
import type { DeploymentRecord, Store } from "../../../store/types.ts";
import { runCli } from "../../fixtures/built-cli.ts";
import { BACKENDS, tempHome } from "../../fixtures/server/backends.ts";
import { startTestServer, type TestServer } from "../../fixtures/server/test-server.ts";

function scheduleSuite(context: () => { home: string; apiUrl: string; store: Store }) {
  const skein = (...args: string[]) =>
    runCli(args, context().home, { env: { SKEIN_API_URL: context().apiUrl, SKEIN_DATABASE_URL: "" } });
  let deployment: DeploymentRecord;
  const waitingFrom = async (which: string) =>
    (await context().store.listFlowRuns({ deploymentId: deployment.id, stateTypes: ["SCHEDULED"] })).filter(
      (run) => run.parameters.which === which,
    ).length;
  const tick = () => new Scheduler(context().store, { runsAhead: 2 }).tick();

  before(async () => {
    const { store } = context();
    assert.ok("created" in (await store.createWorkPool({ name: "pool" })));
    const outcome = await store.createDeployment({
      name: "twice",
      flowName: "etl",
      entrypoint: "flows/etl.ts:etl",
      workPoolName: "pool",
      schedules: [
        { interval: 3600, slug: "hourly", active: true, parameters: { which: "hourly" } },
        { cron: "0 3 * * *", timezone: "Europe/Paris", active: true, parameters: { which: "nightly" } },
      ],
    });
    assert.ok("created" in outcome);
    deployment = outcome.created;
    await tick();
  });

  test("ls names each schedule as pause and resume take it, with its status and next run", async () => {
    const listed = await skein("deployment", "schedule", "ls", "etl/twice");
    assert.equal(listed.code, 0, listed.stderr);
    const [header, hourly, nightly] = listed.stdout.trim().split("\n");
    assert.match(header, /^SCHEDULE\s+WHEN\s+STATUS\s+NEXT RUN$/);
    assert.match(hourly, /^hourly\s+every 3600s\s+active\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    assert.match(nightly, /^2\s+0 3 \* \* \* \(Europe\/Paris\)\s+active\s+\d{4}-/);
  });

  test("pause deletes that schedule's scheduled runs only and says how many; resume schedules it again", async () => {
    assert.deepEqual([await waitingFrom("hourly"), await waitingFrom("nightly")], [2, 2]);
    const paused = await skein("deployment", "schedule", "pause", "etl/twice", "hourly");
    assert.equal(paused.code, 0, paused.stderr);
    assert.match(
      paused.stdout,
      /^Schedule 'hourly' of deployment 'etl\/twice' paused \(2 scheduled run\(s\) no worker had claimed deleted\)$/m,
    );
    assert.deepEqual([await waitingFrom("hourly"), await waitingFrom("nightly")], [0, 2]);
    assert.match(
      (await skein("deployment", "schedule", "ls", "etl/twice")).stdout,
      /^hourly\s+every 3600s\s+paused\s*$/m,
    );
    await tick();
    assert.equal(await waitingFrom("hourly"), 0, "a paused schedule makes no runs");
    const resumed = await skein("deployment", "schedule", "resume", "etl/twice", "hourly");
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.match(resumed.stdout, /^Schedule 'hourly' of deployment 'etl\/twice' resumed$/m);
    await tick();
    assert.equal(await waitingFrom("hourly"), 2);
  });

  test("a schedule without a slug is named by its number; a wrong name lists the right ones", async () => {
    const byNumber = await skein("deployment", "schedule", "pause", "etl/twice", "2");
    assert.equal(byNumber.code, 0, byNumber.stderr);
    assert.match(byNumber.stdout, /^Schedule '2' of deployment 'etl\/twice' paused \(2 scheduled/m);
    const slugged = await skein("deployment", "schedule", "pause", "etl/twice", "1");
    assert.equal(slugged.code, 1);
    assert.match(slugged.stderr, /schedule 1 has the slug 'hourly': name it by its slug/);
    const unknown = await skein("deployment", "schedule", "resume", "etl/twice", "weekly");
    assert.equal(unknown.code, 1);
    assert.match(
      unknown.stderr,
      /no schedule 'weekly' .*its schedules: hourly, 2; 'skein deployment schedule ls etl\/twice'/,
    );
    assert.equal(await waitingFrom("nightly"), 0);
  });

  test("pausing the whole deployment says how many scheduled runs it deleted", async () => {
    assert.equal((await skein("deployment", "schedule", "resume", "etl/twice", "2")).code, 0);
    await tick();
    assert.deepEqual([await waitingFrom("hourly"), await waitingFrom("nightly")], [2, 2]);
    const paused = await skein("deployment", "pause", "etl/twice");
    assert.equal(paused.code, 0, paused.stderr);
    assert.match(
      paused.stdout,
      /^Deployment 'etl\/twice' paused: .*4 scheduled run\(s\) no worker had claimed were deleted/m,
    );
    assert.deepEqual([await waitingFrom("hourly"), await waitingFrom("nightly")], [0, 0]);
  });
}

describe("skein deployment schedule on the SQLite file of SKEIN_HOME", () => {
  const home = tempHome("skein-schedule-cli-");
  const store = new SqliteStore(path.join(home, "skein.db"));
  after(() => store.close());
  scheduleSuite(() => ({ home, apiUrl: "", store }));
});

for (const backend of BACKENDS) {
  describe(`skein deployment schedule through a server over ${backend.name}`, { skip: backend.skip }, () => {
    const home = tempHome("skein-schedule-cli-server-");
    let server: TestServer;
    before(async () => {
      server = await startTestServer(backend);
    });
    after(() => server?.close());
    scheduleSuite(() => ({ home, apiUrl: server.url, store: server.store }));
  });
}
