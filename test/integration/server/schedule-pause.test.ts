// Pausing one schedule of a deployment, as Prefect does: the scheduler stops making its runs and the runs it made
// from it that no worker has claimed are deleted, while the deployment's other schedule, a run asked for by hand
// and a run a worker already claimed stay; resumed, it makes upcoming runs again (never a second run for a fire
// time a claimed run holds). A deploy that changes one schedule deletes only that schedule's runs, pausing the
// deployment deletes every scheduler-made run not claimed, and a schedule changed between the scheduler's read
// and its write gets no run. On SQLite and PostgreSQL, directly and through the API (HttpStore); through the API,
// the server announces every run a change deleted on its live stream, so views showing them drop them.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { type EventFollower, followEvents } from "../../../client/event-stream.ts";
import { newId } from "../../../protocol/ids.ts";
import { Scheduler } from "../../../server/services/scheduler.ts";
import { createDeploymentRun } from "../../../server/services/deployment-runs.ts";
import { HttpStore } from "../../../store/http/http-store.ts";
import { runScheduleOf, ScheduleChangedError } from "../../../store/schedule-runs.ts";
import type { DeploymentRecord, FlowRunRecord, Store } from "../../../store/types.ts";
import { BACKENDS } from "../../fixtures/server/backends.ts";
import { waitFor } from "../../fixtures/server/processes.ts";
import { startTestServer, type TestServer } from "../../fixtures/server/test-server.ts";

const HOUR = 3600_000;
// Two hours back from the last full hour: every run the scheduler makes from here is due, so a worker may claim.
const BASE = Math.floor(Date.now() / HOUR) * HOUR - 2 * HOUR;
const at = (minutes: number) => new Date(BASE + minutes * 60_000).toISOString();

const HOURLY = { interval: 3600, anchorDate: at(10), slug: "hourly", active: true, parameters: { which: "hourly" } };
const HALF_PAST = { cron: "40 * * * *", active: true, parameters: { which: "cron" } };

for (const backend of BACKENDS) {
  for (const through of ["store", "api"] as const) {
    describe(`pausing one schedule on ${backend.name}, through the ${through}`, { skip: backend.skip }, () => {
      let server: TestServer;
      /** The server's own store: the scheduler's and the worker's. */
      let store: Store;
      /** Where pauses, deploys and runs by hand go: the same store, or an HttpStore through the API. */
      let client: Store;
      let deployment: DeploymentRecord;
      let byHand: FlowRunRecord;
      let claimed: FlowRunRecord;
      /** Through the API: the runs the server's live stream said were deleted, in order. */
      const streamedDeletions: string[] = [];
      let follower: EventFollower | undefined;
      const scheduler = () => new Scheduler(store, { now: () => BASE, runsAhead: 2 });

      before(async () => {
        server = await startTestServer(backend);
        store = server.store;
        client = through === "api" ? new HttpStore(server.url) : store;
        if (through === "api") {
          let connected = false;
          follower = followEvents(server.client, {
            onEvent: () => undefined,
            onDeleted: (flowRunId) => streamedDeletions.push(flowRunId),
            onConnect: () => (connected = true),
          });
          await waitFor(() => connected, "the stream to connect");
        }
        assert.ok("created" in (await store.createWorkPool({ name: "pool" })));
        const outcome = await client.createDeployment({
          name: "twice",
          flowName: "f",
          entrypoint: "f.ts:f",
          workPoolName: "pool",
          schedules: [HOURLY, HALF_PAST],
        });
        assert.ok("created" in outcome, JSON.stringify(outcome));
        deployment = outcome.created;
      });
      after(async () => {
        follower?.close();
        if (client !== store) await client?.close();
        await server?.close();
      });

      /**
       * The runs a change deleted, as it reported them: through the API, the stream announced exactly these (and
       * nothing more) since the last check. A store changed directly has no server to announce anything.
       */
      async function deletedAndAnnounced(deletedRunIds: string[]): Promise<string[]> {
        if (through === "store") return deletedRunIds;
        const announced = await waitFor(
          () => (streamedDeletions.length >= deletedRunIds.length ? streamedDeletions.splice(0) : undefined),
          "the deletions on the live stream",
        );
        assert.deepEqual(announced.sort(), [...deletedRunIds].sort());
        return deletedRunIds;
      }

      /** The deployment's waiting runs (not claimed) by where they came from, each as its expected start. */
      async function waiting(): Promise<Record<string, string[]>> {
        const runs = await store.listFlowRuns({ deploymentId: deployment.id, stateTypes: ["SCHEDULED"], limit: 100 });
        const grouped: Record<string, string[]> = {};
        for (const run of runs) {
          const from = (run.parameters.which as string | undefined) ?? "by hand";
          (grouped[from] ??= []).push(run.expectedStartTime!);
        }
        for (const times of Object.values(grouped)) times.sort();
        return grouped;
      }

      test("the scheduler makes each schedule's runs; a worker claims the first; a run is asked for by hand", async () => {
        await scheduler().tick();
        ({ run: byHand } = await createDeploymentRun(client, deployment, {
          scheduledTime: at(200),
          origin: "asked for by hand",
        }));
        assert.deepEqual(await waiting(), {
          hourly: [at(10), at(70)],
          cron: [at(40), at(100)],
          "by hand": [at(200)],
        });
        const { claimed: taken } = await store.claimFlowRuns({
          workPoolName: "pool",
          workerName: "w",
          pid: 1,
          host: "h",
          limit: 1,
        });
        assert.deepEqual(
          taken.map((run) => run.expectedStartTime),
          [at(10)],
        );
        claimed = taken[0];
      });

      test("pausing the hourly schedule deletes only its runs no worker claimed; it makes no more", async () => {
        const paused = await client.setScheduleActive(deployment.id, "hourly", false);
        assert.ok(paused && "deployment" in paused, JSON.stringify(paused));
        assert.deepEqual([paused.index, paused.deployment.schedules[0].active], [0, false]);
        const [deleted, ...more] = await deletedAndAnnounced(paused.deletedRunIds);
        assert.equal(more.length, 0, "one hourly run was waiting");
        assert.equal(await store.getFlowRun(deleted), undefined);
        assert.equal(paused.deployment.schedules[1].active, true, "the other schedule is untouched");
        await scheduler().tick();
        assert.deepEqual(await waiting(), { cron: [at(40), at(100)], "by hand": [at(200)] });
        assert.equal((await store.getFlowRun(claimed.id))?.state.name, "Pending", "a claimed run stays");
        assert.equal((await store.getFlowRun(byHand.id))?.state.name, "Scheduled");
      });

      test("a schedule is named by its slug, or by its number when it has none; anything else is refused", async () => {
        const one = await client.setScheduleActive(deployment.id, "1", false);
        assert.deepEqual(one, {
          problem: "deployment 'f/twice': schedule 1 has the slug 'hourly': name it by its slug",
        });
        const none = await client.setScheduleActive(deployment.id, "nightly", false);
        assert.ok(none && "problem" in none);
        assert.match(none.problem, /no schedule 'nightly' .*; its schedules: hourly, 2$/);
        assert.equal(await client.setScheduleActive(newId(), "hourly", false), undefined, "no such deployment");
      });

      test("resumed, the scheduler makes its upcoming runs again, but never a second run for the claimed one's time", async () => {
        const resumed = await client.setScheduleActive(deployment.id, "hourly", true);
        assert.ok(resumed && "deployment" in resumed);
        assert.deepEqual(resumed.deletedRunIds, []);
        await scheduler().tick();
        assert.deepEqual(await waiting(), { hourly: [at(70)], cron: [at(40), at(100)], "by hand": [at(200)] });
        const runs = await store.listFlowRuns({ deploymentId: deployment.id, limit: 100 });
        assert.equal(runs.filter((run) => run.expectedStartTime === at(10)).length, 1, "one run at 00:10: the claimed");
      });

      test("a deploy that changes one schedule deletes that schedule's runs only; the scheduler makes the new ones", async () => {
        const updated = await client.updateDeployment(deployment.id, {
          schedules: [HOURLY, { ...HALF_PAST, cron: "50 * * * *" }],
        });
        assert.equal(updated?.deployment.schedules[1].cron, "50 * * * *");
        assert.equal((await deletedAndAnnounced(updated.deletedRunIds)).length, 2, "the two cron runs");
        assert.deepEqual(await waiting(), { hourly: [at(70)], "by hand": [at(200)] });
        await scheduler().tick();
        assert.deepEqual(await waiting(), { hourly: [at(70)], cron: [at(50), at(110)], "by hand": [at(200)] });
        const described = await client.updateDeployment(deployment.id, { description: "same schedules" });
        assert.equal(described?.deployment.description, "same schedules");
        assert.deepEqual(await deletedAndAnnounced(described.deletedRunIds), []);
        assert.deepEqual(await waiting(), { hourly: [at(70)], cron: [at(50), at(110)], "by hand": [at(200)] });
      });

      test("a run made from a schedule paused after the scheduler read it is not stored", async () => {
        const stale = (await store.getDeployment(deployment.id))!;
        const paused = await client.setScheduleActive(deployment.id, "2", false);
        assert.ok(paused && "deployment" in paused);
        assert.equal((await deletedAndAnnounced(paused.deletedRunIds)).length, 2);
        await assert.rejects(
          store.createDeploymentRun({
            id: newId(),
            name: "late-write",
            deployment: stale,
            parameters: {},
            tags: [],
            expectedStartTime: at(170),
            idempotencyKey: `scheduled:${stale.id}:index:2:${at(170)}`,
            schedule: runScheduleOf(stale, 1),
            state: { type: "SCHEDULED", name: "Scheduled", timestamp: new Date().toISOString() },
          }),
          ScheduleChangedError,
        );
        assert.deepEqual(await waiting(), { hourly: [at(70)], "by hand": [at(200)] });
        assert.ok(await client.setScheduleActive(deployment.id, "2", true));
      });

      test("pausing the deployment deletes every scheduler-made run no worker claimed; a run by hand stays", async () => {
        await scheduler().tick();
        assert.deepEqual(Object.keys(await waiting()).sort(), ["by hand", "cron", "hourly"]);
        const swept = Object.values(await waiting()).flat().length - 1;
        const paused = await client.updateDeployment(deployment.id, { paused: true });
        assert.equal(paused?.deployment.paused, true);
        assert.equal((await deletedAndAnnounced(paused.deletedRunIds)).length, swept);
        assert.deepEqual(await waiting(), { "by hand": [at(200)] });
        assert.equal((await store.getFlowRun(claimed.id))?.state.name, "Pending");
        await client.updateDeployment(deployment.id, { paused: false });
        await scheduler().tick();
        assert.deepEqual(Object.keys(await waiting()).sort(), ["by hand", "cron", "hourly"]);
        const removed = await client.deleteDeployment(deployment.id);
        assert.equal(removed.deleted, true);
        assert.equal((await deletedAndAnnounced(removed.deletedRunIds)).length, swept);
        assert.deepEqual(await waiting(), { "by hand": [at(200)] }, "deleting it sweeps them too");
      });
    });
  }
}
