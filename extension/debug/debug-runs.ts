// Debugging a run: the engine's CLI under VS Code's JavaScript debugger, with the run's events coming back over the
// back-channel (event-channel-server.ts) into a run session like any Run's (run view, status bar, notification,
// LogOutputChannel). Stopping the debug session cancels the run: the channel asks the process to end its runs
// Cancelled, and only a process that has not ended a grace period later is killed.
import type * as vscodeApi from "vscode";
import { EVENTS_SOCKET_ENV, UNDER_DEBUGGER_ENV } from "../../protocol/event-channel.ts";
import type { RunEvent } from "../../protocol/run-events.ts";
import type { NodeRuntime } from "../runs/node-runtime.ts";
import type { RunLog } from "../runs/run-log.ts";
import { createRunLogWriter } from "../runs/run-log.ts";
import type { RunSessions } from "../runs/run-sessions.ts";
import { EventChannelServer } from "./event-channel-server.ts";
import { nodeLaunchConfiguration } from "./launch-configuration.ts";

/** How long a process gets to end its runs Cancelled after its debug session stopped, before it is killed. */
const CANCEL_GRACE_MS = 15_000;

export interface DebugRunsDeps {
  vscode: typeof vscodeApi;
  sessions: RunSessions;
  log: RunLog;
  cliPath: string;
  /** Where the back-channel's socket lives (the extension's storage folder). */
  socketDirectory: string;
  kill?: (pid: number) => void;
}

export interface DebugRunRequest {
  title: string;
  runtime: NodeRuntime;
  cliArgs: string[];
  cwd: string;
  folder: vscodeApi.WorkspaceFolder | undefined;
  env?: Record<string, string>;
}

export interface DebugRunOutcome {
  started: boolean;
  rootFlowRunId: string | undefined;
  events: RunEvent[];
}

/**
 * Starts the debug session; resolves once it has started (true) or failed to (false). `finished` resolves when
 * the run process closed its channel, with every event it sent.
 */
export async function debugRun(
  deps: DebugRunsDeps,
  request: DebugRunRequest,
): Promise<{ started: boolean; finished: Promise<DebugRunOutcome> }> {
  const { vscode } = deps;
  const events: RunEvent[] = [];
  let onEvents: (batch: RunEvent[]) => void = () => undefined;
  const channel = await EventChannelServer.listen(deps.socketDirectory, (batch) => onEvents(batch));
  const channelId = channel.socketPath;
  let pid: number | undefined;
  let killTimer: NodeJS.Timeout | undefined;
  const stopRun = () => {
    // Once is enough: js-debug's child session may report its end too.
    if (killTimer || !channel.cancel()) return;
    killTimer = setTimeout(() => {
      if (channel.open && pid !== undefined) (deps.kill ?? ((p) => process.kill(p, "SIGKILL")))(pid);
    }, CANCEL_GRACE_MS);
  };
  const terminated = vscode.debug.onDidTerminateDebugSession((session) => {
    if (session.configuration.skeinEventChannel !== channelId) return;
    // A process that never connected (it failed before its run started) leaves nothing to cancel.
    if (channel.open) stopRun();
    else channel.dispose();
  });
  const writeEvent = createRunLogWriter(deps.log);
  let rootFlowRunId: string | undefined;
  const finished = deps.sessions.track(request.title, stopRun, async (session) => {
    onEvents = (batch) => {
      for (const event of batch) {
        rootFlowRunId ??= event.flowRunId; // the first event is the root flow run's
        if (event.kind === "flow-run-created" && event.flowRunId === rootFlowRunId) pid = event.pid;
        writeEvent(event, rootFlowRunId);
      }
      events.push(...batch);
      session.addEvents(batch);
    };
    await channel.closed;
    return { started: true, rootFlowRunId, events };
  });
  void finished.finally(() => {
    clearTimeout(killTimer);
    terminated.dispose();
  });
  const configuration: vscodeApi.DebugConfiguration = {
    ...(nodeLaunchConfiguration({
      name: `Debug ${request.title}`,
      runtime: request.runtime,
      cliPath: deps.cliPath,
      cliArgs: request.cliArgs,
      cwd: request.cwd,
      env: { ...request.env, [EVENTS_SOCKET_ENV]: channel.socketPath, [UNDER_DEBUGGER_ENV]: "1" },
    }) as vscodeApi.DebugConfiguration),
    // Finds this session again when it terminates (js-debug keeps the launch configuration's own fields).
    skeinEventChannel: channelId,
  };
  let started = false;
  try {
    started = await vscode.debug.startDebugging(request.folder, configuration);
  } finally {
    if (!started) channel.dispose();
  }
  return {
    started,
    finished: finished.then((outcome) => ({ ...outcome, started })),
  };
}
