// Where run views get runs they did not see start: the server of the SKEIN_HOME (or a remote one) through the
// extension's SkeinConnection. A run is loaded as the run events that would have built it
// (protocol/stored-run-events.ts: the same event ids as the live stream uses), so loading and following may overlap
// and the snapshot reducer keeps one copy of each.
import type { ApiClient } from "../../client/api-client.ts";
import { BRIEF_RETRY } from "../../client/api-client.ts";
import type { ResponseOf } from "../../protocol/api/contract.ts";
import { artifactsApi } from "../../protocol/api/artifacts.ts";
import { flowRunsApi } from "../../protocol/api/flow-runs.ts";
import { logsApi, MAX_LOG_PAGE } from "../../protocol/api/logs.ts";
import { taskRunsApi } from "../../protocol/api/task-runs.ts";
import type { RunEvent } from "../../protocol/run-events.ts";
import { artifactEvents, flowRunEvents, logEvents, taskRunEvents } from "../../protocol/stored-run-events.ts";
import type { CompareCandidate, KeyedArtifact } from "../../protocol/webview/run-view.ts";
import type { SkeinConnection } from "../connection/skein-connection.ts";

export interface RunSource {
  /** The run and its subflow runs as run events, oldest first. */
  load(flowRunId: string): Promise<RunEvent[]>;
  /**
   * Follows every run's live events; `onDeleted` when a flow run was deleted on the server, `onReset` when the
   * stream lost events (the caller reloads).
   */
  follow(
    onEvent: (event: RunEvent) => void,
    onReset: () => void,
    onDeleted: (flowRunId: string) => void,
  ): { close(): void };
  /** Recent runs, newest first (of one flow when given). */
  listRuns(flowName?: string, limit?: number): Promise<CompareCandidate[]>;
  /** The artifacts of a key across runs, newest first. */
  artifactHistory(key: string, limit: number): Promise<KeyedArtifact[]>;
}

type FlowRun = ResponseOf<typeof flowRunsApi.get>;

/** Task runs whose full state history is fetched one by one; beyond it only the current state is shown. */
const HISTORY_LIMIT = 500;
const PAGE = 500;

export function connectionRunSource(connection: SkeinConnection): RunSource {
  const read = <T>(use: (client: ApiClient) => Promise<T>) => connection.withClient(use);
  return {
    load: (flowRunId) => read((client) => loadRunEvents(client, flowRunId)),
    follow(onEvent, onReset, onDeleted) {
      return connection.follow({
        onEvent: (event) => onEvent(event),
        onReset: () => onReset(),
        onDeleted: (flowRunId) => onDeleted(flowRunId),
      });
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
  for (const run of runs) events.push(...(await oneFlowRunEvents(client, run)));
  return events;
}

/** Every flow run below `root` (subflows of subflows too), oldest first: level by level, each run's children read
 * through the API's `parentFlowRunId` filter. */
async function subflowsOf(client: ApiClient, root: FlowRun): Promise<FlowRun[]> {
  const seen = new Set([root.id]);
  const found: FlowRun[] = [];
  for (let parents = [root.id]; parents.length > 0; ) {
    const children = (await Promise.all(parents.map((id) => childrenOf(client, id))))
      .flat()
      .filter((run) => !seen.has(run.id));
    for (const run of children) seen.add(run.id);
    found.push(...children);
    parents = children.map((run) => run.id);
  }
  // A parent is created before its subflows, so its run view's reducer meets parents first.
  return found.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}

async function childrenOf(client: ApiClient, parentFlowRunId: string): Promise<FlowRun[]> {
  const children: FlowRun[] = [];
  for (let offset = 0; ; offset += PAGE) {
    const { flowRuns } = await client.call(
      flowRunsApi.list,
      { query: { parentFlowRunId, limit: PAGE, offset } },
      { retry: BRIEF_RETRY },
    );
    children.push(...flowRuns);
    if (flowRuns.length < PAGE) return children;
  }
}

/** One flow run (without its subflows) as run events: its states, task runs with their histories, logs, artifacts. */
async function oneFlowRunEvents(client: ApiClient, run: FlowRun): Promise<RunEvent[]> {
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
  const events = flowRunEvents(run, states);
  const withHistory = taskRuns.length <= HISTORY_LIMIT;
  for (const taskRun of taskRuns) {
    const history = withHistory
      ? (await client.call(taskRunsApi.get, { params: { id: run.id, taskRunId: taskRun.id } }, { retry: BRIEF_RETRY }))
          .states
      : [];
    events.push(...taskRunEvents(taskRun, history));
  }
  events.push(...logEvents(logs), ...artifactEvents(artifacts));
  return events;
}
