// The meaning of a skein.yaml, the one model the language server, `skein deploy` and the server read: the
// checks that need no workspace (schedules by protocol/schedules.ts, the deprecated singular `schedule`, keys
// Prefect silently drops, deployments without a name or entrypoint, duplicate names), and each deployment as
// the plain spec `skein deploy` registers. A file Prefect accepts gets no error here; a key that Prefect would
// drop without a word, or that Prefect would refuse, does. Checks that need the flows (entrypoints, parameters)
// and the server (work pools) belong to their callers.
import { isNode } from "yaml";
import { closestNames, didYouMeanText } from "../closest-names.ts";
import { cronWarnings, duplicateSlug, scheduleProblems, timeZoneNames } from "../schedules.ts";
import { type DeploymentEntry, type Finding, parseSkeinYaml, type SkeinYamlDocument } from "./document.ts";
import { schemaFindings } from "./schema.ts";

export type PathPart = string | number;

/** A `{{ ... }}` template (Prefect step outputs, variables, blocks): resolved at deploy time, never checked as text. */
export const isTemplate = (value: unknown): boolean => typeof value === "string" && /\{\{.*\}\}/s.test(value);

export interface ScheduleSpec {
  cron?: string;
  interval?: number;
  rrule?: string;
  timezone?: string;
  anchor_date?: string;
  day_or?: boolean;
  active?: boolean;
  parameters?: Record<string, unknown>;
  slug?: string;
  /** Where it is written, for located messages and hovers. */
  path: PathPart[];
}

export interface DeploymentSpec {
  index: number;
  name?: string;
  entrypoint?: string;
  description?: string;
  version?: string;
  tags: string[];
  parameters: Record<string, unknown>;
  schedules: ScheduleSpec[];
  workPool?: { name: string; workQueueName?: string; jobVariables: Record<string, unknown> };
  concurrencyLimit?: { limit: number; collisionStrategy: "ENQUEUE" | "CANCEL_NEW" };
  enforceParameterSchema: boolean;
  paused: boolean;
}

export interface SkeinYamlModel {
  document: SkeinYamlDocument;
  /** Syntax, schema and meaning, in file order of the checks. */
  findings: Finding[];
  deployments: DeploymentSpec[];
}

export function readSkeinYaml(file: string, text: string): SkeinYamlModel {
  const document = parseSkeinYaml(file, text);
  const findings = [...document.syntaxFindings, ...schemaFindings(document)];
  const entries = document.deployments();
  findings.push(...duplicateNames(document, entries));
  for (const entry of entries) findings.push(...deploymentFindings(document, entry));
  return { document, findings, deployments: entries.map(toSpec) };
}

const object = (value: unknown): Record<string, unknown> | undefined =>
  value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
const text = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);
const isEmpty = (value: unknown): boolean =>
  value == null || (object(value) !== undefined && !Object.keys(object(value)!).length);

function duplicateNames(document: SkeinYamlDocument, entries: DeploymentEntry[]): Finding[] {
  const firstByName = new Map<string, DeploymentEntry>();
  const findings: Finding[] = [];
  for (const entry of entries) {
    const name = text(entry.value.name);
    if (name === undefined) continue;
    const first = firstByName.get(name);
    if (!first) {
      firstByName.set(name, entry);
      continue;
    }
    findings.push({
      range: document.rangeOfNode(document.nodeAt(["deployments", entry.index, "name"])),
      message: `Deployment name '${name}' is already used on line ${document.rangeOfNode(first.node).start.line + 1}; give each deployment a unique name`,
      severity: "error",
      code: "duplicate-deployment",
    });
  }
  return findings;
}

function deploymentFindings(document: SkeinYamlDocument, entry: DeploymentEntry): Finding[] {
  const findings: Finding[] = [];
  const base: PathPart[] = ["deployments", entry.index];
  const { value } = entry;
  const missing = (["name", "entrypoint"] as const).filter((key) => value[key] == null);
  if (missing.length) {
    // Prefect's own template leaves both empty and asks for them when deploying; `skein deploy` cannot ask.
    findings.push({
      // At the deployment's first key: the `- name:` line that starts it.
      range: document.rangeOfNode(isNode(entry.node.items[0]?.key) ? entry.node.items[0].key : entry.node),
      message: `Deployment #${entry.index + 1} has no ${missing.join(" and no ")} yet: fill ${missing.length > 1 ? "them" : "it"} in before \`skein deploy\` can register it`,
      severity: "warning",
      code: "incomplete-deployment",
    });
  }
  if ("job_variables" in value) {
    findings.push({
      range: document.rangeOfKey([...base, "job_variables"]),
      message:
        "`job_variables` at the deployment level is dropped without a word by Prefect and never reaches the worker: move it under `work_pool:` (work_pool.job_variables)",
      severity: "error",
      code: "deployment-job-variables",
    });
  }
  const { schedule, schedules } = value;
  if (!isEmpty(schedule)) {
    findings.push(
      schedules != null
        ? {
            range: document.rangeOfKey([...base, "schedule"]),
            message:
              "Both `schedule` and `schedules` are set; move this schedule into the `schedules` list and remove `schedule`",
            severity: "error",
            code: "schedule-and-schedules",
          }
        : {
            range: document.rangeOfKey([...base, "schedule"]),
            message:
              "`schedule:` (one schedule) is deprecated, as in Prefect: write `schedules:` with this schedule as its one item",
            severity: "warning",
            code: "deprecated-schedule",
          },
    );
  }
  const located = schedulesOf(entry);
  for (const schedule of located) findings.push(...scheduleFindings(document, schedule));
  const duplicate = duplicateSlug(located);
  if (duplicate) {
    const first = document.rangeOfNode(document.nodeAt([...located[duplicate.firstIndex].path, "slug"]));
    findings.push({
      range: document.rangeOfNode(document.nodeAt([...located[duplicate.index].path, "slug"])),
      message: `Schedule slug '${duplicate.slug}' is already used on line ${first.start.line + 1}; give each schedule of a deployment its own slug`,
      severity: "error",
      code: "duplicate-schedule-slug",
    });
  }
  return findings;
}

function scheduleFindings(document: SkeinYamlDocument, schedule: ScheduleSpec): Finding[] {
  const findings: Finding[] = [];
  for (const { field, message } of scheduleProblems(schedule)) {
    // An unknown time zone gets the closest known names, as text and as quick fixes.
    const close = field === "timezone" ? closestNames(String(schedule.timezone), timeZoneNames()) : [];
    findings.push({
      range: document.rangeOfNode(document.nodeAt([...schedule.path, field])),
      message: close.length ? `${sentence(message)}.${didYouMeanText(close)}` : sentence(message),
      severity: "error",
      code: `invalid-${field}`,
      ...(close.length ? { replacements: close } : {}),
    });
  }
  if (schedule.cron !== undefined && !findings.length) {
    for (const warning of cronWarnings(schedule.cron, schedule.timezone))
      findings.push({
        range: document.rangeOfNode(document.nodeAt([...schedule.path, "cron"])),
        message: sentence(warning),
        severity: "warning",
        code: /never fires/.test(warning) ? "cron-never-fires" : "cron-uneven-step",
      });
  }
  return findings;
}

const sentence = (message: string): string => message[0].toUpperCase() + message.slice(1);

/** The schedules of a deployment that hold a schedule (`schedule: {}` and empty values mean none). */
export function schedulesOf(entry: DeploymentEntry): ScheduleSpec[] {
  const base: PathPart[] = ["deployments", entry.index];
  const located: ScheduleSpec[] = [];
  const single = object(entry.value.schedule);
  if (single && Object.keys(single).length) located.push({ ...(single as object), path: [...base, "schedule"] });
  const list = entry.value.schedules;
  if (Array.isArray(list))
    list.forEach((item, i) => {
      const schedule = object(item);
      if (schedule) located.push({ ...(schedule as object), path: [...base, "schedules", i] });
    });
  return located.filter((schedule) => !isTemplate(schedule.cron) && !isTemplate(schedule.timezone));
}

function toSpec(entry: DeploymentEntry): DeploymentSpec {
  const { value } = entry;
  const pool = object(value.work_pool);
  const limit = value.concurrency_limit;
  const limitObject = object(limit);
  return {
    index: entry.index,
    name: text(value.name),
    entrypoint: text(value.entrypoint),
    description: text(value.description),
    version: value.version == null ? undefined : String(value.version),
    tags: Array.isArray(value.tags) ? value.tags.filter((tag): tag is string => typeof tag === "string") : [],
    parameters: object(value.parameters) ?? {},
    schedules: schedulesOf(entry),
    workPool: text(pool?.name)
      ? {
          name: text(pool?.name) as string,
          workQueueName: text(pool?.work_queue_name),
          jobVariables: object(pool?.job_variables) ?? {},
        }
      : undefined,
    concurrencyLimit:
      typeof limit === "number"
        ? { limit, collisionStrategy: "ENQUEUE" }
        : typeof limitObject?.limit === "number"
          ? {
              limit: limitObject.limit,
              collisionStrategy: limitObject.collision_strategy === "CANCEL_NEW" ? "CANCEL_NEW" : "ENQUEUE",
            }
          : undefined,
    enforceParameterSchema: value.enforce_parameter_schema !== false,
    paused: value.paused === true,
  };
}

/** A schedule as the scheduler stores it (the API's DeploymentSchedule). */
export interface StoredSchedule {
  cron?: string;
  interval?: number;
  rrule?: string;
  timezone?: string;
  anchorDate?: string;
  slug?: string;
  active: boolean;
  parameters: Record<string, unknown>;
}

export function scheduleForStore(spec: ScheduleSpec): StoredSchedule {
  let cron = spec.cron;
  // Prefect's `day_or: false` ANDs the day fields; OCPS 1.4 writes that as a `+` before the day-of-week.
  if (cron && spec.day_or === false) {
    const fields = cron.trim().split(/\s+/);
    if (fields.length === 5 && !fields[4].startsWith("+")) fields[4] = `+${fields[4]}`;
    cron = fields.join(" ");
  }
  // Stored in UTC, as the API's times are; the JSON schema has already refused an anchor without an offset.
  const anchor = typeof spec.anchor_date === "string" ? Date.parse(spec.anchor_date) : Number.NaN;
  return {
    ...(cron !== undefined ? { cron } : {}),
    ...(spec.interval !== undefined ? { interval: spec.interval } : {}),
    ...(spec.rrule !== undefined ? { rrule: spec.rrule } : {}),
    ...(spec.timezone !== undefined ? { timezone: spec.timezone } : {}),
    ...(spec.anchor_date !== undefined
      ? { anchorDate: Number.isNaN(anchor) ? spec.anchor_date : new Date(anchor).toISOString() }
      : {}),
    ...(spec.slug !== undefined ? { slug: spec.slug } : {}),
    active: spec.active !== false,
    parameters: spec.parameters ?? {},
  };
}
