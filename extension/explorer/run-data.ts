// What the run explorer reads from Skein's API, as plain data: the flows, one page of a flow's runs (newest first,
// filtered by state), and the children of a run (its task runs, with each subflow run nested under the task run
// that stands for it in its parent). No editor code here, so the integration test and the bench call it directly.
import { BRIEF_RETRY, type ApiClient } from "../../client/api-client.ts";
import type { ResponseOf } from "../../protocol/api/contract.ts";
import { flowRunsApi } from "../../protocol/api/flow-runs.ts";
import { taskRunsApi } from "../../protocol/api/task-runs.ts";
import type { StateType } from "../../protocol/states.ts";

export type FlowSummary = ResponseOf<typeof flowRunsApi.flows>["flows"][number];
export type FlowRunRecord = ResponseOf<typeof flowRunsApi.get>;
export type TaskRunRecord = ResponseOf<typeof taskRunsApi.getById>;

/** Runs per page when a flow is expanded and on each "Load more…". */
export const RUN_PAGE_SIZE = 100;
/** The flows list is short (a flow is known by having run); one page holds every flow a workspace has. */
const FLOWS_LIMIT = 1000;

export interface RunFilter {
  /** Only runs in one of these state types; every run when empty. */
  states: StateType[];
  /** Only this flow; every flow when undefined. */
  flowName?: string;
}

export const NO_FILTER: RunFilter = { states: [] };

export async function listFlows(client: ApiClient, filter: RunFilter = NO_FILTER): Promise<FlowSummary[]> {
  const { flows } = await client.call(
    flowRunsApi.flows,
    { query: { limit: FLOWS_LIMIT, offset: 0 } },
    { retry: BRIEF_RETRY },
  );
  return filter.flowName ? flows.filter((flow) => flow.name === filter.flowName) : flows;
}

export interface RunPage {
  runs: FlowRunRecord[];
  /** Whether a next page may hold more runs. */
  hasMore: boolean;
}

/** One page of a flow's runs, newest first. */
export async function listRunsPage(
  client: ApiClient,
  flowName: string,
  filter: RunFilter,
  offset: number,
  limit = RUN_PAGE_SIZE,
): Promise<RunPage> {
  const { flowRuns } = await client.call(
    flowRunsApi.list,
    {
      query: { flowName, offset, limit, state: filter.states.length > 0 ? filter.states.join(",") : undefined },
    },
    { retry: BRIEF_RETRY },
  );
  return { runs: flowRuns, hasMore: flowRuns.length === limit };
}

export interface RunChildren {
  taskRuns: TaskRunRecord[];
  /** Subflow runs by the task run that stands for them in this run. */
  subflowsByTaskRun: Map<string, FlowRunRecord[]>;
  /** Subflow runs whose task run is not (or no longer) recorded: shown directly under the run. */
  orphanSubflows: FlowRunRecord[];
}

export async function listRunChildren(client: ApiClient, flowRunId: string): Promise<RunChildren> {
  const [{ taskRuns }, { flowRuns }] = await Promise.all([
    client.call(taskRunsApi.list, { params: { id: flowRunId } }, { retry: BRIEF_RETRY }),
    client.call(
      flowRunsApi.list,
      { query: { parentFlowRunId: flowRunId, limit: 10_000, offset: 0 } },
      { retry: BRIEF_RETRY },
    ),
  ]);
  return nestSubflows(taskRuns, flowRuns);
}

export function nestSubflows(taskRuns: TaskRunRecord[], subflows: FlowRunRecord[]): RunChildren {
  const taskRunIds = new Set(taskRuns.map((taskRun) => taskRun.id));
  const subflowsByTaskRun = new Map<string, FlowRunRecord[]>();
  const orphanSubflows: FlowRunRecord[] = [];
  // The API lists runs newest first; a run's subflows read better in the order they started.
  for (const subflow of [...subflows].reverse()) {
    const parent = subflow.parentTaskRunId;
    if (parent && taskRunIds.has(parent))
      subflowsByTaskRun.set(parent, [...(subflowsByTaskRun.get(parent) ?? []), subflow]);
    else orphanSubflows.push(subflow);
  }
  return { taskRuns, subflowsByTaskRun, orphanSubflows };
}
