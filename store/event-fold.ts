// The fold of a batch of run events into the rows the SQL stores write, once for both dialects (SQLite in
// sqlite/event-ingest.ts, PostgreSQL in postgres/event-ingest.ts), so they store the same records from the same
// events. Pure: no database. Each dialect only turns the result into SQL, keeping three guards there:
// inserts skip ids already stored, a flow run's current state only moves forward in time (state_timestamp <=),
// and an artifact's data only moves forward in time (updated_at <=).
// How a batch folds: a run created and moved within the batch is inserted once with its latest state; a task
// run's states travel inline in its `history` (one row per task run, not one per state); an event id seen twice
// in a batch counts once, and states of task runs stored by earlier batches carry a marker (their first event
// id) so a replayed batch never appends them to the history twice. A task run's recorded inputs (task-run-inputs)
// go into its inserted row, or update a row stored by an earlier batch (the same values again on a replay).
// Two rules of what is stored live here too, for both dialects:
// - Free text (log messages, state messages, results, artifact descriptions) is stored with each NUL character
//   replaced by U+2400 "␀" (SYMBOL FOR NUL): PostgreSQL text cannot hold NUL, and both backends must read back the
//   same record. JSON columns (parameters, details, artifact data, histories) keep NUL as the JSON escape \u0000.
// - Crashed is final for reports: once a run is Crashed (its process was taken for dead), later states reported for
//   it are stored in its history but do not change its current state or result, except a move the state table
//   allows out of Crashed (RetryFinishedRun: `skein flow-run retry`). See `crashedHolds`.
import type { RunEvent, SourceSite, StateChangedEvent } from "../protocol/run-events.ts";
import { STATE_NAMES, transitionRule, type State, type StateName } from "../protocol/states.ts";
import { stateColumns, type StateColumns } from "./rows.ts";

export type SqlValue = string | number | null;

/** A run's current state and result, in flow_runs and task_runs alike (see `stateColumns`). */
const RUN_STATE_COLUMNS = [
  "state_type",
  "state_name",
  "state_message",
  "state_timestamp",
  "state_details",
  "result",
] as const;

/** The columns of each inserted row, in the order the fold fills them. */
export const FLOW_RUN_COLUMNS = [
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
  ...RUN_STATE_COLUMNS,
] as const;
export const TASK_RUN_COLUMNS = [
  "id",
  "flow_run_id",
  "name",
  "task_name",
  "task_key",
  "dynamic_key",
  "upstream",
  "tags",
  "source",
  "created_at",
  ...RUN_STATE_COLUMNS,
  "history",
  "inputs",
  "inputs_not_stored",
] as const;
/** What reads of task runs select (a TaskRunRecord): not the history, nor the inputs, which can be large. */
export const TASK_RUN_RECORD_COLUMNS = TASK_RUN_COLUMNS.filter(
  (c) => c !== "history" && c !== "inputs" && c !== "inputs_not_stored",
).join(", ");
export const STATE_COLUMNS = ["id", "run_id", "type", "name", "message", "timestamp", "details"] as const;
export const LOG_COLUMNS = ["id", "flow_run_id", "task_run_id", "level", "logger", "message", "timestamp"] as const;
export const ARTIFACT_COLUMNS = [
  "id",
  "flow_run_id",
  "task_run_id",
  "key",
  "type",
  "description",
  "data",
  "created_at",
  "updated_at",
] as const;

/** A run stored by an earlier batch moves to its latest state of this batch. */
export interface StateUpdate {
  runId: string;
  /** The batch's first state of this run: whether it may leave a stored Crashed (`crashedHolds`). */
  entry: StateName;
  state: StateColumns;
  /** The latest result among the states, or null to keep the stored one. */
  result: string | null;
}

/** States of a task run stored by an earlier batch, appended to its history. */
export interface HistoryAppend extends StateUpdate {
  /** History entries (JSON objects) joined by commas, to go before the history's closing bracket. */
  entries: string;
  /** Text of the first entry's id: a history that already holds it has these states (a replayed batch). */
  marker: string;
}

/** A task run's recorded inputs (task-run-inputs event), for a row stored by an earlier batch. */
export interface InputsUpdate {
  runId: string;
  inputs: string | null;
  notStoredReason: string | null;
}

export interface ArtifactUpdate {
  artifactId: string;
  /** JSON text. */
  data: string;
  updatedAt: string;
}

export interface BatchWrites {
  /** Rows to insert, in batch order, in the columns above; a row whose id is stored already is skipped. */
  flowRuns: SqlValue[][];
  taskRuns: SqlValue[][];
  /** Flow runs' states (task runs keep theirs in `history`). */
  states: SqlValue[][];
  logs: SqlValue[][];
  artifacts: SqlValue[][];
  // Updates come after the inserts and are sorted by id: concurrent writers then lock rows in the same order.
  /** The newest data of each artifact updated in the batch (of equal timestamps, the later event). */
  artifactUpdates: ArtifactUpdate[];
  flowRunStates: StateUpdate[];
  taskRunStates: HistoryAppend[];
  taskRunInputs: InputsUpdate[];
  /**
   * The states folded into a created row of this batch, by run id: a dialect applies them as updates when that row
   * was stored already (a created event resent with newer states of its run), so they are not lost with the skipped
   * insert. Replays of states already stored change nothing (the updates' guards above).
   */
  foldedFlowRunStates: Map<string, BatchStates>;
  foldedTaskRunStates: Map<string, BatchStates>;
  foldedTaskRunInputs: Map<string, InputsUpdate>;
}

/** The state names a Crashed run may still move to: those the state table allows out of Crashed. */
export const MOVES_OUT_OF_CRASHED: readonly StateName[] = (Object.keys(STATE_NAMES) as StateName[]).filter(
  (name) => transitionRule("Crashed", name) !== undefined,
);

/**
 * SQL (the same in both dialects) that is true when a stored run may take a batch's states: it is not Crashed, or
 * the batch's first state for it is a move out of Crashed. `entry` names the column of that first state's name.
 */
export function crashedHolds(storedType: string, entry: string): string {
  return `(${storedType} <> 'CRASHED' OR ${entry} IN (${MOVES_OUT_OF_CRASHED.map((n) => `'${n}'`).join(", ")}))`;
}

/** Whether `next` becomes a run's current state after `current` (the rule above, within one batch). */
function moves(current: State, next: State): boolean {
  return current.type !== "CRASHED" || MOVES_OUT_OF_CRASHED.includes(next.name);
}

/** A run's states in one batch: all of them (its history), and the one that ends up current. */
export interface BatchStates {
  all: StateChangedEvent[];
  current: StateChangedEvent;
  /** The latest result among the states that became current. */
  result: string | null;
}

function addState(states: Map<string, BatchStates>, event: StateChangedEvent): void {
  const seen = states.get(event.runId);
  if (!seen) {
    states.set(event.runId, { all: [event], current: event, result: event.result ?? null });
    return;
  }
  seen.all.push(event);
  if (!moves(seen.current.state, event.state)) return;
  seen.current = event;
  if (event.result !== undefined) seen.result = event.result;
}

/** The state a created run ends the batch in: its created state, or a later one by the rule above. */
function currentAfter(created: State, later: BatchStates | undefined): { state: State; result: string | null } {
  if (!later) return { state: created, result: null };
  if (!moves(created, later.all[0].state)) return { state: created, result: null };
  return { state: later.current.state, result: later.result };
}

export function foldEvents(events: readonly RunEvent[]): BatchWrites {
  const batch = distinct(events).map(storableText);
  const flowStates = new Map<string, BatchStates>();
  const taskStates = new Map<string, BatchStates>();
  const taskInputs = new Map<string, InputsUpdate>();
  for (const event of batch) {
    if (event.kind === "state") addState(event.runKind === "flow" ? flowStates : taskStates, event);
    else if (event.kind === "task-run-inputs") {
      const { taskRunId: runId, inputs = null, notStoredReason = null } = event;
      taskInputs.set(runId, { runId, inputs, notStoredReason });
    }
  }
  const writes: BatchWrites = {
    flowRuns: [],
    taskRuns: [],
    states: [],
    logs: [],
    artifacts: [],
    artifactUpdates: [],
    flowRunStates: [],
    taskRunStates: [],
    taskRunInputs: [],
    foldedFlowRunStates: new Map(),
    foldedTaskRunStates: new Map(),
    foldedTaskRunInputs: new Map(),
  };
  const artifactUpdates = new Map<string, ArtifactUpdate>();
  for (const event of batch) {
    switch (event.kind) {
      case "flow-run-created": {
        const later = flowStates.get(event.flowRunId);
        const { state, result } = currentAfter(event.state, later);
        if (later) writes.foldedFlowRunStates.set(event.flowRunId, later);
        flowStates.delete(event.flowRunId);
        writes.flowRuns.push([
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
          ...stateColumns(state),
          result,
        ]);
        writes.states.push([event.id, event.flowRunId, ...stateColumns(event.state)]);
        break;
      }
      case "task-run-created": {
        const later = taskStates.get(event.taskRunId);
        if (later) writes.foldedTaskRunStates.set(event.taskRunId, later);
        taskStates.delete(event.taskRunId);
        const { state, result } = currentAfter(event.state, later);
        const history = [
          historyEntry(event.id, event.state),
          ...(later?.all ?? []).map((e) => historyEntry(e.id, e.state)),
        ];
        const inputs = taskInputs.get(event.taskRunId);
        if (inputs) writes.foldedTaskRunInputs.set(event.taskRunId, inputs);
        taskInputs.delete(event.taskRunId);
        writes.taskRuns.push([
          event.taskRunId,
          event.flowRunId,
          event.name,
          event.taskName,
          event.taskKey,
          event.dynamicKey,
          JSON.stringify(event.upstream),
          JSON.stringify(event.tags),
          sourceText(event.source),
          event.timestamp,
          ...stateColumns(state),
          result,
          `[${history.join(",")}]`,
          inputs?.inputs ?? null,
          inputs?.notStoredReason ?? null,
        ]);
        break;
      }
      case "state":
        if (event.runKind === "flow") writes.states.push([event.id, event.runId, ...stateColumns(event.state)]);
        break;
      case "log":
        writes.logs.push([
          event.id,
          event.flowRunId,
          event.taskRunId ?? null,
          event.level,
          event.logger,
          event.message,
          event.timestamp,
        ]);
        break;
      case "artifact":
        writes.artifacts.push([
          event.artifactId,
          event.flowRunId,
          event.taskRunId ?? null,
          event.key ?? null,
          event.type,
          event.description ?? null,
          JSON.stringify(event.data),
          event.timestamp,
          event.timestamp,
        ]);
        break;
      case "artifact-updated": {
        const previous = artifactUpdates.get(event.artifactId);
        if (!previous || previous.updatedAt <= event.timestamp) {
          artifactUpdates.set(event.artifactId, {
            artifactId: event.artifactId,
            data: JSON.stringify(event.data),
            updatedAt: event.timestamp,
          });
        }
        break;
      }
    }
  }
  writes.artifactUpdates = [...artifactUpdates.values()].sort((a, b) => compare(a.artifactId, b.artifactId));
  writes.flowRunStates = [...flowStates].map(([runId, states]) => stateUpdate(runId, states)).sort(byRunId);
  writes.taskRunStates = [...taskStates].map(([runId, states]) => historyAppend(runId, states)).sort(byRunId);
  writes.taskRunInputs = [...taskInputs.values()].sort(byRunId);
  return writes;
}

/**
 * The updates for runs whose created rows a dialect found stored already, merged into the batch's other updates
 * (sorted by id, as the header says). `storedAlready` holds the ids of the created rows the insert skipped.
 */
export function withFoldedStates(
  writes: BatchWrites,
  storedAlready: { flowRuns: Set<string>; taskRuns: Set<string> },
): {
  flowRunStates: StateUpdate[];
  taskRunStates: HistoryAppend[];
  taskRunInputs: InputsUpdate[];
} {
  // Built only here, for the rare resent row: the common batch pays nothing for it.
  const pick = <T>(folded: Map<string, T>, ids: Set<string>) => [...folded].filter(([runId]) => ids.has(runId));
  const flowRuns = pick(writes.foldedFlowRunStates, storedAlready.flowRuns).map(([id, states]) =>
    stateUpdate(id, states),
  );
  const taskRuns = pick(writes.foldedTaskRunStates, storedAlready.taskRuns).map(([id, states]) =>
    historyAppend(id, states),
  );
  const inputs = pick(writes.foldedTaskRunInputs, storedAlready.taskRuns).map(([, update]) => update);
  return {
    flowRunStates: flowRuns.length ? [...writes.flowRunStates, ...flowRuns].sort(byRunId) : writes.flowRunStates,
    taskRunStates: taskRuns.length ? [...writes.taskRunStates, ...taskRuns].sort(byRunId) : writes.taskRunStates,
    taskRunInputs: inputs.length ? [...writes.taskRunInputs, ...inputs].sort(byRunId) : writes.taskRunInputs,
  };
}

function stateUpdate(runId: string, states: BatchStates): StateUpdate {
  return { runId, entry: states.all[0].state.name, state: stateColumns(states.current.state), result: states.result };
}

function historyAppend(runId: string, states: BatchStates): HistoryAppend {
  return {
    ...stateUpdate(runId, states),
    entries: states.all.map((e) => historyEntry(e.id, e.state)).join(","),
    marker: historyMarker(states.all[0].id),
  };
}

const NUL = "\u0000";
const NUL_MARK = "\u2400";

function markNul(text: string): string;
function markNul(text: string | undefined): string | undefined;
function markNul(text: string | undefined): string | undefined {
  return text?.includes(NUL) ? text.replaceAll(NUL, NUL_MARK) : text;
}

/** The event with NUL marked in its free text (see the header); the same object when it has none. */
export function storableText(event: RunEvent): RunEvent {
  switch (event.kind) {
    case "log":
      return event.message.includes(NUL) ? { ...event, message: markNul(event.message) } : event;
    case "state": {
      if (!event.state.message?.includes(NUL) && !event.result?.includes(NUL)) return event;
      const marked = { ...event, state: { ...event.state, message: markNul(event.state.message) } };
      return event.result === undefined ? marked : { ...marked, result: markNul(event.result) };
    }
    case "flow-run-created":
    case "task-run-created":
      if (!event.state.message?.includes(NUL)) return event;
      return { ...event, state: { ...event.state, message: markNul(event.state.message) } };
    case "artifact":
      return event.description?.includes(NUL) ? { ...event, description: markNul(event.description) } : event;
    case "task-run-inputs":
      // The inputs are JSON (NUL escaped); the reason is free text.
      return event.notStoredReason?.includes(NUL)
        ? { ...event, notStoredReason: markNul(event.notStoredReason) }
        : event;
    default:
      return event;
  }
}

// A task's source site is one object per task definition, shared by all its runs: its JSON is made once.
const sourceTexts = new WeakMap<SourceSite, string>();

function sourceText(source: SourceSite | undefined): string | null {
  if (!source) return null;
  let text = sourceTexts.get(source);
  if (text === undefined) {
    text = JSON.stringify(source);
    sourceTexts.set(source, text);
  }
  return text;
}

/** The batch without repeats of an event id (the first stays), so a repeated event is stored once. */
function distinct(events: readonly RunEvent[]): readonly RunEvent[] {
  const seen = new Set<string>();
  let repeats = false;
  for (const event of events) {
    if (seen.has(event.id)) repeats = true;
    else seen.add(event.id);
  }
  if (!repeats) return events;
  seen.clear();
  return events.filter((event) => !seen.has(event.id) && seen.add(event.id));
}

/** Text JSON writes as it is (ids, state types and names, ISO times): no quotes, backslashes or controls. */
const PLAIN = /^[\w .:+-]*$/;

/** A history entry: JSON of {id, ...state}, written by hand in the common case (no message or details). */
export function historyEntry(id: string, state: State): string {
  if (
    state.message === undefined &&
    state.details === undefined &&
    PLAIN.test(id) &&
    PLAIN.test(state.type) &&
    PLAIN.test(state.name) &&
    PLAIN.test(state.timestamp)
  ) {
    return `{"id":"${id}","type":"${state.type}","name":"${state.name}","timestamp":"${state.timestamp}"}`;
  }
  return JSON.stringify({ id, ...state });
}

/** The text a history holds once it has the entry of this event id (as `historyEntry` writes it). */
export function historyMarker(id: string): string {
  return JSON.stringify({ id }).slice(1, -1);
}

function byRunId(a: { runId: string }, b: { runId: string }): number {
  return compare(a.runId, b.runId);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
