// Schedules in skein.yaml: cron expressions, rrules and time zones that the scheduler would reject or that
// never fire, and `schedule` given alongside `schedules`.
import { Cron } from "croner";
import { rrulestr } from "rrule";
import { Diagnostic, DiagnosticSeverity } from "vscode-languageserver";
import { closestNames, didYouMeanText } from "../closest-names.ts";
import { withReplacements } from "../quick-fixes.ts";
import type { DeploymentEntry, SkeinYamlDocument } from "./skein-yaml-document.ts";

const cronShape =
  'a cron expression has five fields: minute hour day-of-month month day-of-week, e.g. "0 3 * * *" for 03:00 every day';

let knownTimeZones: string[] | undefined;
const timeZones = (): string[] => (knownTimeZones ??= [...Intl.supportedValuesOf("timeZone"), "UTC"]);

type CronProblem = { message: string; severity: DiagnosticSeverity } | undefined;

// Both checks are slow (an Intl.DateTimeFormat per call, a date search per cron) and their answers do not
// change, while a skein.yaml repeats the same few zones and expressions and is revalidated on every edit.
const maxCached = 5000;
const timeZoneValidity = new Map<string, boolean>();
const cronProblems = new Map<string, CronProblem>();

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

/** Why croner rejects a cron expression (undefined when valid), or that it never fires. */
export function cronProblem(expression: string, timeZone?: string): CronProblem {
  return remember(cronProblems, `${expression}\n${timeZone ?? ""}`, () => findCronProblem(expression, timeZone));
}

function findCronProblem(expression: string, timeZone?: string): CronProblem {
  let cron: Cron | undefined;
  try {
    cron = new Cron(expression, {
      paused: true,
      timezone: timeZone && isValidTimeZone(timeZone) ? timeZone : undefined,
    });
    if (!cron.nextRun())
      return {
        message: `The cron expression "${expression}" never fires (no date matches it); check the day and month fields`,
        severity: DiagnosticSeverity.Warning,
      };
    return undefined;
  } catch (error) {
    const reason = (error instanceof Error ? error.message : String(error))
      .replace(/^Cron\w*:\s*/, "")
      .replace(/\.$/, "");
    return {
      message: `Invalid cron expression "${expression}": ${reason}; ${cronShape}`,
      severity: DiagnosticSeverity.Error,
    };
  } finally {
    cron?.stop();
  }
}

export function scheduleDiagnostics(yaml: SkeinYamlDocument, deployment: DeploymentEntry): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const base = ["deployments", deployment.index];
  const { schedule, schedules } = deployment.value;
  if (schedule != null && schedules != null) {
    diagnostics.push(
      Diagnostic.create(
        yaml.rangeOfNode(yaml.keyAt([...base, "schedule"])),
        "Both `schedule` and `schedules` are set; move this schedule into the `schedules` list and remove `schedule`",
        DiagnosticSeverity.Error,
        "schedule-and-schedules",
        "skein",
      ),
    );
  }
  const located: { value: unknown; path: (string | number)[] }[] = [];
  if (schedule != null) located.push({ value: schedule, path: [...base, "schedule"] });
  if (Array.isArray(schedules))
    schedules.forEach((value, i) => located.push({ value, path: [...base, "schedules", i] }));

  for (const { value, path } of located) {
    if (!value || typeof value !== "object") continue;
    const { cron, timezone, rrule } = value as Record<string, unknown>;
    if (typeof timezone === "string" && !isValidTimeZone(timezone)) {
      const close = closestNames(timezone, timeZones());
      diagnostics.push(
        withReplacements(
          Diagnostic.create(
            yaml.rangeOfNode(yaml.nodeAt([...path, "timezone"])),
            `Unknown time zone '${timezone}': use an IANA name such as Europe/Paris or America/New_York.${didYouMeanText(close)}`,
            DiagnosticSeverity.Error,
            "invalid-timezone",
            "skein",
          ),
          close,
        ),
      );
    }
    if (typeof cron === "string") {
      const problem = cronProblem(cron, typeof timezone === "string" ? timezone : undefined);
      if (problem)
        diagnostics.push(
          Diagnostic.create(
            yaml.rangeOfNode(yaml.nodeAt([...path, "cron"])),
            problem.message,
            problem.severity,
            "invalid-cron",
            "skein",
          ),
        );
    }
    if (typeof rrule === "string") {
      const reason = rruleProblem(rrule);
      if (reason)
        diagnostics.push(
          Diagnostic.create(
            yaml.rangeOfNode(yaml.nodeAt([...path, "rrule"])),
            reason,
            DiagnosticSeverity.Error,
            "invalid-rrule",
            "skein",
          ),
        );
    }
  }
  return diagnostics;
}

function rruleProblem(rule: string): string | undefined {
  try {
    rrulestr(rule);
    return undefined;
  } catch (error) {
    return `Invalid rrule: ${error instanceof Error ? error.message : String(error)}; write an RFC 5545 rule such as "FREQ=DAILY;BYHOUR=3"`;
  }
}
