// The scheduler over real stores: the next runs of each active schedule, created once however often it ticks,
// with the schedule's parameters over the deployment's; none for a paused deployment or schedule; and with two
// servers on one PostgreSQL database exactly one schedules, and the other takes over when the leader dies.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { Scheduler } from "../../../server/services/scheduler.ts";
import { PostgresStore } from "../../../store/postgres/postgres-store.ts";
import { SqliteStore } from "../../../store/sqlite/sqlite-store.ts";
import type { DeploymentInput, Store } from "../../../store/types.ts";
import { PG_SKIP, PG_URL } from "../../fixtures/server/backends.ts";
import { tempHome } from "../../fixtures/temp-home.ts";

const NOW = Date.parse("2026-03-28T12:00:00Z");

async function deploy(store: Store, input: Partial<DeploymentInput> & { name: string }) {
  const outcome = await store.createDeployment({ flowName: "f", entrypoint: "f.ts:f", workPoolName: "pool", ...input });
  assert.ok("created" in outcome, JSON.stringify(outcome));
  return outcome.created;
}

describe("the scheduler on SQLite", () => {
  let store: SqliteStore;
  before(async () => {
    store = new SqliteStore(path.join(tempHome("skein-scheduler-"), "skein.db"));
    await store.createWorkPool({ name: "pool" });
  });
  after(() => store.close());

  test("creates the next runs of each active schedule once, in its time zone, with its parameters", async () => {
    const deployment = await deploy(store, {
      name: "nightly",
      parameters: { region: "eu", size: 1 },
      schedules: [
        { cron: "30 2 * * *", timezone: "Europe/Berlin", active: true, parameters: { size: 2 } },
        { interval: 60, active: false, parameters: {} },
      ],
    });
    await deploy(store, {
      name: "paused",
      paused: true,
      schedules: [{ interval: 60, active: true, parameters: {} }],
    });
    const scheduler = new Scheduler(store, { now: () => NOW, runsAhead: 3 });
    await scheduler.tick();
    await scheduler.tick();
    const runs = await store.listFlowRuns({ stateTypes: ["SCHEDULED"], limit: 100 });
    assert.equal(runs.length, 3, "three runs ahead, created once, none for the paused deployment or schedule");
    assert.ok(runs.every((run) => run.deploymentId === deployment.id));
    assert.deepEqual(runs.map((run) => run.expectedStartTime).sort(), [
      "2026-03-29T01:00:00.000Z", // spring-forward: 02:30 does not exist, the run is at 03:00 CEST
      "2026-03-30T00:30:00.000Z",
      "2026-03-31T00:30:00.000Z",
    ]);
    assert.deepEqual(runs[0].parameters, { region: "eu", size: 2 });
    assert.match(runs[0].state.message ?? "", /Scheduled by cron '30 2 \* \* \*' \(Europe\/Berlin\)/);
  });

  test("an interval counts from its schedule's anchor date, not from the deployment's creation", async () => {
    const deployment = await deploy(store, {
      name: "anchored",
      schedules: [{ interval: 3600, anchorDate: "2026-01-01T00:20:00+01:00", active: true, parameters: {} }],
    });
    await new Scheduler(store, { now: () => NOW, runsAhead: 2 }).tick();
    const runs = await store.listFlowRuns({ deploymentId: deployment.id, limit: 10 });
    assert.deepEqual(runs.map((run) => run.expectedStartTime).sort(), [
      "2026-03-28T12:20:00.000Z",
      "2026-03-28T13:20:00.000Z",
    ]);
  });
});

describe("the scheduler with two servers on one PostgreSQL database", { skip: PG_SKIP }, () => {
  const schema = `skein_sched_${process.pid}_${randomBytes(4).toString("hex")}`;
  let first: PostgresStore;
  let second: PostgresStore;
  before(async () => {
    first = await PostgresStore.connect(PG_URL!, { schema, maxConnections: 3 });
    second = await PostgresStore.connect(PG_URL!, { schema, maxConnections: 3 });
    await first.createWorkPool({ name: "pool" });
    await deploy(first, { name: "every-minute", schedules: [{ cron: "* * * * *", active: true, parameters: {} }] });
  });
  after(async () => {
    // Both stores, whatever the test got to: an open leadership connection would keep this process alive.
    await Promise.all([first.close(), second.close()].map((closing) => closing.catch(() => undefined)));
    const cleanup = await PostgresStore.connect(PG_URL!, { schema, maxConnections: 1 });
    await cleanup.dropSchema(schema);
    await cleanup.close();
  });

  test("exactly one schedules, and the other takes over when the leader's connection dies", async () => {
    const one = new Scheduler(first, { now: () => NOW });
    const two = new Scheduler(second, { now: () => NOW });
    await Promise.all([one.tick(), two.tick()]);
    await Promise.all([one.tick(), two.tick()]);
    assert.equal([one.leader, two.leader].filter(Boolean).length, 1, "one leader");
    const leader = one.leader ? first : second;
    const follower = one.leader ? two : one;
    assert.equal((await second.listFlowRuns({ stateTypes: ["SCHEDULED"] })).length, 3);
    await leader.close(); // the server dies: its lock goes with its connection
    const survivor = leader === first ? second : first;
    const later = new Scheduler(survivor, { now: () => NOW + 3600_000 });
    await (follower === two ? two : one).tick();
    assert.equal(follower.leader, true, "the survivor took over");
    await later.tick();
    const runs = await survivor.listFlowRuns({ stateTypes: ["SCHEDULED"], limit: 100 });
    assert.equal(runs.length, 6, "the new leader schedules the next runs");
  });
});

describe("servers on one PostgreSQL database whose URLs choose different schemas", { skip: PG_SKIP }, () => {
  const schemas = [0, 1].map((i) => `skein_sched_url_${i}_${process.pid}_${randomBytes(3).toString("hex")}`);
  const inSchema = (schema: string) => {
    const url = new URL(PG_URL!);
    url.searchParams.set("options", `-c search_path=${schema}`);
    return url.toString();
  };
  after(async () => {
    const cleanup = await PostgresStore.connect(PG_URL!, { maxConnections: 1 });
    for (const schema of schemas) await cleanup.dropSchema(schema);
    await cleanup.close();
  });

  test("each schema has its own scheduler leader", async () => {
    for (const schema of schemas) await (await PostgresStore.connect(PG_URL!, { schema, maxConnections: 1 })).close();
    const stores = await Promise.all(schemas.map((schema) => PostgresStore.connect(inSchema(schema))));
    try {
      assert.deepEqual(await Promise.all(stores.map((store) => store.holdSchedulerLeadership())), [true, true]);
    } finally {
      await Promise.all(stores.map((store) => store.close()));
    }
  });
});
