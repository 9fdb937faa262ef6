// Writes a batch of run events to SQLite: the rows of the batch's fold (store/event-fold.ts), each through one
// prepared statement, in the caller's transaction. In-process calls are cheap in SQLite, so a row a call is
// the fast path here, where PostgreSQL sends a table a statement.
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
import type { SqliteDatabase } from "./database.ts";

function insert(table: string, columns: readonly string[]): string {
  return `INSERT OR IGNORE INTO ${table} (${columns.join(", ")}) VALUES (${columns.map(() => "?").join(", ")})`;
}

const INSERT = {
  flowRuns: insert("flow_runs", FLOW_RUN_COLUMNS),
  taskRuns: insert("task_runs", TASK_RUN_COLUMNS),
  states: insert("states", STATE_COLUMNS),
  logs: insert("logs", LOG_COLUMNS),
  artifacts: insert("artifacts", ARTIFACT_COLUMNS),
} as const;

const UPDATE_TASK_RUN_INPUTS = "UPDATE task_runs SET inputs = ?, inputs_not_stored = ? WHERE id = ?";
const UPDATE_ARTIFACT = "UPDATE artifacts SET data = ?, updated_at = ? WHERE id = ? AND updated_at <= ?";
// A replayed older state never overwrites a newer one, and a Crashed run keeps its state (event-fold.ts).
const UPDATE_FLOW_RUN_STATE = `UPDATE flow_runs SET state_type = ?, state_name = ?, state_message = ?, state_timestamp = ?,
  state_details = ?, result = coalesce(?, result) WHERE id = ? AND state_timestamp <= ? AND ${crashedHolds("state_type", "?")}`;
// A Crashed task run gains the states in its history only (the CASE keeps each current-state column).
const KEEP = `NOT ${crashedHolds("state_type", "?1")}`;
const APPEND_TASK_RUN_STATES = `UPDATE task_runs SET state_type = CASE WHEN ${KEEP} THEN state_type ELSE ?2 END,
  state_name = CASE WHEN ${KEEP} THEN state_name ELSE ?3 END,
  state_message = CASE WHEN ${KEEP} THEN state_message ELSE ?4 END,
  state_timestamp = CASE WHEN ${KEEP} THEN state_timestamp ELSE ?5 END,
  state_details = CASE WHEN ${KEEP} THEN state_details ELSE ?6 END,
  result = CASE WHEN ${KEEP} THEN result ELSE coalesce(?7, result) END,
  history = substr(history, 1, length(history) - 1) || CASE history WHEN '[]' THEN '' ELSE ',' END || ?8 || ']'
  WHERE id = ?9 AND instr(history, ?10) = 0`;

/** Call inside a transaction: the batch is stored whole or not at all. */
export function ingestEvents(database: SqliteDatabase, events: readonly RunEvent[]): void {
  const writes = foldEvents(events);
  // Created rows the insert skipped (stored by an earlier batch): their folded states are applied as updates.
  const storedAlready = { flowRuns: new Set<string>(), taskRuns: new Set<string>() };
  for (const table of ["flowRuns", "taskRuns", "states", "logs", "artifacts"] as const) {
    const rows: SqlValue[][] = writes[table];
    if (rows.length === 0) continue;
    const statement = database.sql(INSERT[table]);
    const skipped = table === "flowRuns" || table === "taskRuns" ? storedAlready[table] : undefined;
    for (const row of rows) {
      const { changes } = statement.run(...row);
      if (skipped && changes === 0) skipped.add(row[0] as string);
    }
  }
  const { flowRunStates, taskRunStates, taskRunInputs } = withFoldedStates(writes, storedAlready);
  for (const update of writes.artifactUpdates) {
    database.sql(UPDATE_ARTIFACT).run(update.data, update.updatedAt, update.artifactId, update.updatedAt);
  }
  for (const update of flowRunStates) {
    const [, , , timestamp] = update.state;
    database.sql(UPDATE_FLOW_RUN_STATE).run(...update.state, update.result, update.runId, timestamp, update.entry);
  }
  for (const append of taskRunStates) {
    database
      .sql(APPEND_TASK_RUN_STATES)
      .run(append.entry, ...append.state, append.result, append.entries, append.runId, append.marker);
  }
  for (const update of taskRunInputs) {
    database.sql(UPDATE_TASK_RUN_INPUTS).run(update.inputs, update.notStoredReason, update.runId);
  }
}
