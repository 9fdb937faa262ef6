// Task runs of a flow run (the store indexes them by flow run), one task run with its state history and recorded
// inputs, one task run by its id alone, and a task run's recorded inputs (never in lists: they can be large).
import { Type } from "typebox";
import { IdParams, nullable, SourceSite, State, StateRecord, StringList } from "./common.ts";
import { defineRoute } from "./contract.ts";

export const TaskRun = Type.Object({
  id: Type.String(),
  flowRunId: Type.String(),
  name: Type.String(),
  /** The task's name (the task-run-created event's `taskName`; read from the key for runs stored before it). */
  taskName: Type.String(),
  /** Stable identity of the task within its flow (name + source location). */
  taskKey: Type.String(),
  dynamicKey: Type.Integer(),
  upstream: StringList,
  tags: StringList,
  /** Where the task is defined; null when the engine could not see it or the run predates source sites. */
  source: nullable(SourceSite),
  createdAt: Type.String(),
  state: State,
  result: nullable(Type.String()),
});

/** What a task run was called with (store/types.ts TaskRunInputsRecord). */
export const TaskRunInputs = Type.Object({
  taskRunId: Type.String(),
  /** The arguments by parameter name, serialized (engine/results/serialize.ts); null when not stored. */
  inputs: nullable(Type.String()),
  /** Why they were not stored (too large, a secret value, not serializable, turned off). */
  notStoredReason: nullable(Type.String()),
});

export const taskRunsApi = {
  list: defineRoute({
    method: "GET",
    path: "/api/flow-runs/:id/task-runs",
    params: IdParams,
    response: Type.Object({ taskRuns: Type.Array(TaskRun) }),
  }),
  get: defineRoute({
    method: "GET",
    path: "/api/flow-runs/:id/task-runs/:taskRunId",
    params: Type.Object({ id: Type.String({ minLength: 1 }), taskRunId: Type.String({ minLength: 1 }) }),
    response: Type.Object({
      ...TaskRun.properties,
      states: Type.Array(StateRecord),
      inputs: nullable(Type.String()),
      inputsNotStoredReason: nullable(Type.String()),
    }),
  }),
  /** By its id alone, for `skein task-run inspect ID`. */
  getById: defineRoute({
    method: "GET",
    path: "/api/task-runs/:id",
    params: IdParams,
    response: TaskRun,
  }),
  /** The recorded inputs, for `skein task-run inputs|debug` and `flow-run rerun` through a server. */
  inputs: defineRoute({
    method: "GET",
    path: "/api/task-runs/:id/inputs",
    params: IdParams,
    response: TaskRunInputs,
  }),
};
