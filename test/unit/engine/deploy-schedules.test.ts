// The schedules `flow.deploy()` stores (engine/deploy.ts schedulesOf): the skein.yaml schedule in camelCase, with
// its anchor date stored as ISO in UTC and its slug, refused with the schedule's number when an anchor is not a
// time or two schedules share a slug.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { schedulesOf } from "../../../engine/deploy.ts";

describe("flow.deploy() schedules", () => {
  test("anchor dates (a Date or an ISO time with its offset) are stored in UTC, slugs as given", () => {
    assert.deepEqual(
      schedulesOf({
        name: "prod",
        schedules: [
          { interval: 3600, anchorDate: new Date("2026-01-01T08:30:00Z"), slug: "hourly" },
          { rrule: "FREQ=DAILY", anchorDate: "2026-01-01T09:30:00+01:00", timezone: "Europe/Paris" },
        ],
      }),
      [
        { interval: 3600, anchorDate: "2026-01-01T08:30:00.000Z", slug: "hourly", active: true, parameters: {} },
        {
          rrule: "FREQ=DAILY",
          timezone: "Europe/Paris",
          anchorDate: "2026-01-01T08:30:00.000Z",
          active: true,
          parameters: {},
        },
      ],
    );
    assert.deepEqual(schedulesOf({ name: "short", interval: 60, anchorDate: "2026-01-01T00:00:00Z" }), [
      { interval: 60, anchorDate: "2026-01-01T00:00:00.000Z", active: true, parameters: {} },
    ]);
  });

  test("an anchor that is not a time with an offset, or a slug used twice, is refused naming the schedule", () => {
    assert.throws(
      () => schedulesOf({ name: "prod", schedules: [{ interval: 60 }, { interval: 60, anchorDate: "2026-01-01" }] }),
      /Schedule 2 of 'prod': anchorDate: invalid anchor date '2026-01-01': write an ISO time with its offset/,
    );
    assert.throws(
      () => schedulesOf({ name: "prod", interval: 60, anchorDate: new Date("nonsense") }),
      /Schedule 1 of 'prod': anchorDate: invalid anchor date 'Invalid Date'/,
    );
    assert.throws(
      () =>
        schedulesOf({
          name: "prod",
          schedules: [
            { cron: "0 3 * * *", slug: "nightly" },
            { interval: 60, slug: "often" },
            { cron: "0 4 * * *", slug: "nightly" },
          ],
        }),
      /Schedules 1 and 3 of 'prod' share the slug 'nightly'; give each schedule its own/,
    );
  });
});
