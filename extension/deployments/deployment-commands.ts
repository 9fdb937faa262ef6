// The Deployments view's wiring: its tree (explorer/deployment-tree.ts) in a TreeView, its commands (Run, Run with
// Parameters…, Pause, Resume, Pause Schedule, Resume Schedule, Start Worker, Refresh) and when it reloads: on a
// connection reset, when a flow run is claimed or ends (the all-runs stream, debounced: a worker claiming a run has
// just polled its pool), and while a worker it started comes up or after one goes away. Runs are created through the
// API and opened in their run view (skein.openRun).
import type * as vscodeApi from "vscode";
import { BRIEF_RETRY } from "../../client/api-client.ts";
import type { EventFollower } from "../../client/event-stream.ts";
import type { ResponseOf } from "../../protocol/api/contract.ts";
import { deploymentsApi } from "../../protocol/api/deployments.ts";
import { workersApi } from "../../protocol/api/workers.ts";
import type { ParameterSchema } from "../../protocol/lsp.ts";
import { isTerminal, type StateType } from "../../protocol/states.ts";
import { scheduleRef } from "../../protocol/schedules.ts";
import {
  DeploymentCommands,
  type DeploymentRecord,
  DeploymentTreeModel,
  describeSchedule,
  isServed,
  latestPolls,
  WORKER_STALE_MS,
} from "../explorer/deployment-tree.ts";
import type { RunSource } from "../explorer/run-tree.ts";
import { RunViewCommands } from "../panels/run-view-commands.ts";
import type { ParameterFormSerializer } from "../runs/parameter-form-serializer.ts";
import { promptForParameters } from "../runs/parameter-prompt.ts";
import type { SkeinCli } from "./skein-cli.ts";
import { startWorkerTerminal, workerTerminalName } from "./worker-terminal.ts";

export interface DeploymentsViewDeps {
  vscode: typeof vscodeApi;
  /** Where the extension's webview bundles are (dist/webview): the parameter form's page. */
  extensionUri: vscodeApi.Uri;
  source: RunSource;
  onDidReset: vscodeApi.Event<void>;
  cli: SkeinCli;
  /** The folder workers start in (deployment entrypoints are relative to it). */
  workspaceFolder: () => string;
  /** How long run events gather before the view reloads (ms). */
  debounceMs?: number;
  /** Where this view says what a deployment's parameter form restored after a window reload does. */
  parameterForms: ParameterFormSerializer;
}

type DeploymentRun = ResponseOf<typeof deploymentsApi.createRun>;
type Schedule = DeploymentRecord["schedules"][number];

/**
 * A flow run claimed (Pending: a worker just polled its pool) or ended: what may change the view. Other state
 * changes (Running, Cancelling, …) do not, and a busy flow must not redraw the view at each of them.
 */
const isClaimOrEnd = (type: StateType): boolean => type === "PENDING" || isTerminal(type);

/** How often, and how long, the view checks that a worker it started has polled its pool. */
const WORKER_UP_CHECK_MS = 1000;
const WORKER_UP_CHECKS = 60;

export function registerDeploymentsView(deps: DeploymentsViewDeps): vscodeApi.Disposable[] {
  const { vscode, source } = deps;
  const tree = new DeploymentTreeModel({ vscode, source });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const reloadSoon = (delayMs = deps.debounceMs ?? 1000) => {
    timer ??= setTimeout(() => {
      timer = undefined;
      tree.reload();
    }, delayMs);
  };
  let follower: EventFollower | undefined;
  const follow = () => {
    follower?.close();
    follower = source.follow({
      onEvent: (event) => {
        if (event.kind === "state" && event.runKind === "flow" && isClaimOrEnd(event.state.type)) reloadSoon();
      },
      onReset: () => tree.reload(),
    });
  };
  follow();

  const deploymentOf = async (argument: unknown, title: string, keep = (_: DeploymentRecord) => true) => {
    const given = (argument as { deployment?: DeploymentRecord } | undefined)?.deployment;
    if (given?.id) return given;
    const { deployments } = await source.withClient((client) =>
      client.call(deploymentsApi.list, {}, { retry: BRIEF_RETRY }),
    );
    const picked = await vscode.window.showQuickPick(
      deployments
        .filter(keep)
        .map((deployment) => ({ label: `${deployment.flowName}/${deployment.name}`, deployment })),
      { title },
    );
    return picked?.deployment;
  };
  const reportingErrors =
    <A extends unknown[], R>(body: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R | undefined> => {
      try {
        return await body(...args);
      } catch (error) {
        void vscode.window.showErrorMessage(`Skein: ${(error as Error).message}`);
        return undefined;
      }
    };
  const createRun = async (deploymentId: string, parameters?: Record<string, unknown>) => {
    const run: DeploymentRun = await source.withClient((client) =>
      client.call(deploymentsApi.createRun, { params: { id: deploymentId }, body: parameters ? { parameters } : {} }),
    );
    reloadSoon();
    void vscode.commands.executeCommand(RunViewCommands.openRun, run.id);
    return run;
  };
  const setPaused = (paused: boolean) =>
    reportingErrors(async (argument: unknown) => {
      const title = paused ? "Skein: Pause Deployment" : "Skein: Resume Deployment";
      const deployment = await deploymentOf(argument, title, (d) => d.paused !== paused);
      if (!deployment) return undefined;
      return tree.setPaused(deployment.id, paused);
    });
  /** The schedule a command acts on: the row it was run from, else picked (a deployment, then one of its schedules). */
  const scheduleOf = async (argument: unknown, title: string, active: boolean) => {
    const node = argument as { kind?: string; deployment?: DeploymentRecord; schedule?: Schedule; index?: number };
    if (node?.kind === "schedule" && node.deployment && node.schedule && node.index !== undefined)
      return { deployment: node.deployment, ref: scheduleRef(node.schedule, node.index) };
    const deployment = await deploymentOf(undefined, title, (d) => d.schedules.some((s) => s.active !== active));
    if (!deployment) return undefined;
    const picked = await vscode.window.showQuickPick(
      deployment.schedules
        .map((schedule, index) => ({ label: describeSchedule(schedule), ref: scheduleRef(schedule, index), schedule }))
        .filter((choice) => choice.schedule.active !== active),
      { title },
    );
    return picked && { deployment, ref: picked.ref };
  };
  const setScheduleActive = (active: boolean) =>
    reportingErrors(async (argument: unknown) => {
      const title = active ? "Skein: Resume Schedule" : "Skein: Pause Schedule";
      const target = await scheduleOf(argument, title, active);
      if (!target) return undefined;
      const changed = await tree.setScheduleActive(target.deployment.id, target.ref, active);
      const name = `${target.deployment.flowName}/${target.deployment.name}`;
      vscode.window.setStatusBarMessage(
        active
          ? `Skein: resumed schedule ${target.ref} of ${name}`
          : `Skein: paused schedule ${target.ref} of ${name} (${changed.deletedRunIds.length} waiting runs deleted)`,
        5000,
      );
      return changed;
    });
  const watchWorkerComingUp = (pool: string) => {
    let checks = 0;
    const check = async () => {
      const { workers } = await source.withClient((client) => client.call(workersApi.list, { query: { pool } }));
      if (isServed(latestPolls(workers).get(pool), new Date()) || ++checks >= WORKER_UP_CHECKS) tree.reload();
      else setTimeout(() => void check().catch(() => undefined), WORKER_UP_CHECK_MS);
    };
    setTimeout(() => void check().catch(() => undefined), WORKER_UP_CHECK_MS);
  };
  // A Run with Parameters… form restored after a window reload creates its run as the command would have.
  deps.parameterForms.resume(["deployment"], {
    submit: (origin, parameters) =>
      origin.action.kind === "deployment" ? createRun(origin.action.deploymentId, parameters) : Promise.resolve(),
  });

  return [
    tree,
    vscode.window.createTreeView("skein.deployments", { treeDataProvider: tree }),
    deps.onDidReset(() => {
      follow();
      tree.reload();
    }),
    {
      dispose: () => {
        follower?.close();
        if (timer) clearTimeout(timer);
      },
    },
    // A worker's terminal closed: its pool is unserved once its last poll goes stale.
    vscode.window.onDidCloseTerminal((terminal) => {
      if (terminal.name.startsWith(workerTerminalName(""))) setTimeout(() => tree.reload(), WORKER_STALE_MS + 1000);
    }),
    vscode.commands.registerCommand(DeploymentCommands.refresh, () => tree.reload()),
    vscode.commands.registerCommand(DeploymentCommands.pause, setPaused(true)),
    vscode.commands.registerCommand(DeploymentCommands.resume, setPaused(false)),
    vscode.commands.registerCommand(DeploymentCommands.pauseSchedule, setScheduleActive(false)),
    vscode.commands.registerCommand(DeploymentCommands.resumeSchedule, setScheduleActive(true)),
    vscode.commands.registerCommand(
      DeploymentCommands.run,
      reportingErrors(async (argument: unknown) => {
        const deployment = await deploymentOf(argument, "Skein: Run Deployment");
        return deployment && createRun(deployment.id);
      }),
    ),
    vscode.commands.registerCommand(
      DeploymentCommands.runWithParameters,
      reportingErrors(async (argument: unknown) => {
        const deployment = await deploymentOf(argument, "Skein: Run Deployment with Parameters");
        if (!deployment) return undefined;
        const schema = (deployment.parameterSchema ?? { type: "object", properties: {} }) as ParameterSchema;
        const parameters = await promptForParameters(
          vscode,
          deps.extensionUri,
          {
            action: { kind: "deployment", deploymentId: deployment.id },
            title: `${deployment.flowName}/${deployment.name}`,
            parameterSchema: schema,
          },
          deployment.parameters,
        );
        return parameters && createRun(deployment.id, parameters);
      }),
    ),
    vscode.commands.registerCommand(
      DeploymentCommands.startWorker,
      reportingErrors(async (argument: unknown) => {
        const given = (argument as { workPoolName?: unknown } | undefined)?.workPoolName;
        const pool = typeof given === "string" ? given : await vscode.window.showInputBox({ title: "Work pool" });
        if (!pool) return undefined;
        await startWorkerTerminal(vscode, deps.cli, pool, deps.workspaceFolder());
        watchWorkerComingUp(pool);
        return pool;
      }),
    ),
  ];
}
