// Rows of either store (SQLite, PostgreSQL) as the Store's records. Both keep the same columns in the same text
// encodings (JSON text, ISO times), so one mapping serves both and records read the same from either backend.
import type { State } from "../../protocol/states.ts";
import type { ArtifactRecord, FlowRunRecord, LogRecord, StateRecord, TaskRunRecord } from "./types.ts";

export type Row = Record<string, any>;

export function stateColumns(state: State): [string, string, string | null, string, string | null] {
  return [state.type, state.name, state.message ?? null, state.timestamp, state.details ? JSON.stringify(state.details) : null];
}

function toState(type: string, name: string, message: string | null, timestamp: string, details: string | null): State {
  const state = { type, name, timestamp } as State;
  if (message !== null) state.message = message;
  if (details !== null) state.details = JSON.parse(details);
  return state;
}

export function toFlowRun(row: Row): FlowRunRecord {
  return {
    id: row.id, name: row.name, flowName: row.flow_name, parameters: JSON.parse(row.parameters), tags: JSON.parse(row.tags),
    parentFlowRunId: row.parent_flow_run_id, parentTaskRunId: row.parent_task_run_id, entrypoint: row.entrypoint,
    pid: Number(row.pid), heartbeatAt: row.heartbeat_at, createdAt: row.created_at,
    state: toState(row.state_type, row.state_name, row.state_message, row.state_timestamp, row.state_details),
    result: row.result, cancelRequestedAt: row.cancel_requested_at,
  };
}

export function toTaskRun(row: Row): TaskRunRecord {
  return {
    id: row.id, flowRunId: row.flow_run_id, name: row.name, taskKey: row.task_key, dynamicKey: Number(row.dynamic_key),
    upstream: JSON.parse(row.upstream), tags: JSON.parse(row.tags), createdAt: row.created_at,
    state: toState(row.state_type, row.state_name, row.state_message, row.state_timestamp, row.state_details), result: row.result,
  };
}

export function toStateRecord(row: Row): StateRecord {
  return { id: row.id, runId: row.run_id, ...toState(row.type, row.name, row.message, row.timestamp, row.details) };
}

export function toLog(row: Row): LogRecord {
  return {
    id: row.id, flowRunId: row.flow_run_id, taskRunId: row.task_run_id, level: row.level, logger: row.logger,
    message: row.message, timestamp: row.timestamp,
  };
}

export function toArtifact(row: Row): ArtifactRecord {
  return {
    id: row.id, flowRunId: row.flow_run_id, taskRunId: row.task_run_id, key: row.key, type: row.type,
    description: row.description, data: JSON.parse(row.data), createdAt: row.created_at, updatedAt: row.updated_at,
  };
}
