// Where run views get runs they did not see start: the server of the SKEIN_HOME (or a remote one) through the
// extension's SkeinConnection. A run is loaded as the run events that would have built it (same event ids as the
// live stream uses: a state's record id, `artifact-<id>`), so loading and following may overlap and the snapshot
// reducer keeps one copy of each.
import type { ApiClient } from "../../client/api-client.ts";
import { BRIEF_RETRY } from "../../client/api-client.ts";
import type { ResponseOf } from "../../protocol/api/contract.ts";
import { artifactsApi } from "../../protocol/api/artifacts.ts";
import { flowRunsApi } from "../../protocol/api/flow-runs.ts";
import { logsApi, MAX_LOG_PAGE } from "../../protocol/api/logs.ts";
import { taskRunsApi } from "../../protocol/api/task-runs.ts";
import type { RunEvent } from "../../protocol/run-events.ts";
import type { State } from "../../protocol/states.ts";
import type { CompareCandidate, KeyedArtifact } from "../../protocol/webview/run-view.ts";
import type { SkeinConnection } from "../connection/skein-connection.ts";

export interface RunSource {
  /** The run and its subflow runs as run events, oldest first. */
  load(flowRunId: string): Promise<RunEvent[]>;
  /** Follows every run's live events; `onReset` when the stream lost events (the caller reloads). */
  follow(onEvent: (event: RunEvent) => void, onReset: () => void): { close(): void };
  /** Recent runs, newest first (of one flow when given). */
  listRuns(flowName?: string, limit?: number): Promise<CompareCandidate[]>;
  /** The artifacts of a key across runs, newest first. */
  artifactHistory(key: string, limit: number): Promise<KeyedArtifact[]>;
}

type FlowRun = ResponseOf<typeof flowRunsApi.get>;
type StateRecord = ResponseOf<typeof flowRunsApi.states>["states"][number];

/** Task runs whose full state history is fetched one by one; beyond it only the current state is shown. */
const HISTORY_LIMIT = 500;
const SUBFLOW_SCAN_PAGES = 20;
const PAGE = 500;

export function connectionRunSource(connection: SkeinConnection): RunSource {
  const read = <T>(use: (client: ApiClient) => Promise<T>) => connection.withClient(use);
  return {
    load: (flowRunId) => read((client) => loadRunEvents(client, flowRunId)),
    follow(onEvent, onReset) {
      return connection.follow({ onEvent: (event) => onEvent(event), onReset: () => onReset() });
    },
    listRuns: (flowName, limit = 50) =>
      read(async (client) => {
        const { flowRuns } = await client.call(
          flowRunsApi.list,
          { query: { flowName, limit, offset: 0 } },
          { retry: BRIEF_RETRY },
        );
        return flowRuns.map((run) => ({
          flowRunId: run.id,
          name: run.name,
          flowName: run.flowName,
          createdAt: run.createdAt,
          stateName: run.state.name,
        }));
      }),
    artifactHistory: (key, limit) =>
      read(async (client) => {
        const { artifacts } = await client.call(
          artifactsApi.history,
          { query: { key, limit } },
          { retry: BRIEF_RETRY },
        );
        // The view's artifacts leave out what a record has as null.
        return artifacts.map(({ taskRunId, key: artifactKey, description, ...artifact }) => ({
          ...artifact,
          ...(taskRunId === null ? {} : { taskRunId }),
          ...(artifactKey === null ? {} : { key: artifactKey }),
          ...(description === null ? {} : { description }),
        }));
      }),
  };
}

async function loadRunEvents(client: ApiClient, flowRunId: string): Promise<RunEvent[]> {
  const root = await client.call(flowRunsApi.get, { params: { id: flowRunId } }, { retry: BRIEF_RETRY });
  const runs = [root, ...(await subflowsOf(client, root))];
  const events: RunEvent[] = [];
  for (const run of runs) events.push(...(await flowRunEvents(client, run)));
  return events;
}

/** Every flow run below `root` (subflows of subflows too). The API has no parent filter: runs are scanned newest
 * first down to the root's creation, a bounded number of pages. */
async function subflowsOf(client: ApiClient, root: FlowRun): Promise<FlowRun[]> {
  const inTree = new Set([root.id]);
  const found: FlowRun[] = [];
  const candidates: FlowRun[] = [];
  for (let page = 0; page < SUBFLOW_SCAN_PAGES; page++) {
    const { flowRuns } = await client.call(
      flowRunsApi.list,
      { query: { limit: PAGE, offset: page * PAGE } },
      { retry: BRIEF_RETRY },
    );
    candidates.push(...flowRuns.filter((run) => run.parentFlowRunId && run.createdAt >= root.createdAt));
    if (flowRuns.length < PAGE || flowRuns[flowRuns.length - 1].createdAt < root.createdAt) break;
  }
  // Oldest first: a parent is created before its subflows.
  for (const run of candidates.reverse()) {
    if (run.parentFlowRunId && inTree.has(run.parentFlowRunId) && !inTree.has(run.id)) {
      inTree.add(run.id);
      found.push(run);
    }
  }
  return found;
}

async function flowRunEvents(client: ApiClient, run: FlowRun): Promise<RunEvent[]> {
  const [{ states }, { taskRuns }, { logs }, { artifacts }] = await Promise.all([
    client.call(flowRunsApi.states, { params: { id: run.id } }, { retry: BRIEF_RETRY }),
    client.call(taskRunsApi.list, { params: { id: run.id } }, { retry: BRIEF_RETRY }),
    client.call(
      logsApi.list,
      { params: { id: run.id }, query: { limit: MAX_LOG_PAGE, offset: 0 } },
      { retry: BRIEF_RETRY },
    ),
    client.call(artifactsApi.list, { params: { id: run.id } }, { retry: BRIEF_RETRY }),
  ]);
  const [first, ...later] = states.length > 0 ? states : [{ id: `loaded-${run.id}`, runId: run.id, ...run.state }];
  const events: RunEvent[] = [
    {
      kind: "flow-run-created",
      id: first.id,
      timestamp: run.createdAt,
      flowRunId: run.id,
      name: run.name,
      flowName: run.flowName,
      parameters: run.parameters,
      tags: run.tags,
      pid: run.pid,
      state: stateOf(first),
      ...(run.parentFlowRunId ? { parentFlowRunId: run.parentFlowRunId } : {}),
      ...(run.parentTaskRunId ? { parentTaskRunId: run.parentTaskRunId } : {}),
      ...(run.entrypoint ? { entrypoint: run.entrypoint } : {}),
      ...(run.host ? { host: run.host } : {}),
    },
    ...later.map(
      (state, i): RunEvent => ({
        kind: "state",
        id: state.id,
        timestamp: state.timestamp,
        flowRunId: run.id,
        runKind: "flow",
        runId: run.id,
        state: stateOf(state),
        ...(i === later.length - 1 && run.result !== null ? { result: run.result } : {}),
      }),
    ),
  ];
  const withHistory = taskRuns.length <= HISTORY_LIMIT;
  for (const taskRun of taskRuns) {
    const history: StateRecord[] = withHistory
      ? (await client.call(taskRunsApi.get, { params: { id: run.id, taskRunId: taskRun.id } }, { retry: BRIEF_RETRY }))
          .states
      : [{ id: `loaded-${taskRun.id}`, runId: taskRun.id, ...taskRun.state }];
    const [created, ...changes] =
      history.length > 0 ? history : [{ id: `loaded-${taskRun.id}`, runId: taskRun.id, ...taskRun.state }];
    events.push({
      kind: "task-run-created",
      id: created.id,
      timestamp: taskRun.createdAt,
      flowRunId: run.id,
      taskRunId: taskRun.id,
      name: taskRun.name,
      taskName: taskRun.taskName,
      taskKey: taskRun.taskKey,
      dynamicKey: taskRun.dynamicKey,
      upstream: taskRun.upstream,
      tags: taskRun.tags,
      // Where the task is defined: the run view's "Go to source" for runs loaded from the server.
      source: taskRun.source ?? undefined,
      state: stateOf(created),
    });
    changes.forEach((state, i) =>
      events.push({
        kind: "state",
        id: state.id,
        timestamp: state.timestamp,
        flowRunId: run.id,
        runKind: "task",
        runId: taskRun.id,
        state: stateOf(state),
        ...(i === changes.length - 1 && taskRun.result !== null ? { result: taskRun.result } : {}),
      }),
    );
  }
  for (const log of logs) {
    events.push({ kind: "log", ...log, taskRunId: log.taskRunId ?? undefined });
  }
  for (const artifact of artifacts) {
    events.push({
      kind: "artifact",
      id: `artifact-${artifact.id}`,
      timestamp: artifact.createdAt,
      flowRunId: artifact.flowRunId,
      artifactId: artifact.id,
      taskRunId: artifact.taskRunId ?? undefined,
      key: artifact.key ?? undefined,
      type: artifact.type,
      description: artifact.description ?? undefined,
      data: artifact.data,
    });
    if (artifact.updatedAt !== artifact.createdAt) {
      events.push({
        kind: "artifact-updated",
        id: `artifact-${artifact.id}-${artifact.updatedAt}`,
        timestamp: artifact.updatedAt,
        flowRunId: artifact.flowRunId,
        artifactId: artifact.id,
        data: artifact.data,
      });
    }
  }
  return events;
}

function stateOf(record: StateRecord): State {
  const { id: _id, runId: _runId, ...state } = record;
  return state as State;
}
