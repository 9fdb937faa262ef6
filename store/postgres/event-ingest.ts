// Writes a batch of run events to PostgreSQL: the rows of the batch's fold (store/event-fold.ts) with one
// multi-row statement per table (unnest of column arrays), so ingest costs a handful of round trips per batch
// whatever its size. Runs in the caller's transaction.
import type { PoolClient } from "pg";
import type { RunEvent } from "../../protocol/run-events.ts";
import {
  ARTIFACT_COLUMNS,
  crashedHolds,
  FLOW_RUN_COLUMNS,
  foldEvents,
  LOG_COLUMNS,
  STATE_COLUMNS,
  TASK_RUN_COLUMNS,
  type SqlValue,
  withFoldedStates,
} from "../event-fold.ts";

/** Integer columns; every other column of the event tables is text. */
const INTEGER_COLUMNS = new Set(["pid", "dynamic_key"]);

/** Rows as one array per column, the parameters of `unnest`. */
function byColumn(width: number, rows: readonly SqlValue[][]): SqlValue[][] {
  return Array.from({ length: width }, (_, i) => rows.map((row) => row[i]));
}

/** Inserts the rows, skipping ids stored already; returns the ids it inserted (the first column). */
async function insertRows(
  client: PoolClient,
  table: string,
  columns: readonly string[],
  rows: readonly SqlValue[][],
  returnIds = false,
): Promise<Set<string>> {
  if (rows.length === 0) return new Set();
  const unnest = columns.map((c, i) => `$${i + 1}::${INTEGER_COLUMNS.has(c) ? "int" : "text"}[]`).join(", ");
  // WITH ORDINALITY + ORDER BY keeps the batch's order in `seq`.
  const result = await client.query<{ id: string }>(
    `INSERT INTO ${table} (${columns.join(", ")})
     SELECT ${columns.map((c) => `u.${c}`).join(", ")} FROM unnest(${unnest}) WITH ORDINALITY AS u(${columns.join(", ")}, ord)
     ORDER BY u.ord ON CONFLICT DO NOTHING${returnIds ? ` RETURNING ${columns[0]} AS id` : ""}`,
    byColumn(columns.length, rows),
  );
  return new Set(returnIds ? result.rows.map((row) => row.id) : []);
}

/** The ids of `rows` (first column) that the insert skipped because they were stored already. */
function skippedIds(rows: readonly SqlValue[][], inserted: Set<string>): Set<string> {
  return new Set(rows.map((row) => row[0] as string).filter((id) => !inserted.has(id)));
}

export async function ingestEvents(client: PoolClient, events: readonly RunEvent[]): Promise<void> {
  const writes = foldEvents(events);
  const flowRunsInserted = await insertRows(client, "flow_runs", FLOW_RUN_COLUMNS, writes.flowRuns, true);
  const taskRunsInserted = await insertRows(client, "task_runs", TASK_RUN_COLUMNS, writes.taskRuns, true);
  // Created rows the insert skipped (stored by an earlier batch): their folded states are applied as updates.
  const { flowRunStates, taskRunStates, taskRunInputs } = withFoldedStates(writes, {
    flowRuns: skippedIds(writes.flowRuns, flowRunsInserted),
    taskRuns: skippedIds(writes.taskRuns, taskRunsInserted),
  });
  await insertRows(client, "states", STATE_COLUMNS, writes.states);
  await insertRows(client, "logs", LOG_COLUMNS, writes.logs);
  await insertRows(client, "artifacts", ARTIFACT_COLUMNS, writes.artifacts);
  const updates = writes.artifactUpdates;
  if (updates.length) {
    await client.query(
      `UPDATE artifacts a SET data = u.data, updated_at = u.ts FROM unnest($1::text[], $2::text[], $3::text[]) AS u(id, data, ts)
       WHERE a.id = u.id AND a.updated_at <= u.ts`,
      [updates.map((u) => u.artifactId), updates.map((u) => u.data), updates.map((u) => u.updatedAt)],
    );
  }
  const flowRuns = flowRunStates;
  if (flowRuns.length) {
    // A replayed older state never overwrites a newer one, and a Crashed run keeps its state (event-fold.ts).
    await client.query(
      `UPDATE flow_runs r SET state_type = u.type, state_name = u.name, state_message = u.message, state_timestamp = u.ts,
         state_details = u.details, result = coalesce(u.result, r.result)
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[])
         AS u(type, name, message, ts, details, result, id, entry)
       WHERE r.id = u.id AND r.state_timestamp <= u.ts AND ${crashedHolds("r.state_type", "u.entry")}`,
      byColumn(
        8,
        flowRuns.map((u) => [...u.state, u.result, u.runId, u.entry]),
      ),
    );
  }
  const taskRuns = taskRunStates;
  if (taskRuns.length) {
    // A Crashed task run gains the states in its history only (the CASE keeps each current-state column).
    const keep = `NOT ${crashedHolds("r.state_type", "u.entry")}`;
    const set = (column: string, value: string) => `${column} = CASE WHEN ${keep} THEN r.${column} ELSE ${value} END`;
    await client.query(
      `UPDATE task_runs r SET ${set("state_type", "u.type")}, ${set("state_name", "u.name")},
         ${set("state_message", "u.message")}, ${set("state_timestamp", "u.ts")}, ${set("state_details", "u.details")},
         ${set("result", "coalesce(u.result, r.result)")},
         history = left(r.history, -1) || CASE r.history WHEN '[]' THEN '' ELSE ',' END || u.entries || ']'
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[],
         $10::text[]) AS u(type, name, message, ts, details, result, entries, id, marker, entry)
       WHERE r.id = u.id AND strpos(r.history, u.marker) = 0`,
      byColumn(
        10,
        taskRuns.map((u) => [...u.state, u.result, u.entries, u.runId, u.marker, u.entry]),
      ),
    );
  }
  if (taskRunInputs.length) {
    await client.query(
      `UPDATE task_runs r SET inputs = u.inputs, inputs_not_stored = u.reason
       FROM unnest($1::text[], $2::text[], $3::text[]) AS u(id, inputs, reason) WHERE r.id = u.id`,
      byColumn(
        3,
        taskRunInputs.map((u) => [u.runId, u.inputs, u.notStoredReason]),
      ),
    );
  }
}
