// The one set of schedule rules the editor and the API server share: cron (croner), rrule, IANA time zones, and
// the interval bound both JSON schemas of a schedule must carry.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import {
  nextScheduleTime,
  cronProblem,
  cronWarnings,
  isValidTimeZone,
  MAX_INTERVAL_SECONDS,
  rruleProblem,
  scheduleProblems,
} from "../../../protocol/schedules.ts";
import { DeploymentSchedule } from "../../../protocol/api/deployments.ts";

describe("schedule rules", () => {
  it("accepts valid cron expressions and says why others are invalid or never fire", () => {
    assert.equal(cronProblem("0 3 * * MON-FRI", "Europe/Paris"), undefined);
    assert.equal(cronProblem("@daily"), undefined);
    assert.match(cronProblem("0 25 * * *")!, /^invalid cron expression '0 25 \* \* \*': Invalid value for hour: 25/);
    assert.match(cronProblem("* * *")!, /five fields/);
    assert.match(cronProblem("*/0 * * * *")!, /illegal stepping/);
    assert.equal(cronProblem("0 0 30 2 *"), undefined, "OCPS keeps impossible dates valid");
    assert.deepEqual(cronWarnings("0 0 30 2 *"), ["the cron expression '0 0 30 2 *' never fires"]);
    assert.match(cronProblem("0 0 3 * * *")!, /6 fields; .*does not take a sixth field as seconds/);
    assert.match(cronProblem("? 12 * * *")!, /'\?' is allowed only in the day-of-month and day-of-week fields/);
    assert.match(cronWarnings("*/45 * * * *")[0], /does not divide 60: it fires at 0, 45/);
  });

  it("knows IANA time zones", () => {
    assert.equal(isValidTimeZone("America/New_York"), true);
    assert.equal(isValidTimeZone("UTC"), true);
    assert.equal(isValidTimeZone("Mars/Olympus"), false);
    assert.equal(isValidTimeZone(""), false);
  });

  it("checks rrules", () => {
    assert.equal(rruleProblem("FREQ=WEEKLY;BYDAY=MO"), undefined);
    assert.match(rruleProblem("FREQ=SOMETIMES")!, /^invalid rrule 'FREQ=SOMETIMES': .*RFC 5545/);
  });

  it("reports every problem of a schedule by field, the time zone first, and reads cron in a valid zone only", () => {
    assert.deepEqual(scheduleProblems({ cron: "0 3 * * *", timezone: "Asia/Tokyo" }), []);
    assert.deepEqual(
      scheduleProblems({ cron: "61 * * * *", timezone: "Mars/Olympus", rrule: "FREQ=NEVER" }).map((p) => p.field),
      ["timezone", "cron", "rrule"],
    );
    assert.deepEqual(
      scheduleProblems({ cron: "0 3 * * *", timezone: "Mars/Olympus" }).map((p) => p.field),
      ["timezone"],
      "a valid expression is not blamed for its unknown zone",
    );
    assert.deepEqual(scheduleProblems({ cron: 3, timezone: null }), [], "shapes are the JSON schemas' job");
  });

  it("both JSON schemas of a schedule bound the interval by MAX_INTERVAL_SECONDS", () => {
    const apiSchedule = DeploymentSchedule.properties;
    assert.equal((apiSchedule.interval as { maximum?: number }).maximum, MAX_INTERVAL_SECONDS);
    const file = path.join(import.meta.dirname, "../../../protocol/skein-yaml/skein-yaml.schema.json");
    const yamlSchema = JSON.parse(fs.readFileSync(file, "utf8"));
    assert.equal(yamlSchema.definitions.schedule.properties.interval.maximum, MAX_INTERVAL_SECONDS);
  });
});

describe("the next time a schedule fires", () => {
  const after = new Date("2026-11-30T10:30:00Z");
  const anchor = new Date("2026-11-01T00:00:00Z");
  it("reads a cron expression in its time zone", () => {
    // 09:00 in Paris is 08:00 UTC in winter.
    assert.equal(
      nextScheduleTime({ cron: "0 9 * * *", timezone: "Europe/Paris" }, after, anchor)?.toISOString(),
      "2026-12-01T08:00:00.000Z",
    );
  });
  it("counts an interval from its anchor, and an rrule from it", () => {
    assert.equal(nextScheduleTime({ interval: 7200 }, after, anchor)?.toISOString(), "2026-11-30T12:00:00.000Z");
    assert.deepEqual(nextScheduleTime({ interval: 60 }, new Date("2026-10-01T00:00:00Z"), anchor), anchor);
    assert.equal(
      nextScheduleTime({ rrule: "FREQ=DAILY;BYHOUR=3;BYMINUTE=0;BYSECOND=0" }, after, anchor)?.toISOString(),
      "2026-12-01T03:00:00.000Z",
    );
  });
  it("has no next time for a schedule that does not parse", () => {
    assert.equal(nextScheduleTime({ cron: "not cron" }, after, anchor), undefined);
  });
});
