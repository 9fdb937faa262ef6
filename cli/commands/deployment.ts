// `skein deployment ls | inspect | run NAME [--param k=v] [--params JSON] [--watch] | pause | resume`: deployments
// in the CLI's store (connection.ts), named FLOW/DEPLOYMENT as in Prefect (`deployment schedule ...`: one schedule,
// deployment-schedule.ts). `run` creates a Scheduled run for a worker of the deployment's pool
// (server/services/deployment-runs.ts: parameters merged and checked against the stored schema when the deployment
// enforces it); `--watch` follows its states and logs to the end (through a worker's retry: run-end.ts), from the
// server's live stream when a server runs (else by reading the store).
import { collect } from "./repeatable-option.ts";
import type { Command } from "commander";
import { ApiClient } from "../../client/api-client.ts";
import { findServer } from "../../client/discovery.ts";
import { followEvents } from "../../client/event-stream.ts";
import { skeinHome } from "../../client/home.ts";
import { createRunEventFormatter } from "../../protocol/run-event-text.ts";
import type { RunEvent } from "../../protocol/run-events.ts";
import { formatState, isFinal, type State } from "../../protocol/states.ts";
import { createDeploymentRun, DeploymentRunRefused } from "../../server/services/deployment-runs.ts";
import { explainWaiting } from "../../server/services/waiting-reasons.ts";
import type { DeploymentRecord, FlowRunRecord } from "../../store/types.ts";
import { parseParameterOptions } from "../run.ts";
import { type CliStore, withCliStore } from "./connection.ts";
import { registerScheduleCommands, scheduleText } from "./deployment-schedule.ts";
import { RunEnd } from "./run-end.ts";
import { printJson, printLine, printTable, shortTime } from "./output.ts";

const WATCH_POLL_MS = 250;

async function requireDeployment(cli: CliStore, fullName: string): Promise<DeploymentRecord> {
  const slash = fullName.lastIndexOf("/");
  if (slash <= 0 || slash === fullName.length - 1)
    throw new Error(`Expected FLOW/DEPLOYMENT (e.g. etl/nightly), got '${fullName}'`);
  const deployment = await cli.store.getDeploymentByName(fullName.slice(0, slash), fullName.slice(slash + 1));
  if (!deployment) throw new Error(`No deployment named '${fullName}' in ${cli.via}; 'skein deployment ls' lists them`);
  return deployment;
}

const fullName = (deployment: DeploymentRecord) => `${deployment.flowName}/${deployment.name}`;

export function register(program: Command): void {
  const group = program.command("deployment").description("Deployments: run, pause and resume them");

  group
    .command("ls")
    .description("Deployments with their work pool, schedules and status")
    .option("--json", "as JSON")
    .action((options: { json?: boolean }) =>
      withCliStore(async ({ store }) => {
        const deployments = await store.listDeployments();
        if (options.json) return printJson(deployments);
        printTable(
          ["NAME", "WORK POOL", "SCHEDULES", "STATUS"],
          deployments.map((d) => [
            fullName(d),
            d.workPoolName ?? "",
            d.schedules.map(scheduleText).join("; ") || "none",
            d.paused ? "paused" : "ready",
          ]),
          { names: [0, 1, 2], ids: [] },
        );
      }),
    );

  group
    .command("inspect")
    .argument("<name>", "FLOW/DEPLOYMENT")
    .description("A deployment with its upcoming and latest runs")
    .option("--json", "as JSON")
    .action((name: string, options: { json?: boolean }) =>
      withCliStore(async (cli) => {
        const deployment = await requireDeployment(cli, name);
        const runs = await cli.store.listFlowRuns({ deploymentId: deployment.id, limit: 20 });
        if (options.json) return printJson({ ...deployment, runs });
        printLine(`Deployment '${fullName(deployment)}' (${deployment.id})`);
        printLine(`  entrypoint:  ${deployment.entrypoint}`);
        printLine(`  work pool:   ${deployment.workPoolName ?? "(none)"} / ${deployment.workQueueName ?? "-"}`);
        printLine(`  schedules:   ${deployment.schedules.map(scheduleText).join("; ") || "none"}`);
        printLine(`  parameters:  ${JSON.stringify(deployment.parameters)}`);
        printLine(`  concurrency: ${deployment.concurrencyLimit ?? "no limit"} (${deployment.collisionStrategy})`);
        printLine(`  status:      ${deployment.paused ? "paused" : "ready"}`);
        printLine();
        printTable(
          ["RUN", "NAME", "STATE", "EXPECTED START"],
          runs.map((r) => [
            r.id,
            r.name,
            formatState(r.state),
            r.expectedStartTime ? shortTime(r.expectedStartTime) : "",
          ]),
          { names: [1, 2], ids: [0] },
        );
      }),
    );

  group
    .command("run")
    .argument("<name>", "FLOW/DEPLOYMENT")
    .description("Create a run of a deployment for a worker of its pool")
    .option("--param <name=value>", "a parameter (JSON when it parses, else a string); repeatable", collect)
    .option("--params <json>", "all parameters as one JSON object")
    .option(
      "--watch",
      "follow the run's states and logs until it ends, through a retry its worker starts after a crash (exit 0 when it completed)",
    )
    .option("--json", "the created run as JSON")
    .action((name: string, options: { param?: string[]; params?: string; watch?: boolean; json?: boolean }) =>
      withCliStore(async (cli) => {
        const deployment = await requireDeployment(cli, name);
        if (deployment.paused)
          throw new Error(`Deployment '${name}' is paused; resume it first: skein deployment resume ${name}`);
        const parameters = parseParameterOptions(options, deployment.parameterSchema ?? undefined);
        let run: FlowRunRecord;
        try {
          ({ run } = await createDeploymentRun(cli.store, deployment, {
            parameters,
            origin: "Run requested with skein deployment run",
          }));
        } catch (error) {
          if (error instanceof DeploymentRunRefused) throw new Error(error.message);
          throw error;
        }
        if (options.json) printJson(run);
        else printLine(`Created flow run '${run.name}' (${run.id}) of deployment '${name}': ${formatState(run.state)}`);
        if (!options.watch) {
          const reason = await explainWaiting(cli.store, run);
          if (!options.json) printLine(`  ${reason.message}`);
          return;
        }
        const final = await watchRun(cli, run);
        printLine(`Flow run '${run.name}' finished in state ${formatState(final)}`);
        process.exitCode = final.type === "COMPLETED" ? 0 : 1;
      }),
    );

  for (const [command, paused] of [
    ["pause", true],
    ["resume", false],
  ] as const) {
    group
      .command(command)
      .argument("<name>", "FLOW/DEPLOYMENT")
      .description(
        paused ? "Stop scheduling runs (the scheduled runs no worker has claimed are deleted)" : "Schedule runs again",
      )
      .action((name: string) =>
        withCliStore(async (cli) => {
          const deployment = await requireDeployment(cli, name);
          // The store deletes the scheduled runs no worker has claimed in the same change (store/schedule-runs.ts).
          const change = await cli.store.updateDeployment(deployment.id, { paused });
          const deleted = change?.deletedRunIds.length ?? 0;
          printLine(
            paused
              ? `Deployment '${name}' paused: no runs are scheduled, and ${deleted} scheduled run(s) no worker had claimed were deleted (runs asked for by hand wait for resume)`
              : `Deployment '${name}' resumed: its active schedules make runs again`,
          );
        }),
      );
  }

  registerScheduleCommands(group, requireDeployment);
}

/** Prints the run's state changes and logs until it ends; returns its final state. */
async function watchRun(cli: CliStore, run: FlowRunRecord): Promise<State> {
  const format = createRunEventFormatter();
  const printEvent = (event: RunEvent) => {
    if (event.kind === "state" && event.runKind === "flow" && !isFinal(event.state)) {
      printLine(`${event.timestamp.slice(11, 23)} | INFO     | Flow run '${run.name}' - ${formatState(event.state)}`);
      return;
    }
    const line = format(event);
    if (line) printLine(line);
  };
  const end = new RunEnd();
  const url = findServer(skeinHome());
  if (!url) return pollRun(cli, run, end);
  return new Promise<State>((resolve, reject) => {
    // The last state the stream brought was final: the store says whether the run has ended (it knows the worker,
    // which a crash needs) and is asked again until it has, or until a retry's states come on the stream.
    let streamedFinal = false;
    let asking = false;
    const askStore = () => {
      if (asking) return;
      asking = true;
      cli.store.getFlowRun(run.id).then((current) => {
        asking = false;
        if (current && end.reached(current)) {
          follower.close();
          resolve(current.state);
        } else if (streamedFinal || (current && isFinal(current.state))) setTimeout(askStore, WATCH_POLL_MS);
      }, reject);
    };
    const follower = followEvents(new ApiClient(url), {
      flowRunId: run.id,
      onEvent: (event) => {
        printEvent(event);
        if (event.kind !== "state" || event.runId !== run.id) return;
        streamedFinal = isFinal(event.state);
        if (streamedFinal) askStore();
      },
      // The run may have ended before the stream opened: the store says so.
      onConnect: askStore,
      onError: reject,
    });
  });
}

/** Without a server: the store's states and logs, read until the run ends. */
async function pollRun(cli: CliStore, run: FlowRunRecord, end: RunEnd): Promise<State> {
  const seenStates = new Set<string>();
  const seenLogs = new Set<string>();
  for (;;) {
    for (const state of await cli.store.listStates(run.id)) {
      if (seenStates.has(state.id)) continue;
      seenStates.add(state.id);
      printLine(`${state.timestamp.slice(11, 23)} | INFO     | Flow run '${run.name}' - ${formatState(state)}`);
    }
    for (const log of await cli.store.listLogs(run.id)) {
      if (seenLogs.has(log.id)) continue;
      seenLogs.add(log.id);
      printLine(`${log.timestamp.slice(11, 23)} | ${log.level.toUpperCase().padEnd(8)} | ${log.message}`);
    }
    const current = await cli.store.getFlowRun(run.id);
    if (current && end.reached(current)) return current.state;
    await new Promise((resolve) => setTimeout(resolve, WATCH_POLL_MS));
  }
}
