// `flow.deploy({ name, workPool, cron | interval | schedules, ... })`: registers a deployment of a flow from code,
// as `skein deploy` does from skein.yaml (the same upsert, engine/deployment-upsert.ts, and the same schedule
// rules, protocol/schedules.ts). The entrypoint is where the flow is defined (engine/definition-site.ts): the
// file and the exported variable that holds it.
import { duplicateSlug, scheduleProblems } from "../protocol/schedules.ts";
import { skeinHome, sqliteFile } from "../client/home.ts";
import type { DeploymentRecord, DeploymentSchedule } from "../store/types.ts";
import { upsertDeployment, type UpsertAction } from "./deployment-upsert.ts";
import { SkeinError } from "./errors.ts";
import type { FlowDefinition } from "./flow.ts";
import type { JsonSchema } from "./parameters.ts";
import { getStore, prepareRuntime } from "./runtime.ts";

/** One schedule of a deployment made from code (the skein.yaml schedule, in camelCase). */
export interface ScheduleOptions {
  cron?: string;
  interval?: number;
  rrule?: string;
  timezone?: string;
  /** When an interval counts from (an rrule without DTSTART starts there); the deployment's creation by default. */
  anchorDate?: Date | string;
  /** Names the schedule within the deployment (unique there), e.g. for `skein deployment schedule pause`. */
  slug?: string;
  active?: boolean;
  parameters?: Record<string, unknown>;
}

export interface DeployOptions {
  name: string;
  workPool?: string;
  workQueue?: string;
  /** One schedule in short: `cron`, `interval` (seconds, from `anchorDate`) or `rrule`, read in `timezone`; or `schedules`. */
  cron?: string;
  interval?: number;
  rrule?: string;
  timezone?: string;
  anchorDate?: Date | string;
  schedules?: ScheduleOptions[];
  parameters?: Record<string, unknown>;
  tags?: string[];
  description?: string;
  /** Settings of the work pool's runs (a process pool reads `working_dir` and `env`), as in skein.yaml. */
  jobVariables?: Record<string, unknown>;
  /** At most this many runs at once; a number, or with what happens to the next run. */
  concurrencyLimit?: number | { limit: number; collisionStrategy?: "ENQUEUE" | "CANCEL_NEW" };
  enforceParameterSchema?: boolean;
  paused?: boolean;
}

export interface DeployResult {
  action: UpsertAction;
  deployment: DeploymentRecord;
}

/**
 * Where a flow's parameter schema comes from when its options give none: the `skein` CLI installs the editor's
 * analysis of the TypeScript signature (cli/parameter-schemas.ts); without the CLI there is none and the
 * deployment stores no schema.
 */
type SchemaProvider = (file: string, exportPath: string) => Promise<JsonSchema | undefined>;
let schemaProvider: SchemaProvider | undefined;
export function setParameterSchemaProvider(provider: SchemaProvider): void {
  schemaProvider = provider;
}

/**
 * `file:exportName` of a flow defined as `export const name = flow(...)`, relative to its project's folder (the
 * nearest package.json, engine/definition-site.ts), and that folder, which a process worker works in; or why
 * there is none.
 */
export function entrypointOf(definition: FlowDefinition): { entrypoint: string; projectFolder: string } {
  const site = definition.site;
  if (!site?.variable)
    throw new SkeinError(
      `Flow '${definition.name}' has no entrypoint: deploy a flow held by an exported variable (\`export const ${definition.name} = flow(...)\`), so a worker can import it`,
    );
  const projectFolder = site.absoluteFile.slice(0, site.absoluteFile.length - site.file.length).replace(/[\\/]$/, "");
  return { entrypoint: `${site.file}:${site.variable}`, projectFolder };
}

/** An anchor as stored: ISO in UTC (a Date, or a string the checks then read). */
function anchorText(anchor: Date | string | undefined): string | undefined {
  if (anchor instanceof Date) return Number.isNaN(anchor.getTime()) ? "Invalid Date" : anchor.toISOString();
  return anchor;
}

export function schedulesOf(options: DeployOptions): DeploymentSchedule[] {
  const given =
    options.schedules ??
    (options.cron !== undefined || options.interval !== undefined || options.rrule !== undefined
      ? [
          {
            cron: options.cron,
            interval: options.interval,
            rrule: options.rrule,
            timezone: options.timezone,
            anchorDate: options.anchorDate,
          },
        ]
      : []);
  const schedules = given.map((schedule, index): DeploymentSchedule => {
    const kinds = (["cron", "interval", "rrule"] as const).filter((kind) => schedule[kind] !== undefined);
    if (kinds.length !== 1)
      throw new SkeinError(`Schedule ${index + 1} of '${options.name}' needs exactly one of cron, interval or rrule`);
    if (schedule.interval !== undefined && !(schedule.interval > 0))
      throw new SkeinError(`Schedule ${index + 1} of '${options.name}': interval must be > 0 seconds`);
    const anchorDate = anchorText(schedule.anchorDate);
    const [problem] = scheduleProblems({ ...schedule, anchorDate });
    if (problem)
      throw new SkeinError(`Schedule ${index + 1} of '${options.name}': ${problem.field}: ${problem.message}`);
    return {
      ...(schedule.cron !== undefined ? { cron: schedule.cron } : {}),
      ...(schedule.interval !== undefined ? { interval: schedule.interval } : {}),
      ...(schedule.rrule !== undefined ? { rrule: schedule.rrule } : {}),
      ...((schedule.timezone ?? options.timezone) !== undefined
        ? { timezone: (schedule.timezone ?? options.timezone) as string }
        : {}),
      ...(anchorDate !== undefined ? { anchorDate: new Date(anchorDate).toISOString() } : {}),
      ...(schedule.slug !== undefined ? { slug: schedule.slug } : {}),
      active: schedule.active ?? true,
      parameters: schedule.parameters ?? {},
    };
  });
  const duplicate = duplicateSlug(schedules);
  if (duplicate)
    throw new SkeinError(
      `Schedules ${duplicate.firstIndex + 1} and ${duplicate.index + 1} of '${options.name}' share the slug '${duplicate.slug}'; give each schedule its own`,
    );
  return schedules;
}

export async function deployFlow(definition: FlowDefinition, options: DeployOptions): Promise<DeployResult> {
  if (!options?.name) throw new SkeinError(`deploy() of flow '${definition.name}' needs a name`);
  const { entrypoint, projectFolder } = entrypointOf(definition);
  const schedules = schedulesOf(options);
  const parameterSchema =
    definition.options.parameterSchema ??
    (await schemaProvider?.(definition.site!.absoluteFile, definition.site!.variable!)) ??
    null;
  const limit = options.concurrencyLimit;
  await prepareRuntime();
  const where = process.env.SKEIN_API_URL ? `the server at ${process.env.SKEIN_API_URL}` : sqliteFile(skeinHome());
  const { action, deployment } = await upsertDeployment(
    getStore(),
    {
      name: options.name,
      flowName: definition.name,
      entrypoint,
      description: options.description ?? null,
      parameters: options.parameters ?? {},
      parameterSchema,
      enforceParameterSchema: options.enforceParameterSchema ?? true,
      schedules,
      workPoolName: options.workPool ?? null,
      workQueueName: options.workQueue ?? null,
      jobVariables: { working_dir: projectFolder, ...options.jobVariables },
      tags: options.tags ?? [],
      concurrencyLimit: typeof limit === "number" ? limit : (limit?.limit ?? null),
      collisionStrategy: typeof limit === "object" ? (limit.collisionStrategy ?? "ENQUEUE") : "ENQUEUE",
      paused: options.paused ?? false,
    },
    where,
  );
  return { action, deployment };
}
