// A schedule before it fires: next fire times in its zone, daylight-saving notes, the cron in words.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { previewSchedule } from "../../../protocol/schedule-preview.ts";

const locals = (preview: ReturnType<typeof previewSchedule>) => preview!.fireTimes.map((f) => f.local);

describe("schedule preview", () => {
  it("moves a fixed time out of a spring-forward gap and says so", () => {
    const preview = previewSchedule({ cron: "30 2 * * *", timezone: "Europe/Paris" }, new Date("2026-03-27T00:00:00Z"));
    assert.equal(preview!.words, "At 02:30, every day");
    assert.match(preview!.dialect!, /OCPS\) 1\.4/);
    assert.deepEqual(locals(preview).slice(1, 4), [
      "Sat 2026-03-28 02:30 (UTC+01:00)",
      "Sun 2026-03-29 03:00 (UTC+02:00)",
      "Mon 2026-03-30 02:30 (UTC+02:00)",
    ]);
    assert.match(
      preview!.fireTimes[2].dstNote!,
      /02:30 does not exist .*clocks go forward from 02:00 to 03:00.*runs at 03:00/,
    );
    assert.equal(preview!.fireTimes[3].dstNote, undefined);
  });

  it("says when a time repeats on a fall-back day", () => {
    const preview = previewSchedule(
      { cron: "30 1 * * *", timezone: "America/New_York" },
      new Date("2026-10-31T12:00:00Z"),
    );
    assert.equal(preview!.fireTimes[0].local, "Sun 2026-11-01 01:30 (UTC-04:00)");
    assert.match(preview!.fireTimes[0].dstNote!, /01:30 occurs twice .*first one/);
    assert.equal(preview!.fireTimes[1].dstNote, undefined);
  });

  it("lists interval schedules from their anchor, in the schedule's zone", () => {
    const preview = previewSchedule(
      { interval: 2700, timezone: "Asia/Tokyo", anchor_date: "2026-01-01T00:00:00Z" },
      new Date("2026-01-01T00:10:00Z"),
    );
    assert.equal(preview!.words, "every 45 minutes");
    assert.deepEqual(locals(preview).slice(0, 2), [
      "Thu 2026-01-01 09:45 (UTC+09:00)",
      "Thu 2026-01-01 10:30 (UTC+09:00)",
    ]);
  });

  it("gives nothing for an invalid schedule (its diagnostic says why)", () => {
    assert.equal(previewSchedule({ cron: "? 12 * * *" }), undefined);
  });
});
