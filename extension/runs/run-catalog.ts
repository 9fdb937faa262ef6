// Where the palette's run and task pickers (for the explorer's, the run view's and the fix commands), and Rerun
// from task and Debug task again, read runs from: the editor's one SkeinConnection (the server of the SKEIN_HOME,
// or a remote one), the same API the explorer and the run views read, rather than a CLI process per listing. Behind a small interface so the commands are tested without a server.
import { BRIEF_RETRY } from "../../client/api-client.ts";
import { flowRunsApi } from "../../protocol/api/flow-runs.ts";
import { taskRunsApi } from "../../protocol/api/task-runs.ts";
import type { State } from "../../protocol/states.ts";
import { serializedAsJson } from "../../protocol/serialized-values.ts";
import type { SkeinConnection } from "../connection/skein-connection.ts";

export type RunStateSummary = Pick<State, "type" | "name" | "timestamp" | "message">;

export interface FlowRunSummary {
  id: string;
  name: string;
  flowName: string;
  state: RunStateSummary;
  createdAt: string;
}

export interface TaskRunSummary {
  id: string;
  name: string;
  state: RunStateSummary;
  createdAt: string;
}

export interface RunCatalog {
  /** The latest flow runs, newest first; only these state types when given. */
  flowRuns(stateTypes?: string[]): Promise<FlowRunSummary[]>;
  taskRuns(flowRunId: string): Promise<TaskRunSummary[]>;
  /** The inputs recorded for a task run, by parameter name, as JSON; undefined when none were recorded. */
  taskRunInputs(taskRunId: string): Promise<Record<string, unknown> | undefined>;
}

/** How many recent runs the picker offers. */
const PICKER_RUNS = 200;

export function connectionRunCatalog(connection: Pick<SkeinConnection, "withClient">): RunCatalog {
  return {
    flowRuns: (stateTypes) =>
      connection.withClient(async (client) => {
        const state = stateTypes?.length ? stateTypes.join(",") : undefined;
        const query = { limit: PICKER_RUNS, offset: 0, state };
        return (await client.call(flowRunsApi.list, { query }, { retry: BRIEF_RETRY })).flowRuns;
      }),
    taskRuns: (flowRunId) =>
      connection.withClient(
        async (client) =>
          (await client.call(taskRunsApi.list, { params: { id: flowRunId } }, { retry: BRIEF_RETRY })).taskRuns,
      ),
    taskRunInputs: (taskRunId) =>
      connection.withClient(async (client) => {
        const { inputs } = await client.call(taskRunsApi.inputs, { params: { id: taskRunId } }, { retry: BRIEF_RETRY });
        if (inputs === null) return undefined;
        const values = serializedAsJson(inputs);
        return typeof values === "object" && values !== null && !Array.isArray(values)
          ? (values as Record<string, unknown>)
          : undefined;
      }),
  };
}
