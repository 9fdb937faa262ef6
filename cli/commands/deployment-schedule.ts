// `skein deployment schedule ls NAME | pause NAME SCHEDULE | resume NAME SCHEDULE`: one schedule of a deployment,
// named by its slug or, without one, its 1-based number (protocol/schedules.ts scheduleRef / findSchedule), as
// `ls` lists them. Pausing one schedule stops it making runs and deletes the runs it made that no worker has
// claimed, in the store's own transaction (store/schedule-runs.ts), so its other schedules and the runs asked for
// by hand go on; resuming lets the scheduler make its upcoming runs again. Prefect's `deployment schedule` commands.
import type { Command } from "commander";
import { nextScheduleTime, scheduleRef } from "../../protocol/schedules.ts";
import type { DeploymentRecord, DeploymentSchedule } from "../../store/types.ts";
import { type CliStore, withCliStore } from "./connection.ts";
import { printJson, printLine, printTable, shortTime } from "./output.ts";

/** A schedule in one line: its slug, when it fires, its zone and anchor, and whether it is paused. */
export function scheduleText(schedule: DeploymentSchedule): string {
  const when = schedule.cron ?? (schedule.interval ? `every ${schedule.interval}s` : `rrule ${schedule.rrule}`);
  return [
    schedule.slug ? `${schedule.slug}: ` : "",
    when,
    schedule.timezone ? ` (${schedule.timezone})` : "",
    schedule.anchorDate ? ` from ${schedule.anchorDate}` : "",
    schedule.active ? "" : " [paused]",
  ].join("");
}

type FindDeployment = (cli: CliStore, fullName: string) => Promise<DeploymentRecord>;

export function registerScheduleCommands(deployment: Command, findDeployment: FindDeployment): void {
  const group = deployment
    .command("schedule")
    .description("One schedule of a deployment (named by its slug, or its number when it has none): ls, pause, resume");

  group
    .command("ls")
    .argument("<name>", "FLOW/DEPLOYMENT")
    .description("The deployment's schedules, the name each answers to, and when each fires next")
    .option("--json", "as JSON")
    .action((name: string, options: { json?: boolean }) =>
      withCliStore(async (cli) => {
        const found = await findDeployment(cli, name);
        if (options.json) return printJson(found.schedules);
        const now = new Date();
        printTable(
          ["SCHEDULE", "WHEN", "STATUS", "NEXT RUN"],
          found.schedules.map((schedule, index) => {
            const next =
              schedule.active && !found.paused
                ? nextScheduleTime(schedule, now, new Date(found.createdAt))?.toISOString()
                : undefined;
            return [
              scheduleRef(schedule, index),
              scheduleText({ ...schedule, slug: undefined, active: true }),
              schedule.active ? (found.paused ? "active (deployment paused)" : "active") : "paused",
              shortTime(next),
            ];
          }),
          { names: [0, 1], ids: [] },
        );
      }),
    );

  for (const [command, active] of [
    ["pause", false],
    ["resume", true],
  ] as const) {
    group
      .command(command)
      .argument("<name>", "FLOW/DEPLOYMENT")
      .argument("<schedule>", "its slug, or its number (from 1) when it has no slug")
      .description(
        active
          ? "Let the schedule make runs again"
          : "Stop the schedule making runs; the scheduled runs it made that no worker has claimed are deleted",
      )
      .action((name: string, schedule: string) =>
        withCliStore(async (cli) => {
          const found = await findDeployment(cli, name);
          const changed = await cli.store.setScheduleActive(found.id, schedule, active);
          if (!changed) throw new Error(`No deployment named '${name}' in ${cli.via} any more`);
          if ("problem" in changed) throw new Error(`${changed.problem}; 'skein deployment schedule ls ${name}'`);
          const which = `Schedule '${scheduleRef(changed.deployment.schedules[changed.index], changed.index)}'`;
          printLine(
            active
              ? `${which} of deployment '${name}' resumed${changed.deployment.paused ? " (the deployment itself is paused: skein deployment resume)" : ""}`
              : `${which} of deployment '${name}' paused (${changed.deletedRunIds.length} scheduled run(s) no worker had claimed deleted)`,
          );
        }),
      );
  }
}
