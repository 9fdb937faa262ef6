// What the deployment body schemas cannot check: cron expressions (croner, the scheduler's parser), rrules,
// IANA time zones, and, when a deployment enforces its parameter schema, that its parameters fit it. Each
// problem is one line naming the field, answered 422 by the routes.
import { Cron } from "croner";
import { rrulestr } from "rrule";
import { parameterValidator } from "../../protocol/parameter-validation.ts";
import type { DeploymentSchedule } from "../../store/types.ts";

export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** The first problem of a deployment's schedules, or undefined. */
export function scheduleProblem(schedules: readonly DeploymentSchedule[]): string | undefined {
  for (const [index, schedule] of schedules.entries()) {
    const where = `schedules[${index}]`;
    if (schedule.timezone !== undefined && !isValidTimeZone(schedule.timezone)) {
      return `${where}.timezone: unknown time zone '${schedule.timezone}' (use an IANA name such as Europe/Paris)`;
    }
    if (schedule.cron !== undefined) {
      const problem = cronProblem(schedule.cron, schedule.timezone);
      if (problem) return `${where}.cron: ${problem}`;
    }
    if (schedule.rrule !== undefined) {
      try {
        rrulestr(schedule.rrule);
      } catch (error) {
        return `${where}.rrule: invalid rrule '${schedule.rrule}': ${(error as Error).message}`;
      }
    }
  }
  return undefined;
}

function cronProblem(expression: string, timezone: string | undefined): string | undefined {
  let cron: Cron | undefined;
  try {
    cron = new Cron(expression, { paused: true, timezone });
    return cron.nextRun() ? undefined : `the cron expression '${expression}' never fires`;
  } catch (error) {
    return `invalid cron expression '${expression}': ${(error as Error).message}`;
  } finally {
    cron?.stop();
  }
}

/**
 * The first problem of a parameter schema, or of the parameters a deployment sets (its own and its schedules')
 * against it. Required parameters are not demanded here, as in Prefect: a run may still supply them.
 */
export function parameterProblem(
  schema: Record<string, unknown> | null | undefined,
  enforce: boolean,
  parameterSets: readonly { where: string; parameters: Record<string, unknown> }[],
): string | undefined {
  if (!schema) return undefined;
  const withoutRequired = { ...schema, required: [] };
  try {
    const validate = parameterValidator(withoutRequired);
    if (!enforce) return undefined;
    for (const { where, parameters } of parameterSets) {
      if (!validate(parameters)) {
        const [first] = validate.errors ?? [];
        return `${where}${first?.instancePath ?? ""} does not fit the parameter schema: ${first?.message ?? "invalid"}`;
      }
    }
    return undefined;
  } catch (error) {
    return `parameterSchema is not a valid JSON Schema: ${(error as Error).message}`;
  }
}
