// What makes a deployment schedule valid beyond its JSON shape: cron expressions (croner, the scheduler's parser)
// that parse and fire at least once, RFC 5545 rrules, IANA time zones, and the interval bound. The language
// server (skein.yaml diagnostics) and the API server (422 answers) both ask these, so an editor that shows no
// error means the server accepts the deployment. Messages name no location: each caller says where.
import { Cron } from "croner";
import { rrulestr } from "rrule";

/** The longest interval between runs, in seconds (366 days); both JSON schemas of a schedule use it. */
export const MAX_INTERVAL_SECONDS = 366 * 24 * 3600;

/** The fields of a schedule the checks read (skein.yaml's and the API's spell them alike). */
export interface ScheduleFields {
  cron?: unknown;
  rrule?: unknown;
  timezone?: unknown;
}

export interface ScheduleProblem {
  field: "cron" | "rrule" | "timezone";
  /** Starts in lower case, e.g. "unknown time zone 'Europe/Pariss': use an IANA name ...". */
  message: string;
}

const cronShape =
  'a cron expression has five fields: minute hour day-of-month month day-of-week, e.g. "0 3 * * *" for 03:00 every day';

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

function findCronProblem(expression: string, timeZone?: string): string | undefined {
  let cron: Cron | undefined;
  try {
    // An unknown zone is reported on its own field; the expression is then read in UTC.
    cron = new Cron(expression, {
      paused: true,
      timezone: timeZone && isValidTimeZone(timeZone) ? timeZone : undefined,
    });
    return cron.nextRun() ? undefined : `the cron expression '${expression}' never fires`;
  } catch (error) {
    const reason = errorText(error)
      .replace(/^Cron\w*:\s*/, "")
      .replace(/\.$/, "");
    return `invalid cron expression '${expression}': ${reason}; ${cronShape}`;
  } finally {
    cron?.stop();
  }
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

/** Every problem of one schedule, time zone first; fields that are not strings are left to the JSON schemas. */
export function scheduleProblems({ cron, rrule, timezone }: ScheduleFields): ScheduleProblem[] {
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
  return problems;
}

const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** A schedule as the scheduler reads it: exactly one of cron, interval (seconds) or rrule, in a time zone. */
export interface ScheduleTimes {
  cron?: string;
  interval?: number;
  rrule?: string;
  timezone?: string;
}

/**
 * When the schedule fires next after `after`; undefined when it never does again or does not parse. An interval
 * counts from `anchor` (a deployment's creation, as Prefect's anchor date), so its times do not drift.
 */
export function nextScheduleTime(schedule: ScheduleTimes, after: Date, anchor: Date): Date | undefined {
  const timeZone = schedule.timezone && isValidTimeZone(schedule.timezone) ? schedule.timezone : undefined;
  try {
    if (schedule.cron !== undefined) {
      const cron = new Cron(schedule.cron, { paused: true, timezone: timeZone });
      try {
        return cron.nextRun(after) ?? undefined;
      } finally {
        cron.stop();
      }
    }
    if (schedule.interval !== undefined) {
      const step = schedule.interval * 1000;
      const elapsed = after.getTime() - anchor.getTime();
      return new Date(anchor.getTime() + (elapsed < 0 ? 0 : Math.floor(elapsed / step) + 1) * step);
    }
    if (schedule.rrule !== undefined) {
      const rule = rrulestr(schedule.rrule, { dtstart: anchor, tzid: timeZone });
      return rule.after(after) ?? undefined;
    }
  } catch {
    // A schedule that does not parse was refused with its reason when it was saved (scheduleProblems).
  }
  return undefined;
}
