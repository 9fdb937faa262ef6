// What makes a deployment schedule valid beyond its JSON shape: cron expressions as the Open Cron Pattern
// Specification (OCPS) 1.4 defines them, read by croner (the scheduler's parser), RFC 5545 rrules, IANA time
// zones, and the interval bound. The language server (skein.yaml diagnostics) and the API server (422 answers)
// both ask these, so an editor that shows no error means the server accepts the deployment. Messages name no
// location: each caller says where. Warnings (a pattern that never fires, a step that does not divide its range)
// are advice: the server accepts those patterns, as OCPS does.
import { Cron } from "croner";
import { rrulestr } from "rrule";

/** The longest interval between runs, in seconds (366 days); both JSON schemas of a schedule use it. */
export const MAX_INTERVAL_SECONDS = 366 * 24 * 3600;

/** The fields of a schedule the checks read (skein.yaml's and the API's spell them alike). */
export interface ScheduleFields {
  cron?: unknown;
  rrule?: unknown;
  timezone?: unknown;
  /** The API's and the engine's spelling; skein.yaml's `anchor_date` is checked by its JSON schema. */
  anchorDate?: unknown;
}

export interface ScheduleProblem {
  field: "cron" | "rrule" | "timezone" | "anchorDate";
  /** Starts in lower case, e.g. "unknown time zone 'Europe/Pariss': use an IANA name ...". */
  message: string;
}

/**
 * The cron dialect of every Skein schedule: OCPS 1.4 with exactly five fields (minute hour day-of-month month
 * day-of-week), day fields OR-ed unless `+` prefixes the day-of-week, `L`, `W`, `#` and `?` in the day fields only.
 * A sixth field is refused rather than read as seconds: OCPS 1.2 puts seconds first while Prefect's croniter
 * reads a sixth field as trailing seconds, so the same text would fire differently; a schedule finer than a
 * minute is an `interval`.
 */
export const CRON_DIALECT = {
  specification: "Open Cron Pattern Specification (OCPS)",
  version: "1.4",
  fields: 5,
  sixthField: "refused (not seconds): use `interval` for schedules finer than a minute",
} as const;

const cronShape =
  'a cron expression has five fields: minute hour day-of-month month day-of-week, e.g. "0 3 * * *" for 03:00 every day';

const fieldNames = ["minute", "hour", "day-of-month", "month", "day-of-week"] as const;
/** The span a `*\/step` walks in each field, and where it starts, to tell whether the step divides it. */
const fieldSpans = [60, 24, 31, 12, 7] as const;

// Both checks are slow (an Intl.DateTimeFormat per call, a date search per cron) and their answers do not
// change, while a skein.yaml repeats the same few zones and expressions and is revalidated on every edit.
const maxCached = 5000;
const timeZoneValidity = new Map<string, boolean>();
const cronProblems = new Map<string, string | undefined>();

function remember<V>(cache: Map<string, V>, key: string, compute: () => V): V {
  if (cache.has(key)) return cache.get(key) as V;
  if (cache.size >= maxCached) cache.clear();
  const value = compute();
  cache.set(key, value);
  return value;
}

export function isValidTimeZone(timeZone: string): boolean {
  return remember(timeZoneValidity, timeZone, () => {
    try {
      new Intl.DateTimeFormat("en-US", { timeZone });
      return true;
    } catch {
      return false;
    }
  });
}

let knownTimeZones: string[] | undefined;
/** Every IANA time zone name this runtime knows, for "did you mean" suggestions. */
export const timeZoneNames = (): string[] => (knownTimeZones ??= [...Intl.supportedValuesOf("timeZone"), "UTC"]);

/** Why croner rejects a cron expression read in `timeZone`, or that it never fires; undefined when it is valid. */
export function cronProblem(expression: string, timeZone?: string): string | undefined {
  return remember(cronProblems, `${expression}\n${timeZone ?? ""}`, () => findCronProblem(expression, timeZone));
}

/** The rules OCPS 1.4 has that croner does not enforce by itself (field count, where `?` may stand). */
function dialectProblem(expression: string): string | undefined {
  const fields = expression.trim().split(/\s+/);
  if (fields.length === 1 && fields[0].startsWith("@")) return undefined; // @daily and the other nicknames
  if (fields.length === 6 || fields.length === 7)
    return `invalid cron expression '${expression}': it has ${fields.length} fields; Skein reads exactly five (OCPS ${CRON_DIALECT.version}) and does not take a sixth field as seconds. Drop it, or use an \`interval\` schedule for runs closer than a minute; ${cronShape}`;
  const misplaced = fields.findIndex((field, index) => field.includes("?") && index !== 2 && index !== 4);
  if (fields.length === 5 && misplaced >= 0)
    return `invalid cron expression '${expression}': '?' is allowed only in the day-of-month and day-of-week fields (OCPS ${CRON_DIALECT.version}), not in the ${fieldNames[misplaced]} field`;
  return undefined;
}

/** Opens croner on a pattern in Skein's dialect; throws croner's error for a pattern it refuses. */
export function openCron(expression: string, timeZone?: string): Cron {
  return new Cron(expression, {
    paused: true,
    mode: "5-part",
    // An unknown zone is reported on its own field; the expression is then read in UTC.
    timezone: timeZone && isValidTimeZone(timeZone) ? timeZone : undefined,
  });
}

function findCronProblem(expression: string, timeZone?: string): string | undefined {
  const dialect = dialectProblem(expression);
  if (dialect) return dialect;
  let cron: Cron | undefined;
  try {
    cron = openCron(expression, timeZone);
    return undefined;
  } catch (error) {
    const reason = errorText(error)
      .replace(/^Cron\w*:\s*/, "")
      .replace(/\.$/, "");
    return `invalid cron expression '${expression}': ${reason}; ${cronShape}`;
  } finally {
    cron?.stop();
  }
}

/**
 * Advice on a valid pattern: it never fires (OCPS keeps impossible dates like `* * 31 2 *` valid), or a
 * `*\/step` that does not divide its field (`*\/45` fires at :00 and :45, not every 45 minutes).
 */
export function cronWarnings(expression: string, timeZone?: string): string[] {
  if (cronProblem(expression, timeZone)) return [];
  const warnings: string[] = [];
  const fields = expression.trim().split(/\s+/);
  if (fields.length === 5) {
    fields.forEach((field, index) => {
      for (const part of field.split(",")) {
        const step = /^\*\/(\d+)$/.exec(part);
        const every = step ? Number(step[1]) : 0;
        const span = fieldSpans[index];
        if (every > 1 && every < span && span % every !== 0) {
          const first = index === 0 || index === 1 ? 0 : 1;
          const values: number[] = [];
          for (let value = first; value < first + span; value += every) values.push(value);
          warnings.push(
            `'${part}' in the ${fieldNames[index]} field does not divide ${span}: it fires at ${values.join(", ")} and starts again at ${first}, so the gap after ${values[values.length - 1]} is ${span - values[values.length - 1] + first - (first ? 1 : 0)} not ${every}${index === 0 ? `; for a run every ${every} minutes use \`interval: ${every * 60}\`` : ""}`,
          );
        }
      }
    });
  }
  let cron: Cron | undefined;
  try {
    cron = openCron(expression, timeZone);
    if (!cron.nextRun()) warnings.push(`the cron expression '${expression}' never fires`);
  } finally {
    cron?.stop();
  }
  return warnings;
}

/** Why rrule rejects a recurrence rule, or undefined. */
export function rruleProblem(rule: string): string | undefined {
  try {
    rrulestr(rule);
    return undefined;
  } catch (error) {
    return `invalid rrule '${rule}': ${errorText(error)}; write an RFC 5545 rule such as "FREQ=DAILY;BYHOUR=3"`;
  }
}

/** An ISO 8601 date and time with its offset: without one, the time would depend on the zone of whoever reads it. */
const ISO_TIME_WITH_OFFSET = /^(\d{4})-(\d{2})-(\d{2})[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i;

/** Why an anchor date is not a time, or undefined. */
export function anchorDateProblem(anchorDate: string): string | undefined {
  const parts = ISO_TIME_WITH_OFFSET.exec(anchorDate);
  // Date.parse rolls 2026-02-30 over to March: the day must exist in its month.
  const dayExists = parts && new Date(Date.UTC(+parts[1], +parts[2] - 1, +parts[3])).getUTCDate() === +parts[3];
  return dayExists && !Number.isNaN(Date.parse(anchorDate))
    ? undefined
    : `invalid anchor date '${anchorDate}': write an ISO time with its offset, e.g. 2026-01-01T09:00:00Z or 2026-01-01T09:00:00+01:00`;
}

/** Every problem of one schedule, time zone first; fields that are not strings are left to the JSON schemas. */
export function scheduleProblems({ cron, rrule, timezone, anchorDate }: ScheduleFields): ScheduleProblem[] {
  const problems: ScheduleProblem[] = [];
  const timeZone = typeof timezone === "string" ? timezone : undefined;
  if (timeZone !== undefined && !isValidTimeZone(timeZone)) {
    problems.push({
      field: "timezone",
      message: `unknown time zone '${timeZone}': use an IANA name such as Europe/Paris or America/New_York`,
    });
  }
  const cronMessage = typeof cron === "string" ? cronProblem(cron, timeZone) : undefined;
  if (cronMessage) problems.push({ field: "cron", message: cronMessage });
  const rruleMessage = typeof rrule === "string" ? rruleProblem(rrule) : undefined;
  if (rruleMessage) problems.push({ field: "rrule", message: rruleMessage });
  const anchorMessage = typeof anchorDate === "string" ? anchorDateProblem(anchorDate) : undefined;
  if (anchorMessage) problems.push({ field: "anchorDate", message: anchorMessage });
  return problems;
}

const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** A schedule as the scheduler reads it: exactly one of cron, interval (seconds) or rrule, in a time zone. */
export interface ScheduleTimes {
  cron?: string;
  interval?: number;
  rrule?: string;
  timezone?: string;
  /** ISO time an interval counts from (and an rrule without DTSTART starts at): Prefect's `anchor_date`. */
  anchorDate?: string;
}

/** The schedule's `anchorDate` when it is a time, else `otherwise` (a deployment's creation). */
export function anchorOf(schedule: Pick<ScheduleTimes, "anchorDate">, otherwise: Date): Date {
  const anchor = schedule.anchorDate === undefined ? Number.NaN : Date.parse(schedule.anchorDate);
  return Number.isNaN(anchor) ? otherwise : new Date(anchor);
}

/**
 * Up to `count` fire times strictly after `after`, in order; none when the schedule never fires again or does not
 * parse. Cron is read in Skein's dialect (openCron) in its time zone, DST handled by croner: a local time skipped by
 * spring-forward fires at the first instant after the gap, a repeated one fires once. An interval counts from the
 * schedule's `anchorDate`, else from `defaultAnchor` (a deployment's creation), so its times do not drift; an rrule
 * without DTSTART starts there. The scheduler, the Deployments view and the skein.yaml hover all ask this, so the
 * editor shows the times the server fires.
 */
export function nextFireTimes(schedule: ScheduleTimes, after: Date, count: number, defaultAnchor: Date): Date[] {
  const timeZone = schedule.timezone && isValidTimeZone(schedule.timezone) ? schedule.timezone : undefined;
  const anchor = anchorOf(schedule, defaultAnchor);
  try {
    if (schedule.cron !== undefined) {
      const cron = openCron(schedule.cron, timeZone);
      try {
        return cron.nextRuns(count, after);
      } finally {
        cron.stop();
      }
    }
    if (schedule.interval !== undefined && schedule.interval > 0) {
      const step = schedule.interval * 1000;
      const elapsed = after.getTime() - anchor.getTime();
      const first = anchor.getTime() + (elapsed < 0 ? 0 : Math.floor(elapsed / step) + 1) * step;
      return Array.from({ length: count }, (_, index) => new Date(first + index * step));
    }
    if (schedule.rrule !== undefined) {
      const rule = rrulestr(schedule.rrule, {
        dtstart: schedule.rrule.includes("DTSTART") ? undefined : anchor,
        tzid: timeZone,
      });
      const times: Date[] = [];
      for (let cursor = after; times.length < count; ) {
        const next = rule.after(cursor, false);
        if (!next) break;
        times.push(next);
        cursor = next;
      }
      return times;
    }
  } catch {
    // A schedule that does not parse was refused with its reason when it was saved (scheduleProblems).
  }
  return [];
}

/** When the schedule fires next after `after` (see nextFireTimes); undefined when it never does again. */
export function nextScheduleTime(schedule: ScheduleTimes, after: Date, defaultAnchor: Date): Date | undefined {
  return nextFireTimes(schedule, after, 1, defaultAnchor)[0];
}

/** How a person names a deployment's schedule (`skein deployment schedule pause NAME SCHEDULE`): its slug, else its number. */
export function scheduleRef(schedule: { slug?: string }, index: number): string {
  return schedule.slug ?? String(index + 1);
}

/**
 * The index of the schedule `ref` names (scheduleRef: a slug, or the 1-based number of a schedule without one), or
 * why none: a sentence that lists what would name one.
 */
export function findSchedule(
  schedules: readonly { slug?: string }[],
  ref: string,
): { index: number } | { problem: string } {
  const bySlug = schedules.findIndex((schedule) => schedule.slug === ref);
  if (bySlug >= 0) return { index: bySlug };
  const number = /^[1-9]\d*$/.test(ref) ? Number(ref) : 0;
  const numbered = schedules[number - 1];
  if (numbered && numbered.slug === undefined) return { index: number - 1 };
  const names = schedules.map(scheduleRef);
  const known = names.length ? `its schedules: ${names.join(", ")}` : "it has no schedules";
  return {
    problem: numbered
      ? `schedule ${number} has the slug '${numbered.slug}': name it by its slug`
      : `no schedule '${ref}' (a slug, or the number of a schedule without one); ${known}`,
  };
}

/** The first schedule whose slug an earlier one already has, as Prefect refuses it; undefined when slugs are unique. */
export function duplicateSlug(
  schedules: readonly { slug?: unknown }[],
): { index: number; firstIndex: number; slug: string } | undefined {
  const firstBySlug = new Map<string, number>();
  for (const [index, { slug }] of schedules.entries()) {
    if (typeof slug !== "string") continue;
    const firstIndex = firstBySlug.get(slug);
    if (firstIndex !== undefined) return { index, firstIndex, slug };
    firstBySlug.set(slug, index);
  }
  return undefined;
}
