// Writes a batch of run events to PostgreSQL with one multi-row statement per table (unnest of column arrays),
// so ingest costs a handful of round trips per batch whatever its size. Same layout and folding as the SQLite
// store: a run created and moved within the batch is inserted once with its latest state, and a task run's
// states travel inline in its `history`. Replays change nothing: rows are keyed by event id, a flow run's
// current state only moves forward in time, and a task run's history never takes the same state twice.
import type { PoolClient } from "pg";
import type { ArtifactUpdatedEvent, RunEvent, StateChangedEvent } from "../../protocol/run-events.ts";
import type { State } from "../../protocol/states.ts";
import { stateColumns } from "../rows.ts";

type Column = (string | number | null)[];

/** Column arrays for one table, filled row by row. */
class Rows {
  readonly columns: Column[];
  constructor(width: number) {
    this.columns = Array.from({ length: width }, () => []);
  }
  add(...values: (string | number | null)[]): void {
    values.forEach((value, i) => this.columns[i].push(value));
  }
  get size(): number {
    return this.columns[0].length;
  }
}

async function insertRows(
  client: PoolClient,
  table: string,
  columns: string[],
  types: string[],
  rows: Rows,
): Promise<void> {
  if (rows.size === 0) return;
  const unnest = types.map((type, i) => `$${i + 1}::${type}[]`).join(", ");
  // WITH ORDINALITY + ORDER BY keeps the batch's order in `seq`.
  await client.query(
    `INSERT INTO ${table} (${columns.join(", ")})
     SELECT ${columns.map((c) => `u.${c}`).join(", ")} FROM unnest(${unnest}) WITH ORDINALITY AS u(${columns.join(", ")}, ord)
     ORDER BY u.ord ON CONFLICT DO NOTHING`,
    rows.columns,
  );
}

function historyEntry(id: string, state: State): string {
  return JSON.stringify({ id, ...state });
}

function lastResult(states: readonly StateChangedEvent[]): string | null {
  for (let i = states.length - 1; i >= 0; i--) if (states[i].result !== undefined) return states[i].result!;
  return null;
}

export async function ingestEvents(client: PoolClient, events: readonly RunEvent[]): Promise<void> {
  const latest = new Map<string, StateChangedEvent>();
  const taskStates = new Map<string, StateChangedEvent[]>();
  for (const event of events) {
    if (event.kind !== "state") continue;
    if (event.runKind === "flow") latest.set(event.runId, event);
    else if (taskStates.has(event.runId)) taskStates.get(event.runId)!.push(event);
    else taskStates.set(event.runId, [event]);
  }
  const flowRuns = new Rows(18);
  const taskRuns = new Rows(15);
  const states = new Rows(7);
  const logs = new Rows(7);
  const artifacts = new Rows(9);
  const artifactUpdates = new Map<string, ArtifactUpdatedEvent>();
  const addState = (id: string, runId: string, state: State) =>
    states.add(
      id,
      runId,
      state.type,
      state.name,
      state.message ?? null,
      state.timestamp,
      state.details ? JSON.stringify(state.details) : null,
    );

  for (const event of events) {
    switch (event.kind) {
      case "flow-run-created": {
        const last = latest.get(event.flowRunId);
        latest.delete(event.flowRunId);
        flowRuns.add(
          event.flowRunId,
          event.name,
          event.flowName,
          JSON.stringify(event.parameters),
          JSON.stringify(event.tags),
          event.parentFlowRunId ?? null,
          event.parentTaskRunId ?? null,
          event.entrypoint ?? null,
          event.pid,
          event.host ?? null,
          event.timestamp,
          event.timestamp,
          ...stateColumns(last?.state ?? event.state),
          last?.result ?? null,
        );
        addState(event.id, event.flowRunId, event.state);
        break;
      }
      case "task-run-created": {
        const later = taskStates.get(event.taskRunId) ?? [];
        taskStates.delete(event.taskRunId);
        const history = [historyEntry(event.id, event.state), ...later.map((e) => historyEntry(e.id, e.state))];
        taskRuns.add(
          event.taskRunId,
          event.flowRunId,
          event.name,
          event.taskKey,
          event.dynamicKey,
          JSON.stringify(event.upstream),
          JSON.stringify(event.tags),
          event.timestamp,
          ...stateColumns(later.at(-1)?.state ?? event.state),
          lastResult(later),
          `[${history.join(",")}]`,
        );
        break;
      }
      case "state":
        if (event.runKind === "flow") addState(event.id, event.runId, event.state);
        break;
      case "log":
        logs.add(
          event.id,
          event.flowRunId,
          event.taskRunId ?? null,
          event.level,
          event.logger,
          event.message,
          event.timestamp,
        );
        break;
      case "artifact":
        artifacts.add(
          event.artifactId,
          event.flowRunId,
          event.taskRunId ?? null,
          event.key ?? null,
          event.type,
          event.description ?? null,
          JSON.stringify(event.data),
          event.timestamp,
          event.timestamp,
        );
        break;
      case "artifact-updated": {
        const previous = artifactUpdates.get(event.artifactId);
        if (!previous || previous.timestamp <= event.timestamp) artifactUpdates.set(event.artifactId, event);
        break;
      }
    }
  }

  await insertRows(
    client,
    "flow_runs",
    [
      "id",
      "name",
      "flow_name",
      "parameters",
      "tags",
      "parent_flow_run_id",
      "parent_task_run_id",
      "entrypoint",
      "pid",
      "host",
      "heartbeat_at",
      "created_at",
      "state_type",
      "state_name",
      "state_message",
      "state_timestamp",
      "state_details",
      "result",
    ],
    [
      "text",
      "text",
      "text",
      "text",
      "text",
      "text",
      "text",
      "text",
      "int",
      "text",
      "text",
      "text",
      "text",
      "text",
      "text",
      "text",
      "text",
      "text",
    ],
    flowRuns,
  );
  await insertRows(
    client,
    "task_runs",
    [
      "id",
      "flow_run_id",
      "name",
      "task_key",
      "dynamic_key",
      "upstream",
      "tags",
      "created_at",
      "state_type",
      "state_name",
      "state_message",
      "state_timestamp",
      "state_details",
      "result",
      "history",
    ],
    [
      "text",
      "text",
      "text",
      "text",
      "int",
      "text",
      "text",
      "text",
      "text",
      "text",
      "text",
      "text",
      "text",
      "text",
      "text",
    ],
    taskRuns,
  );
  await insertRows(
    client,
    "states",
    ["id", "run_id", "type", "name", "message", "timestamp", "details"],
    Array(7).fill("text"),
    states,
  );
  await insertRows(
    client,
    "logs",
    ["id", "flow_run_id", "task_run_id", "level", "logger", "message", "timestamp"],
    Array(7).fill("text"),
    logs,
  );
  await insertRows(
    client,
    "artifacts",
    ["id", "flow_run_id", "task_run_id", "key", "type", "description", "data", "created_at", "updated_at"],
    Array(9).fill("text"),
    artifacts,
  );
  await updateArtifacts(client, [...artifactUpdates.values()]);
  await updateFlowRunStates(client, [...latest.values()]);
  await appendTaskRunStates(client, taskStates);
}

async function updateArtifacts(client: PoolClient, updates: ArtifactUpdatedEvent[]): Promise<void> {
  if (updates.length === 0) return;
  updates.sort((a, b) => (a.artifactId < b.artifactId ? -1 : 1));
  await client.query(
    `UPDATE artifacts a SET data = u.data, updated_at = u.ts FROM unnest($1::text[], $2::text[], $3::text[]) AS u(id, data, ts)
     WHERE a.id = u.id AND a.updated_at <= u.ts`,
    [updates.map((u) => u.artifactId), updates.map((u) => JSON.stringify(u.data)), updates.map((u) => u.timestamp)],
  );
}

async function updateFlowRunStates(client: PoolClient, changes: StateChangedEvent[]): Promise<void> {
  if (changes.length === 0) return;
  // Sorted by id: concurrent batches lock rows in the same order, so they cannot deadlock.
  const rows = [...changes].sort((a, b) => (a.runId < b.runId ? -1 : 1));
  const columns = rows.map((e) => stateColumns(e.state));
  await client.query(
    `UPDATE flow_runs r SET state_type = u.type, state_name = u.name, state_message = u.message, state_timestamp = u.ts,
       state_details = u.details, result = coalesce(u.result, r.result)
     FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])
       AS u(id, type, name, message, ts, details, result)
     WHERE r.id = u.id AND r.state_timestamp <= u.ts`,
    [
      rows.map((e) => e.runId),
      columns.map((c) => c[0]),
      columns.map((c) => c[1]),
      columns.map((c) => c[2]),
      columns.map((c) => c[3]),
      columns.map((c) => c[4]),
      rows.map((e) => e.result ?? null),
    ],
  );
}

/** States of task runs created in an earlier batch: appended to their history unless already there (a replay). */
async function appendTaskRunStates(client: PoolClient, taskStates: Map<string, StateChangedEvent[]>): Promise<void> {
  if (taskStates.size === 0) return;
  const ids = [...taskStates.keys()].sort();
  const lists = ids.map((id) => taskStates.get(id)!);
  const last = lists.map((states) => stateColumns(states[states.length - 1].state));
  await client.query(
    `UPDATE task_runs r SET state_type = u.type, state_name = u.name, state_message = u.message, state_timestamp = u.ts,
       state_details = u.details, result = coalesce(u.result, r.result),
       history = left(r.history, -1) || CASE r.history WHEN '[]' THEN '' ELSE ',' END || u.entries || ']'
     FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[])
       AS u(id, type, name, message, ts, details, result, entries, marker)
     WHERE r.id = u.id AND strpos(r.history, u.marker) = 0`,
    [
      ids,
      last.map((c) => c[0]),
      last.map((c) => c[1]),
      last.map((c) => c[2]),
      last.map((c) => c[3]),
      last.map((c) => c[4]),
      lists.map(lastResult),
      lists.map((states) => states.map((e) => historyEntry(e.id, e.state)).join(",")),
      lists.map((states) => `"id":"${states[0].id}"`),
    ],
  );
}
