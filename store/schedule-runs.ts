// Which of a deployment's scheduled runs a change takes away, once for both SQL dialects. As in Prefect, the runs
// the scheduler made and no worker has claimed yet (Scheduled, Late or AwaitingConcurrencySlot, no process) reflect
// the deployment as it was when they were made, so they are deleted when that no longer holds: the deployment is
// paused or deleted, its parameters or tags change (copied into each run), or their schedule is paused, changed or
// gone. Runs asked for by hand (`skein deployment run`, the API) always stay. The scheduler makes the upcoming runs
// again from what is current on its next tick.
//
// To know which schedule made a run, the run stores its schedule's key (`schedule_key`; null for runs asked for by
// hand): `slug:SLUG`, or `index:N` for a schedule without a slug (its 1-based place). A schedule keeps its key
// across deploys as long as it keeps its slug (or place); its runs stay only while what made them (the schedule's
// times and parameters, and the deployment's parameters and tags: `runsFingerprint`) is unchanged.
import { findSchedule } from "../protocol/schedules.ts";
import { CLAIMABLE_STATES } from "./deployment-runs.ts";
import type { DeploymentRecord, DeploymentSchedule, RunSchedule } from "./types.ts";

export function scheduleKey(schedule: Pick<DeploymentSchedule, "slug">, index: number): string {
  return schedule.slug !== undefined ? `slug:${schedule.slug}` : `index:${index + 1}`;
}

/** What a schedule's runs are made of: when it fires, and the parameters and tags each run copies. */
export function runsFingerprint(deployment: DeploymentRecord, schedule: DeploymentSchedule): string {
  const { cron, interval, rrule, timezone, anchorDate, parameters } = schedule;
  return JSON.stringify([
    cron ?? null,
    interval ?? null,
    rrule ?? null,
    timezone ?? null,
    anchorDate ?? null,
    parameters,
    deployment.parameters,
    deployment.tags,
  ]);
}

export function runScheduleOf(deployment: DeploymentRecord, index: number): RunSchedule {
  const schedule = deployment.schedules[index];
  return { key: scheduleKey(schedule, index), fingerprint: runsFingerprint(deployment, schedule) };
}

/**
 * Whether a run made from `schedule` still belongs to `deployment` as stored now: checked in the transaction that
 * stores the run, so a pause that committed after the scheduler read the deployment does not get a run it has
 * already swept.
 */
export function isScheduleCurrent(deployment: DeploymentRecord, schedule: RunSchedule): boolean {
  if (deployment.paused) return false;
  return deployment.schedules.some(
    (candidate, index) =>
      candidate.active &&
      scheduleKey(candidate, index) === schedule.key &&
      runsFingerprint(deployment, candidate) === schedule.fingerprint,
  );
}

/** The keys whose runs not started yet go when `before` becomes `after`; "all" for every scheduler-made run. */
export type StaleRuns = "all" | string[];

export function staleScheduleKeys(before: DeploymentRecord, after: DeploymentRecord | undefined): StaleRuns {
  if (!after || after.paused) return "all";
  return before.schedules.flatMap((schedule, index) => {
    const key = scheduleKey(schedule, index);
    const fingerprint = runsFingerprint(before, schedule);
    return isScheduleCurrent(after, { key, fingerprint }) ? [] : [key];
  });
}

/** The run was made from a schedule that was paused, changed or removed meanwhile: it is not stored. */
export class ScheduleChangedError extends Error {
  override name = "ScheduleChangedError";
}

/** Pausing or resuming one schedule: the deployment's schedules after it, or why `ref` names none. */
export function withScheduleActive(
  deployment: DeploymentRecord,
  ref: string,
  active: boolean,
): { schedules: DeploymentSchedule[]; index: number } | { problem: string } {
  const found = findSchedule(deployment.schedules, ref);
  if ("problem" in found)
    return { problem: `deployment '${deployment.flowName}/${deployment.name}': ${found.problem}` };
  const schedules = deployment.schedules.map((schedule, index) =>
    index === found.index ? { ...schedule, active } : schedule,
  );
  return { schedules, index: found.index };
}

const CLAIMABLE_SQL = CLAIMABLE_STATES.map((name) => `'${name}'`).join(",");

/**
 * The statements that delete the deployment's scheduler-made runs of `keys` that no worker has claimed (their
 * states first; such a run has no task runs, logs or artifacts yet), with their `?` parameters; none when no key
 * is stale. The last statement returns the ids of the runs deleted (`RETURNING`, in SQLite and PostgreSQL alike).
 */
export function deleteStaleRunsStatements(deploymentId: string, keys: StaleRuns): { sql: string; params: unknown[] }[] {
  if (keys !== "all" && keys.length === 0) return [];
  const ofKeys = keys === "all" ? "schedule_key IS NOT NULL" : `schedule_key IN (${keys.map(() => "?").join(", ")})`;
  const where = `deployment_id = ? AND ${ofKeys} AND pid = 0 AND state_type = 'SCHEDULED' AND state_name IN (${CLAIMABLE_SQL})`;
  const params = [deploymentId, ...(keys === "all" ? [] : keys)];
  return [
    { sql: `DELETE FROM states WHERE run_id IN (SELECT id FROM flow_runs WHERE ${where})`, params },
    { sql: `DELETE FROM flow_runs WHERE ${where} RETURNING id`, params },
  ];
}
