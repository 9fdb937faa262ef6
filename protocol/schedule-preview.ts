// A schedule as a person reads it before it fires: the next few fire times in the schedule's own time zone, a
// note when one of them sits at a daylight-saving change (a wall time that does not exist that day, or that
// occurs twice), and the cron pattern in words. The editor shows it on hover over a schedule in skein.yaml; it
// uses the same croner reading (protocol/schedules.ts) as the scheduler, so what it lists is what will run.
import cronstrue from "cronstrue";
import { CRON_DIALECT, cronProblem, isValidTimeZone, nextFireTimes, openCron, rruleProblem } from "./schedules.ts";

export interface SchedulePreviewInput {
  cron?: unknown;
  interval?: unknown;
  rrule?: unknown;
  timezone?: unknown;
  anchor_date?: unknown;
}

export interface FireTime {
  at: Date;
  /** The wall time in the schedule's zone, e.g. "Sun 2026-03-29 03:00 (UTC+02:00)". */
  local: string;
  /** Set when the time sits at a daylight-saving change. */
  dstNote?: string;
}

export interface SchedulePreview {
  timeZone: string;
  /** The cron pattern in words, or how the interval or rrule repeats. */
  words?: string;
  fireTimes: FireTime[];
  /** For cron: which dialect reads it. */
  dialect?: string;
}

const minuteMs = 60_000;

/** The next `count` fire times after `from`, or undefined when the schedule is invalid (diagnostics say why). */
export function previewSchedule(
  schedule: SchedulePreviewInput,
  from = new Date(),
  count = 5,
): SchedulePreview | undefined {
  const timeZone =
    typeof schedule.timezone === "string" && isValidTimeZone(schedule.timezone) ? schedule.timezone : "UTC";
  if (typeof schedule.cron === "string") {
    if (cronProblem(schedule.cron, timeZone)) return undefined;
    const times = nextFireTimes({ cron: schedule.cron, timezone: timeZone }, from, count, from);
    return {
      timeZone,
      words: cronInWords(schedule.cron),
      dialect: `cron read as ${CRON_DIALECT.specification} ${CRON_DIALECT.version}, five fields (a sixth is ${CRON_DIALECT.sixthField})`,
      fireTimes: times.map((at) => ({
        at,
        local: wallTime(at, timeZone),
        dstNote: dstNote(schedule.cron as string, at, timeZone),
      })),
    };
  }
  // Without an anchor_date the scheduler counts from the deployment's creation, which the file does not know: the
  // preview counts from now.
  const anchorDate = typeof schedule.anchor_date === "string" ? schedule.anchor_date : undefined;
  if (typeof schedule.interval === "number" && schedule.interval > 0) {
    const fireTimes = nextFireTimes({ interval: schedule.interval, anchorDate }, from, count, from).map((at) => ({
      at,
      local: wallTime(at, timeZone),
    }));
    return { timeZone, words: `every ${durationWords(schedule.interval)}`, fireTimes };
  }
  if (typeof schedule.rrule === "string") {
    if (rruleProblem(schedule.rrule)) return undefined;
    const times = nextFireTimes({ rrule: schedule.rrule, timezone: timeZone, anchorDate }, from, count, from);
    return {
      timeZone,
      words: `rrule ${schedule.rrule}`,
      fireTimes: times.map((at) => ({ at, local: wallTime(at, timeZone) })),
    };
  }
  return undefined;
}

export function cronInWords(expression: string): string | undefined {
  try {
    return cronstrue.toString(expression, { use24HourTimeFormat: true, verbose: true });
  } catch {
    return undefined;
  }
}

function durationWords(seconds: number): string {
  const units: [number, string][] = [
    [86_400, "day"],
    [3_600, "hour"],
    [60, "minute"],
    [1, "second"],
  ];
  for (const [size, name] of units)
    if (seconds % size === 0) return seconds === size ? name : `${seconds / size} ${name}s`;
  return `${seconds} seconds`;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-CA", {
      timeZone,
      weekday: "short",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
      timeZoneName: "longOffset",
    });
    formatters.set(timeZone, format);
  }
  return format;
}

function parts(at: Date, timeZone: string): Record<string, string> {
  return Object.fromEntries(
    formatter(timeZone)
      .formatToParts(at)
      .map((part) => [part.type, part.value]),
  );
}

export function wallTime(at: Date, timeZone: string): string {
  const p = parts(at, timeZone);
  const offset = p.timeZoneName === "GMT" ? "UTC+00:00" : p.timeZoneName.replace("GMT", "UTC");
  return `${p.weekday} ${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute} (${offset})`;
}

/** The zone's offset from UTC at an instant, in minutes. */
function offsetMinutes(at: number, timeZone: string): number {
  const p = parts(new Date(at), timeZone);
  const wall = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute));
  return Math.round((wall - Math.floor(at / minuteMs) * minuteMs) / minuteMs);
}

/** The instant, within (low, high], at which the offset changes (binary search to the minute). */
function transitionBetween(low: number, high: number, timeZone: string): number {
  const before = offsetMinutes(low, timeZone);
  while (high - low > minuteMs) {
    const middle = low + Math.floor((high - low) / 2 / minuteMs) * minuteMs;
    if (offsetMinutes(middle, timeZone) === before) low = middle;
    else high = middle;
  }
  return high;
}

const hhmm = (minutes: number): string =>
  `${String(Math.floor(minutes / 60) % 24).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;

/**
 * Whether a fire time sits at a daylight-saving change: it repeats a wall time (clocks went back), or it is the
 * first fire after a gap in which the pattern named wall times that did not exist.
 */
function dstNote(expression: string, at: Date, timeZone: string): string | undefined {
  const time = at.getTime();
  const zoned = openCron(expression, timeZone);
  const [previous] = zoned.previousRuns(1, at);
  zoned.stop();
  // A gap lies between the previous fire and this one (the first fire after it carries the note); a repeated
  // hour lies within three hours of this fire.
  const low = Math.min(time - 3 * 3_600_000, Math.max(previous?.getTime() ?? 0, time - 2 * 86_400_000));
  const high = time + 3 * 3_600_000;
  if (offsetMinutes(low, timeZone) === offsetMinutes(high, timeZone)) return undefined;
  const change = transitionBetween(low, high, timeZone);
  const before = offsetMinutes(change - minuteMs, timeZone);
  const after = offsetMinutes(change, timeZone);
  const shift = Math.abs(after - before);
  const wallMinuteOfDay = (instant: number, offset: number) => (((instant / minuteMs + offset) % 1440) + 1440) % 1440;
  if (after < before) {
    // Clocks went back at `change`: wall times in [change wall - shift, change wall) happened twice.
    const repeatStart = wallMinuteOfDay(change, after);
    const repeatEnd = repeatStart + shift;
    const wall = wallMinuteOfDay(time, offsetMinutes(time, timeZone));
    if (time >= change - shift * minuteMs && time < change + shift * minuteMs) {
      const which = time < change ? "first" : "second";
      return `${hhmm(wall)} occurs twice this day (clocks go back from ${hhmm(repeatEnd)} to ${hhmm(repeatStart)}); this is the ${which} one`;
    }
    return undefined;
  }
  // Clocks went forward at `change`: wall times in [gapStart, gapEnd) did not exist. Only the first fire
  // after the change carries the note.
  if (time < change) return undefined;
  if (previous && previous.getTime() >= change) return undefined;
  const gapStart = wallMinuteOfDay(change, before);
  const gapEnd = gapStart + shift;
  // Which wall minutes of the gap the pattern names: read the pattern on the wall clock (UTC as wall time).
  const wallDay = Math.floor((change + before * minuteMs) / 86_400_000) * 86_400_000;
  const gapFrom = wallDay + gapStart * minuteMs;
  const wallClock = openCron(expression, "UTC");
  const named = wallClock.nextRun(new Date(gapFrom - 1));
  wallClock.stop();
  if (!named || named.getTime() >= gapFrom + shift * minuteMs) return undefined;
  const wall = wallMinuteOfDay(time, after);
  const fromWall = hhmm(named.getUTCHours() * 60 + named.getUTCMinutes());
  const landed = wall === gapEnd % 1440 ? `it runs at ${hhmm(wall)} instead` : "those times are skipped";
  const day = wallTime(new Date(change), timeZone).slice(0, 14);
  return `${fromWall} does not exist on ${day} (clocks go forward from ${hhmm(gapStart)} to ${hhmm(gapEnd)}); ${landed}`;
}
