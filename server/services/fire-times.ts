// When a deployment schedule fires: cron read in its IANA time zone by croner (the parser protocol/schedules.ts
// checks expressions with, DST handled by croner: a local time skipped by spring-forward fires at the first
// instant after the gap, a repeated one fires once), intervals counted from the Unix epoch, and RFC 5545 rrules
// (a TZID in the rule sets their zone). The scheduler asks for the next fire times after an instant.
import { Cron } from "croner";
import { rrulestr } from "rrule";
import type { DeploymentSchedule } from "../../store/types.ts";

/**
 * Up to `count` fire times after `after` (exclusive) and not after `until`, in order. An rrule without DTSTART
 * counts from `anchor` (the deployment's creation), so its fire times do not move from one call to the next.
 */
export function nextFireTimes(
  schedule: DeploymentSchedule,
  after: Date,
  count: number,
  until: Date,
  anchor: Date = after,
): Date[] {
  let times: Date[];
  if (schedule.cron !== undefined) {
    const cron = new Cron(schedule.cron, { paused: true, timezone: schedule.timezone });
    try {
      times = cron.nextRuns(count, after);
    } finally {
      cron.stop();
    }
  } else if (schedule.interval !== undefined) {
    const step = schedule.interval * 1000;
    const first = Math.floor(after.getTime() / step) * step + step;
    times = Array.from({ length: count }, (_, index) => new Date(first + index * step));
  } else if (schedule.rrule !== undefined) {
    const rule = rrulestr(schedule.rrule, { dtstart: schedule.rrule.includes("DTSTART") ? undefined : anchor });
    times = [];
    let cursor = after;
    for (let index = 0; index < count; index++) {
      const next = rule.after(cursor, false);
      if (!next) break;
      times.push(next);
      cursor = next;
    }
  } else times = [];
  return times.filter((time) => time.getTime() > after.getTime() && time.getTime() <= until.getTime());
}
