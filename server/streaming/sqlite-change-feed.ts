// Live events for runs that write to the SQLite file of SKEIN_HOME directly (no SKEIN_API_URL): the server
// reads what they add, a few times a second, and publishes it on the event stream as run events, so the editor
// sees those runs live too. Event ids are the ones the run process gave, so an event that also arrived through
// the API is streamed once (the hub skips ids it has published).
// Each poll first asks its own connection for `PRAGMA data_version`, which changes only when another connection
// committed to the file: an idle store costs that one pragma per poll, not a read of every table. When it moved,
// new flow runs, flow run states, logs and artifacts are found by rowid; task runs (a WITHOUT ROWID table whose
// states live in its `history` column) by polling the task runs of open flow runs whose state moved. Recorded task
// inputs are not streamed: they are read one task run at a time (`GET /api/task-runs/:id/inputs`).
// SQLite gives a new row the rowid after the largest one left, so when the newest rows are deleted (a run deleted
// by hand, scheduled runs a deployment change swept) the rows written next take their rowids, at or below the
// cursor. Each poll that reads a table first checks that the row at its cursor is still the one published there;
// when it is not, the cursor goes back to the newest row that still is, and what lies above is read again (the hub
// skips the ids it already published).
import { DatabaseSync, type StatementSync } from "node:sqlite";
import type { RunEvent } from "../../protocol/run-events.ts";
import { TERMINAL_STATE_TYPES, type State } from "../../protocol/states.ts";
import { toState, toTaskRun } from "../../store/rows.ts";
import { TASK_RUN_RECORD_COLUMNS } from "../../store/event-fold.ts";

type Row = Record<string, any>;
type HistoryEntry = State & { id: string };

const POLL_MS = 250;
/** Task runs are re-read from slightly before the newest state seen, in case a slower writer lands late. */
const TASK_WATERMARK_SLACK_MS = 2_000;

interface OpenRun {
  /** History entries already published, per task run. */
  published: Map<string, number>;
  watermark: string;
}

const TABLES = { flowRuns: "flow_runs", states: "states", logs: "logs", artifacts: "artifacts" } as const;
type Cursor = keyof typeof TABLES;

/** Rows remembered per table (rowid → id, the newest) to find where a deletion below the cursor began. */
const REMEMBERED_ROWS = 10_000;

export interface SqliteChangeFeedOptions {
  /** Called with each statement's SQL as it is run (tests count what a poll reads). */
  onQuery?: (sql: string) => void;
}

export class SqliteChangeFeed {
  private readonly db: DatabaseSync;
  private readonly cursors: Record<Cursor, number> = { flowRuns: 0, states: 0, logs: 0, artifacts: 0 };
  /** The ids of the newest rows read (or found at start), by rowid, oldest first. */
  private readonly remembered: Record<Cursor, Map<number, string>> = {
    flowRuns: new Map(),
    states: new Map(),
    logs: new Map(),
    artifacts: new Map(),
  };
  private readonly openRuns = new Map<string, OpenRun>();
  private readonly statements = new Map<string, StatementSync>();
  /** The file's data_version when last read: equal means no other connection committed since. */
  private dataVersion: number | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    file: string,
    private readonly publish: (events: RunEvent[]) => void,
    private readonly options: SqliteChangeFeedOptions = {},
  ) {
    this.db = new DatabaseSync(file, { readOnly: true, timeout: 5000 });
  }

  /** A statement prepared once per feed, run through the `onQuery` hook. */
  private query(sql: string): StatementSync {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    this.options.onQuery?.(sql);
    return statement;
  }

  /** Whether another connection committed since the last call (true the first time). */
  private changed(): boolean {
    const version = Number((this.query("PRAGMA data_version").get() as Row).data_version);
    if (version === this.dataVersion) return false;
    this.dataVersion = version;
    return true;
  }

  /** Starts from now: what is already stored is not replayed. */
  start(intervalMs = POLL_MS): void {
    // The version first: a commit between it and the reads below is seen by the next poll (reads skip what is known).
    this.changed();
    for (const [cursor, table] of Object.entries(TABLES) as [Cursor, string][]) {
      const newest = this.query(
        `SELECT rowid AS _rowid, id FROM ${table} ORDER BY rowid DESC LIMIT ${REMEMBERED_ROWS}`,
      ).all() as Row[];
      this.remember(cursor, newest.reverse());
    }
    const open = this.query(
      `SELECT id FROM flow_runs WHERE state_type NOT IN (${TERMINAL_STATE_TYPES.map(() => "?").join(",")})`,
    ).all(...TERMINAL_STATE_TYPES) as Row[];
    for (const { id } of open) {
      const published = new Map<string, number>();
      for (const task of this.query("SELECT id, history FROM task_runs WHERE flow_run_id = ?").all(id) as Row[]) {
        published.set(task.id, (JSON.parse(task.history) as unknown[]).length);
      }
      this.openRuns.set(id, { published, watermark: "" });
    }
    this.timer = setInterval(() => {
      try {
        this.poll();
      } catch (error) {
        process.stderr.write(`skein server: reading new runs from SQLite failed: ${(error as Error).message}\n`);
      }
    }, intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    if (this.db.isOpen) this.db.close();
  }

  /** Publishes what was stored since the last poll; returns how many events. */
  poll(): number {
    if (!this.changed()) return 0;
    const events: RunEvent[] = [];
    const creationStateIds = new Set<string>();
    const ended: string[] = [];
    for (const row of this.newRows("flowRuns")) {
      const first = this.query("SELECT * FROM states WHERE run_id = ? ORDER BY rowid LIMIT 1").get(row.id) as
        | Row
        | undefined;
      if (!first) continue;
      creationStateIds.add(first.id);
      events.push({
        kind: "flow-run-created",
        id: first.id,
        timestamp: row.created_at,
        flowRunId: row.id,
        name: row.name,
        flowName: row.flow_name,
        parameters: JSON.parse(row.parameters),
        tags: JSON.parse(row.tags),
        pid: Number(row.pid),
        state: stateOf(first),
        ...(row.parent_flow_run_id ? { parentFlowRunId: row.parent_flow_run_id } : {}),
        ...(row.parent_task_run_id ? { parentTaskRunId: row.parent_task_run_id } : {}),
        ...(row.entrypoint ? { entrypoint: row.entrypoint } : {}),
      });
      this.openRuns.set(row.id, { published: new Map(), watermark: "" });
    }
    for (const row of this.newRows("states")) {
      if (creationStateIds.has(row.id)) continue;
      const state = stateOf(row);
      events.push({
        kind: "state",
        id: row.id,
        timestamp: state.timestamp,
        flowRunId: row.run_id,
        runKind: "flow",
        runId: row.run_id,
        state,
      });
      if (TERMINAL_STATE_TYPES.includes(state.type)) ended.push(row.run_id);
    }
    for (const [flowRunId, open] of this.openRuns) events.push(...this.taskRunEvents(flowRunId, open));
    for (const row of this.newRows("logs")) {
      events.push({
        kind: "log",
        id: row.id,
        timestamp: row.timestamp,
        flowRunId: row.flow_run_id,
        level: row.level,
        logger: row.logger,
        message: row.message,
        ...(row.task_run_id ? { taskRunId: row.task_run_id } : {}),
      });
    }
    for (const row of this.newRows("artifacts")) {
      events.push({
        kind: "artifact",
        id: `artifact-${row.id}`,
        timestamp: row.created_at,
        flowRunId: row.flow_run_id,
        artifactId: row.id,
        type: row.type,
        data: JSON.parse(row.data),
        ...(row.task_run_id ? { taskRunId: row.task_run_id } : {}),
        ...(row.key ? { key: row.key } : {}),
        ...(row.description ? { description: row.description } : {}),
      });
    }
    for (const id of ended) this.openRuns.delete(id);
    if (events.length) this.publish(events);
    return events.length;
  }

  private newRows(cursor: Cursor): Row[] {
    this.rewindPastDeletions(cursor);
    const rows = this.query(`SELECT rowid AS _rowid, * FROM ${TABLES[cursor]} WHERE rowid > ? ORDER BY rowid`).all(
      this.cursors[cursor],
    ) as Row[];
    this.remember(cursor, rows);
    return rows;
  }

  /** Moves the cursor past `rows` (in rowid order) and remembers their ids. */
  private remember(cursor: Cursor, rows: Row[]): void {
    if (rows.length === 0) return;
    const remembered = this.remembered[cursor];
    for (const row of rows.length > REMEMBERED_ROWS ? rows.slice(-REMEMBERED_ROWS) : rows) {
      remembered.set(Number(row._rowid), row.id);
    }
    for (const rowid of remembered.keys()) {
      if (remembered.size <= REMEMBERED_ROWS) break;
      remembered.delete(rowid);
    }
    this.cursors[cursor] = Number(rows[rows.length - 1]._rowid);
  }

  /** When the row at the cursor is not the one read there (see the top of the file), goes back to one that is. */
  private rewindPastDeletions(cursor: Cursor): void {
    const at = this.cursors[cursor];
    const remembered = this.remembered[cursor];
    if (at === 0) return;
    const table = TABLES[cursor];
    const current = this.query(`SELECT id FROM ${table} WHERE rowid = ?`).get(at) as Row | undefined;
    if (current?.id === remembered.get(at)) return;
    const below = this.query(
      `SELECT rowid AS _rowid, id FROM ${table} WHERE rowid < ? ORDER BY rowid DESC LIMIT ${REMEMBERED_ROWS}`,
    ).all(at) as Row[];
    const kept = below.find((row) => remembered.get(Number(row._rowid)) === row.id);
    // Nothing remembered is left (the newest runs were all deleted): the rows that now hold the newest rowids may
    // all be new, so the newest REMEMBERED_ROWS of them are read again (all of them after `delete --older-than 0s`).
    const boundary = kept ? Number(kept._rowid) : this.rowidBelowNewest(table);
    for (const rowid of [...remembered.keys()]) if (rowid > boundary) remembered.delete(rowid);
    this.cursors[cursor] = boundary;
    if (cursor === "flowRuns") this.forgetDeletedOpenRuns();
  }

  /** The rowid just below the table's REMEMBERED_ROWS newest rows (0 when it has no more rows than that). */
  private rowidBelowNewest(table: string): number {
    const row = this.query(
      `SELECT rowid AS _rowid FROM ${table} ORDER BY rowid DESC LIMIT 1 OFFSET ${REMEMBERED_ROWS}`,
    ).get() as Row | undefined;
    return row ? Number(row._rowid) : 0;
  }

  /** A run deleted before it ended (`flow-run delete --force`) is no longer polled for its task runs. */
  private forgetDeletedOpenRuns(): void {
    for (const id of [...this.openRuns.keys()]) {
      if (!this.query("SELECT 1 AS found FROM flow_runs WHERE id = ?").get(id)) this.openRuns.delete(id);
    }
  }

  private taskRunEvents(flowRunId: string, open: OpenRun): RunEvent[] {
    const events: RunEvent[] = [];
    const since = open.watermark ? new Date(Date.parse(open.watermark) - TASK_WATERMARK_SLACK_MS).toISOString() : "";
    const rows = this.query(
      `SELECT ${TASK_RUN_RECORD_COLUMNS}, history FROM task_runs WHERE flow_run_id = ? AND state_timestamp >= ?`,
    ).all(flowRunId, since) as Row[];
    for (const row of rows) {
      const history = JSON.parse(row.history) as HistoryEntry[];
      const done = open.published.get(row.id) ?? 0;
      if (done >= history.length) continue;
      history.slice(done).forEach((entry, i) => {
        const { id, ...state } = entry;
        if (done + i === 0) {
          events.push({
            kind: "task-run-created",
            id,
            timestamp: state.timestamp,
            flowRunId,
            taskRunId: row.id,
            name: row.name,
            taskName: toTaskRun(row).taskName,
            taskKey: row.task_key,
            dynamicKey: Number(row.dynamic_key),
            upstream: JSON.parse(row.upstream),
            tags: JSON.parse(row.tags),
            ...(row.source ? { source: JSON.parse(row.source) } : {}),
            state,
          });
        } else {
          const isLast = done + i === history.length - 1;
          events.push({
            kind: "state",
            id,
            timestamp: state.timestamp,
            flowRunId,
            runKind: "task",
            runId: row.id,
            state,
            ...(isLast && row.result !== null ? { result: row.result } : {}),
          });
        }
      });
      open.published.set(row.id, history.length);
      if (row.state_timestamp > open.watermark) open.watermark = row.state_timestamp;
    }
    return events;
  }
}

function stateOf(row: Row): State {
  return toState(row.type, row.name, row.message, row.timestamp, row.details);
}
