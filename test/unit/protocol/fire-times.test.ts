// When schedules fire, in their time zone, across daylight-saving changes: a cron time skipped by spring-forward
// fires at the first instant after the gap, a time repeated by fall-back fires once; intervals and rrules.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { nextFireTimes, type ScheduleTimes } from "../../../protocol/schedules.ts";

const schedule = (fields: ScheduleTimes): ScheduleTimes => fields;
const iso = (dates: Date[]) => dates.map((date) => date.toISOString());
const ANCHOR = new Date("2026-01-01T00:00:00Z");

describe("schedule fire times", () => {
  test("cron in Europe/Berlin across spring-forward (02:30 does not exist on 2026-03-29)", () => {
    const times = nextFireTimes(
      schedule({ cron: "30 2 * * *", timezone: "Europe/Berlin" }),
      new Date("2026-03-27T12:00:00Z"),
      4,
      ANCHOR,
    );
    assert.deepEqual(iso(times), [
      "2026-03-28T01:30:00.000Z", // 02:30 CET (UTC+1)
      "2026-03-29T01:00:00.000Z", // the gap: 03:00 CEST, the first instant after it
      "2026-03-30T00:30:00.000Z", // 02:30 CEST (UTC+2)
      "2026-03-31T00:30:00.000Z",
    ]);
  });

  test("cron in Europe/Berlin across fall-back (02:30 happens twice on 2026-10-25): it fires once", () => {
    const times = nextFireTimes(
      schedule({ cron: "30 2 * * *", timezone: "Europe/Berlin" }),
      new Date("2026-10-24T12:00:00Z"),
      3,
      ANCHOR,
    );
    assert.deepEqual(iso(times), [
      "2026-10-25T00:30:00.000Z", // the first 02:30 (CEST); the second (01:30Z, CET) does not fire again
      "2026-10-26T01:30:00.000Z",
      "2026-10-27T01:30:00.000Z",
    ]);
  });

  test("hourly cron keeps wall-clock hours in New York across the change, UTC without a zone", () => {
    const ny = nextFireTimes(
      schedule({ cron: "0 9 * * *", timezone: "America/New_York" }),
      new Date("2026-03-07T00:00:00Z"),
      2,
      ANCHOR,
    );
    assert.deepEqual(iso(ny), ["2026-03-07T14:00:00.000Z", "2026-03-08T13:00:00.000Z"]);
    assert.deepEqual(iso(nextFireTimes(schedule({ cron: "0 9 * * *" }), new Date("2026-03-07T00:00:00Z"), 1, ANCHOR)), [
      "2026-03-07T09:00:00.000Z",
    ]);
  });

  test("intervals and rrules count from their anchor (the deployment's creation)", () => {
    assert.deepEqual(iso(nextFireTimes(schedule({ interval: 3600 }), new Date("2026-05-01T10:20:00Z"), 2, ANCHOR)), [
      "2026-05-01T11:00:00.000Z",
      "2026-05-01T12:00:00.000Z",
    ]);
    const rrule = schedule({ rrule: "FREQ=DAILY;BYHOUR=6;BYMINUTE=0;BYSECOND=0" });
    assert.deepEqual(iso(nextFireTimes(rrule, new Date("2026-05-01T10:00:00Z"), 2, ANCHOR)), [
      "2026-05-02T06:00:00.000Z",
      "2026-05-03T06:00:00.000Z",
    ]);
    // Anchored at 10:05, an hourly interval fires at :05, not on the hour.
    assert.deepEqual(
      iso(
        nextFireTimes(
          schedule({ interval: 3600 }),
          new Date("2026-05-01T10:20:00Z"),
          1,
          new Date("2026-05-01T10:05:00Z"),
        ),
      ),
      ["2026-05-01T11:05:00.000Z"],
    );
  });

  test("a schedule's anchorDate wins over the default anchor, for intervals and rrules without DTSTART", () => {
    const after = new Date("2026-05-01T10:20:00Z");
    const interval = schedule({ interval: 3600, anchorDate: "2026-01-01T00:40:00+02:00" }); // 22:40Z the day before
    assert.deepEqual(iso(nextFireTimes(interval, after, 2, ANCHOR)), [
      "2026-05-01T10:40:00.000Z",
      "2026-05-01T11:40:00.000Z",
    ]);
    // Every second day from the anchor: the parity of the anchor's day decides which days fire.
    const rrule = schedule({ rrule: "FREQ=DAILY;INTERVAL=2", anchorDate: "2026-04-30T06:00:00Z" });
    assert.deepEqual(iso(nextFireTimes(rrule, after, 2, ANCHOR)), [
      "2026-05-02T06:00:00.000Z",
      "2026-05-04T06:00:00.000Z",
    ]);
    assert.deepEqual(
      iso(nextFireTimes({ ...rrule, anchorDate: undefined }, after, 1, new Date("2026-05-01T06:00:00Z"))),
      ["2026-05-03T06:00:00.000Z"],
      "without one, the default anchor",
    );
    assert.deepEqual(
      iso(nextFireTimes({ ...interval, anchorDate: "not a time" }, after, 1, ANCHOR)),
      ["2026-05-01T11:00:00.000Z"],
      "an anchor that is not a time falls back to the default (the server refuses one before it is stored)",
    );
  });
});
