// Rows of either store (SQLite, PostgreSQL) as the Store's records. Both keep the same columns in the same text
// encodings (JSON text, ISO times), so one mapping serves both and records read the same from either backend.
import type { State } from "../protocol/states.ts";
import { taskNameOfKey } from "../protocol/task-keys.ts";
import type {
  ArtifactRecord,
  KeyedArtifactRecord,
  CacheEntry,
  DeploymentInput,
  DeploymentQuery,
  DeploymentRecord,
  FlowRunRecord,
  LogRecord,
  StateRecord,
  TaskRunInputsRecord,
  TaskRunRecord,
  WorkPoolInput,
  WorkPoolRecord,
  WorkQueueInput,
  WorkQueueRecord,
} from "./types.ts";

export type Row = Record<string, any>;

/** A state as the columns type, name, message, timestamp, details (of `states`, and `state_*` of runs). */
export type StateColumns = [
  type: string,
  name: string,
  message: string | null,
  timestamp: string,
  details: string | null,
];

export function stateColumns(state: State): StateColumns {
  return [
    state.type,
    state.name,
    state.message ?? null,
    state.timestamp,
    state.details ? JSON.stringify(state.details) : null,
  ];
}

/** A state from its stored columns (the one decoding every reader of state rows uses). */
export function toState(
  type: string,
  name: string,
  message: string | null,
  timestamp: string,
  details: string | null,
): State {
  const state = { type, name, timestamp } as State;
  if (message !== null) state.message = message;
  if (details !== null) state.details = JSON.parse(details);
  return state;
}

export function toFlowRun(row: Row): FlowRunRecord {
  return {
    id: row.id,
    name: row.name,
    flowName: row.flow_name,
    parameters: JSON.parse(row.parameters),
    tags: JSON.parse(row.tags),
    parentFlowRunId: row.parent_flow_run_id,
    parentTaskRunId: row.parent_task_run_id,
    entrypoint: row.entrypoint,
    pid: Number(row.pid),
    host: row.host ?? null,
    heartbeatAt: row.heartbeat_at,
    createdAt: row.created_at,
    state: toState(row.state_type, row.state_name, row.state_message, row.state_timestamp, row.state_details),
    result: row.result,
    cancelRequestedAt: row.cancel_requested_at,
    deploymentId: row.deployment_id ?? null,
    workPoolName: row.work_pool_name ?? null,
    workQueueName: row.work_queue_name ?? null,
    expectedStartTime: row.expected_start_time ?? null,
    workerName: row.worker_name ?? null,
  };
}

export function toTaskRun(row: Row): TaskRunRecord {
  return {
    id: row.id,
    flowRunId: row.flow_run_id,
    name: row.name,
    // Rows stored before the column existed (or by an older run process writing the file) have no task name.
    taskName: row.task_name ?? taskNameOfKey(row.task_key),
    taskKey: row.task_key,
    dynamicKey: Number(row.dynamic_key),
    upstream: JSON.parse(row.upstream),
    tags: JSON.parse(row.tags),
    source: row.source ? JSON.parse(row.source) : null,
    createdAt: row.created_at,
    state: toState(row.state_type, row.state_name, row.state_message, row.state_timestamp, row.state_details),
    result: row.result,
  };
}

export function toTaskRunInputs(row: Row): TaskRunInputsRecord {
  return { taskRunId: row.id, inputs: row.inputs, notStoredReason: row.inputs_not_stored };
}

export function toStateRecord(row: Row): StateRecord {
  return { id: row.id, runId: row.run_id, ...toState(row.type, row.name, row.message, row.timestamp, row.details) };
}

/** The cache entry of a row, or undefined once it has expired (at `now`, epoch ms). */
export function toCacheEntry(row: Row, now: number): CacheEntry | undefined {
  if (row.expires_at && Date.parse(row.expires_at) <= now) return undefined;
  return {
    key: row.key,
    value: row.value,
    taskRunId: row.task_run_id,
    flowRunId: row.flow_run_id,
    expiresAt: row.expires_at,
  };
}

export function toLog(row: Row): LogRecord {
  return {
    id: row.id,
    flowRunId: row.flow_run_id,
    taskRunId: row.task_run_id,
    level: row.level,
    logger: row.logger,
    message: row.message,
    timestamp: row.timestamp,
  };
}

export function toArtifact(row: Row): ArtifactRecord {
  return {
    id: row.id,
    flowRunId: row.flow_run_id,
    taskRunId: row.task_run_id,
    key: row.key,
    type: row.type,
    description: row.description,
    data: JSON.parse(row.data),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** A row of artifacts joined with its flow run's name (`flow_run_name`): one entry of a key's history. */
export function toKeyedArtifact(row: Row): KeyedArtifactRecord {
  return { ...toArtifact(row), flowRunName: row.flow_run_name };
}

// Work pools, work queues and deployments. Both SQL stores run the same statements (written with `?`; the
// PostgreSQL store numbers them), so the columns, defaults and encodings below are the only definition.

export function toWorkPool(row: Row): WorkPoolRecord {
  return {
    name: row.name,
    type: row.type,
    description: row.description,
    paused: flag(row.paused),
    concurrencyLimit: numberOrNull(row.concurrency_limit),
    baseJobTemplate: JSON.parse(row.base_job_template),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function toWorkQueue(row: Row): WorkQueueRecord {
  return {
    workPoolName: row.work_pool_name,
    name: row.name,
    description: row.description,
    priority: Number(row.priority),
    concurrencyLimit: numberOrNull(row.concurrency_limit),
    paused: flag(row.paused),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function toDeployment(row: Row): DeploymentRecord {
  return {
    id: row.id,
    name: row.name,
    flowName: row.flow_name,
    entrypoint: row.entrypoint,
    description: row.description,
    parameters: JSON.parse(row.parameters),
    parameterSchema: row.parameter_schema === null ? null : JSON.parse(row.parameter_schema),
    enforceParameterSchema: flag(row.enforce_parameter_schema),
    schedules: JSON.parse(row.schedules),
    workPoolName: row.work_pool_name,
    workQueueName: row.work_queue_name,
    jobVariables: JSON.parse(row.job_variables),
    tags: JSON.parse(row.tags),
    concurrencyLimit: numberOrNull(row.concurrency_limit),
    collisionStrategy: row.collision_strategy,
    paused: flag(row.paused),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** Booleans are integers 0/1 in both databases (one column type for the schema-parity check). */
function flag(value: unknown): boolean {
  return Number(value) !== 0;
}

function numberOrNull(value: unknown): number | null {
  return value === null || value === undefined ? null : Number(value);
}

function insertStatement(table: string, columns: readonly string[]): string {
  return `INSERT INTO ${table} (${columns.join(", ")}) VALUES (${columns.map(() => "?").join(", ")}) ON CONFLICT DO NOTHING RETURNING *`;
}

const WORK_POOL_COLUMNS = [
  "name",
  "type",
  "description",
  "paused",
  "concurrency_limit",
  "base_job_template",
  "created_at",
  "updated_at",
];
const WORK_QUEUE_COLUMNS = [
  "work_pool_name",
  "name",
  "description",
  "priority",
  "concurrency_limit",
  "paused",
  "created_at",
  "updated_at",
];
const DEPLOYMENT_COLUMNS = [
  "id",
  "name",
  "flow_name",
  "entrypoint",
  "description",
  "parameters",
  "parameter_schema",
  "enforce_parameter_schema",
  "schedules",
  "work_pool_name",
  "work_queue_name",
  "job_variables",
  "tags",
  "concurrency_limit",
  "collision_strategy",
  "paused",
  "created_at",
  "updated_at",
];

/** Each returns the inserted row, or no row when the name is taken. */
export const INSERT_WORK_POOL = insertStatement("work_pools", WORK_POOL_COLUMNS);
export const INSERT_WORK_QUEUE = insertStatement("work_queues", WORK_QUEUE_COLUMNS);
export const INSERT_DEPLOYMENT = insertStatement("deployments", DEPLOYMENT_COLUMNS);

export const RESOURCE_SQL = {
  getWorkPool: "SELECT * FROM work_pools WHERE name = ?",
  listWorkPools: "SELECT * FROM work_pools ORDER BY name",
  deleteWorkQueuesOfPool: "DELETE FROM work_queues WHERE work_pool_name = ?",
  deleteWorkPool: "DELETE FROM work_pools WHERE name = ?",
  getWorkQueue: "SELECT * FROM work_queues WHERE work_pool_name = ? AND name = ?",
  listWorkQueues: "SELECT * FROM work_queues WHERE work_pool_name = ? ORDER BY priority, name",
  nextWorkQueuePriority: "SELECT coalesce(max(priority), 0) + 1 AS next FROM work_queues WHERE work_pool_name = ?",
  deleteWorkQueue: "DELETE FROM work_queues WHERE work_pool_name = ? AND name = ?",
  getDeployment: "SELECT * FROM deployments WHERE id = ?",
  getDeploymentByName: "SELECT * FROM deployments WHERE flow_name = ? AND name = ?",
  deleteDeployment: "DELETE FROM deployments WHERE id = ?",
} as const;

export function workPoolRow(input: WorkPoolInput, now: string): unknown[] {
  return [
    input.name,
    input.type ?? "process",
    input.description ?? null,
    input.paused ? 1 : 0,
    input.concurrencyLimit ?? null,
    JSON.stringify(input.baseJobTemplate ?? {}),
    now,
    now,
  ];
}

export function workQueueRow(workPoolName: string, input: WorkQueueInput, priority: number, now: string): unknown[] {
  return [
    workPoolName,
    input.name,
    input.description ?? null,
    input.priority ?? priority,
    input.concurrencyLimit ?? null,
    input.paused ? 1 : 0,
    now,
    now,
  ];
}

export function deploymentRow(
  id: string,
  input: DeploymentInput,
  workQueueName: string | null,
  now: string,
): unknown[] {
  return [
    id,
    input.name,
    input.flowName,
    input.entrypoint,
    input.description ?? null,
    JSON.stringify(input.parameters ?? {}),
    input.parameterSchema ? JSON.stringify(input.parameterSchema) : null,
    input.enforceParameterSchema === false ? 0 : 1,
    JSON.stringify(input.schedules ?? []),
    input.workPoolName ?? null,
    workQueueName,
    JSON.stringify(input.jobVariables ?? {}),
    JSON.stringify(input.tags ?? []),
    input.concurrencyLimit ?? null,
    input.collisionStrategy ?? "ENQUEUE",
    input.paused ? 1 : 0,
    now,
    now,
  ];
}

export function listDeploymentsStatement(query: DeploymentQuery): { sql: string; params: unknown[] } {
  const where: string[] = [];
  const params: unknown[] = [];
  if (query.flowName !== undefined) where.push("flow_name = ?") && params.push(query.flowName);
  if (query.workPoolName !== undefined) where.push("work_pool_name = ?") && params.push(query.workPoolName);
  return {
    sql: `SELECT * FROM deployments ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY flow_name, name`,
    params,
  };
}

const asIs = (value: unknown) => value ?? null;
const asFlag = (value: unknown) => (value ? 1 : 0);
const asJson = (value: unknown) => (value === null ? null : JSON.stringify(value));

/** Record fields a patch may change, as columns (the same field means the same column in every table). */
const PATCHABLE: Record<string, [column: string, encode: (value: unknown) => unknown]> = {
  description: ["description", asIs],
  paused: ["paused", asFlag],
  concurrencyLimit: ["concurrency_limit", asIs],
  baseJobTemplate: ["base_job_template", asJson],
  priority: ["priority", asIs],
  parameters: ["parameters", asJson],
  parameterSchema: ["parameter_schema", asJson],
  enforceParameterSchema: ["enforce_parameter_schema", asFlag],
  schedules: ["schedules", asJson],
  jobVariables: ["job_variables", asJson],
  tags: ["tags", asJson],
  collisionStrategy: ["collision_strategy", asIs],
};

/** `UPDATE … RETURNING *` of the fields present in `patch` (undefined fields stay), plus updated_at. */
export function updateStatement(
  table: string,
  patch: object,
  keys: Record<string, unknown>,
  now: string,
): { sql: string; params: unknown[] } {
  const assignments: string[] = [];
  const params: unknown[] = [];
  for (const [field, value] of Object.entries(patch)) {
    if (value === undefined || !PATCHABLE[field]) continue;
    const [column, encode] = PATCHABLE[field];
    assignments.push(`${column} = ?`);
    params.push(encode(value));
  }
  assignments.push("updated_at = ?");
  params.push(now);
  const where = Object.keys(keys)
    .map((column) => `${column} = ?`)
    .join(" AND ");
  return {
    sql: `UPDATE ${table} SET ${assignments.join(", ")} WHERE ${where} RETURNING *`,
    params: [...params, ...Object.values(keys)],
  };
}

/** Why a create was refused, in the words the API and the CLI show. */
export const refusal = {
  duplicateWorkPool: (name: string) =>
    ({ refused: "duplicate", message: `a work pool named '${name}' already exists` }) as const,
  duplicateWorkQueue: (pool: string, name: string) =>
    ({ refused: "duplicate", message: `work pool '${pool}' already has a work queue named '${name}'` }) as const,
  duplicateDeployment: (flow: string, name: string) =>
    ({ refused: "duplicate", message: `flow '${flow}' already has a deployment named '${name}'` }) as const,
  unknownWorkPool: (name: string) =>
    ({ refused: "unknown-work-pool", message: `no work pool named '${name}'` }) as const,
  unknownWorkQueue: (pool: string, name: string) =>
    ({ refused: "unknown-work-queue", message: `work pool '${pool}' has no work queue named '${name}'` }) as const,
  queueWithoutPool: (name: string) =>
    ({ refused: "unknown-work-queue", message: `work queue '${name}' is named without a work pool` }) as const,
};
