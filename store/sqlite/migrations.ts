// Versioned schema of the embedded SQLite store. Append a migration; never edit a shipped one.
export const MIGRATIONS: readonly string[] = [
  // 1: runs, their state history (flow runs: states table; task runs: inline), logs, artifacts, results cache
  `
  CREATE TABLE flow_runs (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    flow_name TEXT NOT NULL,
    parameters TEXT NOT NULL,
    tags TEXT NOT NULL,
    parent_flow_run_id TEXT,
    parent_task_run_id TEXT,
    entrypoint TEXT,
    pid INTEGER NOT NULL,
    heartbeat_at TEXT NOT NULL,
    created_at TEXT NOT NULL,
    state_type TEXT NOT NULL,
    state_name TEXT NOT NULL,
    state_message TEXT,
    state_timestamp TEXT NOT NULL,
    state_details TEXT,
    result TEXT,
    cancel_requested_at TEXT
  );
  CREATE INDEX flow_runs_by_flow ON flow_runs (flow_name, created_at);
  CREATE INDEX flow_runs_by_created ON flow_runs (created_at);
  CREATE INDEX flow_runs_by_state ON flow_runs (state_type);
  CREATE TABLE task_runs (
    id TEXT PRIMARY KEY,
    flow_run_id TEXT NOT NULL,
    name TEXT NOT NULL,
    task_key TEXT NOT NULL,
    dynamic_key INTEGER NOT NULL,
    upstream TEXT NOT NULL,
    tags TEXT NOT NULL,
    created_at TEXT NOT NULL,
    state_type TEXT NOT NULL,
    state_name TEXT NOT NULL,
    state_message TEXT,
    state_timestamp TEXT NOT NULL,
    state_details TEXT,
    result TEXT,
    -- The task run's state history as a JSON array of {id, type, name, message?, timestamp, details?}: one row
    -- per task run instead of one per state keeps a persisted task run to a single insert.
    history TEXT NOT NULL
  ) WITHOUT ROWID;
  CREATE INDEX task_runs_by_flow_run ON task_runs (flow_run_id);
  CREATE TABLE states (
    id TEXT PRIMARY KEY,
    run_id TEXT NOT NULL,
    type TEXT NOT NULL,
    name TEXT NOT NULL,
    message TEXT,
    timestamp TEXT NOT NULL,
    details TEXT
  );
  CREATE INDEX states_by_run ON states (run_id);
  CREATE TABLE logs (
    id TEXT PRIMARY KEY,
    flow_run_id TEXT NOT NULL,
    task_run_id TEXT,
    level TEXT NOT NULL,
    logger TEXT NOT NULL,
    message TEXT NOT NULL,
    timestamp TEXT NOT NULL
  );
  CREATE INDEX logs_by_flow_run ON logs (flow_run_id);
  CREATE TABLE artifacts (
    id TEXT PRIMARY KEY,
    flow_run_id TEXT NOT NULL,
    task_run_id TEXT,
    key TEXT,
    type TEXT NOT NULL,
    description TEXT,
    data TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE INDEX artifacts_by_flow_run ON artifacts (flow_run_id);
  CREATE INDEX artifacts_by_key ON artifacts (key, created_at);
  CREATE TABLE cache (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    task_run_id TEXT NOT NULL,
    flow_run_id TEXT NOT NULL,
    expires_at TEXT
  );
  `,
  // 2: variables, secrets, concurrency limits and their leases
  `
  CREATE TABLE variables (name TEXT PRIMARY KEY, value TEXT NOT NULL, updated_at TEXT NOT NULL);
  CREATE TABLE secrets (name TEXT PRIMARY KEY, ciphertext TEXT NOT NULL, updated_at TEXT NOT NULL);
  CREATE TABLE concurrency_limits (
    name TEXT PRIMARY KEY,
    slot_limit INTEGER NOT NULL,
    slot_decay_per_second REAL
  );
  CREATE TABLE concurrency_leases (
    id TEXT PRIMARY KEY,
    limit_name TEXT NOT NULL,
    slots INTEGER NOT NULL,
    holder_pid INTEGER NOT NULL,
    created_at_ms INTEGER NOT NULL,
    expires_at_ms INTEGER
  );
  CREATE INDEX leases_by_limit ON concurrency_leases (limit_name);
  `,
  // 3: work pools with their queues, and deployments (booleans are integers 0/1, JSON is text, as elsewhere)
  `  CREATE TABLE work_pools (
    name TEXT PRIMARY KEY,
    type TEXT NOT NULL,
    description TEXT,
    paused INTEGER NOT NULL,
    concurrency_limit INTEGER,
    base_job_template TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE TABLE work_queues (
    work_pool_name TEXT NOT NULL,
    name TEXT NOT NULL,
    description TEXT,
    priority INTEGER NOT NULL,
    concurrency_limit INTEGER,
    paused INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (work_pool_name, name)
  );
  CREATE TABLE deployments (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    flow_name TEXT NOT NULL,
    entrypoint TEXT NOT NULL,
    description TEXT,
    parameters TEXT NOT NULL,
    parameter_schema TEXT,
    enforce_parameter_schema INTEGER NOT NULL,
    schedules TEXT NOT NULL,
    work_pool_name TEXT,
    work_queue_name TEXT,
    job_variables TEXT NOT NULL,
    tags TEXT NOT NULL,
    concurrency_limit INTEGER,
    collision_strategy TEXT NOT NULL,
    paused INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (flow_name, name)
  );
  CREATE INDEX deployments_by_work_pool ON deployments (work_pool_name);
  `,
  // The machine of a run's process: a sweep checks the pid of runs on its own machine, and trusts heartbeats only
  // for runs elsewhere (which report through a server).
  `ALTER TABLE flow_runs ADD COLUMN host TEXT;`,
  // The machine of a lease's holder process, so any store frees the slots of a dead holder by the liveness rule.
  `ALTER TABLE concurrency_leases ADD COLUMN holder_host TEXT;`,
  // Where each task run's task is defined (JSON of protocol/run-events.ts SourceSite), so readers never parse keys.
  `ALTER TABLE task_runs ADD COLUMN source TEXT;`,
  // What each task run was called with (serialized by parameter name), or why that was not stored: read one task
  // run at a time (reruns, debugging), never in lists.
  `ALTER TABLE task_runs ADD COLUMN inputs TEXT;
  ALTER TABLE task_runs ADD COLUMN inputs_not_stored TEXT;`,
  // Deployment runs: created by the server before any process (ScheduleRun), claimed by a worker of their pool
  // (ClaimRun) exactly once; at most one run per idempotency key (the scheduler's deployment + fire time).
  // Workers: the last poll of each worker of each pool ("no worker polled pool X since T").
  `
  ALTER TABLE flow_runs ADD COLUMN deployment_id TEXT;
  ALTER TABLE flow_runs ADD COLUMN work_pool_name TEXT;
  ALTER TABLE flow_runs ADD COLUMN work_queue_name TEXT;
  ALTER TABLE flow_runs ADD COLUMN expected_start_time TEXT;
  ALTER TABLE flow_runs ADD COLUMN idempotency_key TEXT;
  ALTER TABLE flow_runs ADD COLUMN worker_name TEXT;
  CREATE UNIQUE INDEX flow_runs_by_idempotency_key ON flow_runs (idempotency_key);
  CREATE INDEX flow_runs_to_claim ON flow_runs (work_pool_name, state_type, expected_start_time);
  CREATE INDEX flow_runs_by_deployment ON flow_runs (deployment_id, state_type);
  CREATE TABLE workers (
    work_pool_name TEXT NOT NULL,
    name TEXT NOT NULL,
    pid INTEGER NOT NULL,
    host TEXT NOT NULL,
    last_poll_at TEXT NOT NULL,
    PRIMARY KEY (work_pool_name, name)
  );
  `,
  // Which schedule the scheduler made each run from (store/schedule-runs.ts: `slug:SLUG`, or `index:N` for a
  // schedule without a slug; null for runs asked for by hand), so pausing or changing one schedule deletes only its
  // runs no worker has claimed. Runs the scheduler made before know no schedule (their idempotency key was
  // `scheduled:DEPLOYMENT:TIME`): those no worker has claimed are deleted, as a pause would, and the scheduler makes
  // the upcoming ones again on its next tick under the new keys (else each would be made twice). Runs asked for by
  // hand, and runs already claimed, stay.
  `
  ALTER TABLE flow_runs ADD COLUMN schedule_key TEXT;
  DELETE FROM states WHERE run_id IN (SELECT id FROM flow_runs
    WHERE idempotency_key = 'scheduled:' || deployment_id || ':' || expected_start_time AND pid = 0
      AND state_type = 'SCHEDULED' AND state_name IN ('Scheduled', 'Late', 'AwaitingConcurrencySlot'));
  DELETE FROM flow_runs
    WHERE idempotency_key = 'scheduled:' || deployment_id || ':' || expected_start_time AND pid = 0
      AND state_type = 'SCHEDULED' AND state_name IN ('Scheduled', 'Late', 'AwaitingConcurrencySlot');
  `,
  // The claim that took each run (a worker's claim id, store/deployment-runs.ts), so a claim asked again after its
  // answer was lost answers with the runs it took instead of taking others. Null for runs claimed before.
  `ALTER TABLE flow_runs ADD COLUMN claim_id TEXT;`,
  // The task's name of each task run (the task-run-created event's taskName), so readers never parse task keys; rows
  // stored before it read the name from the key (store/rows.ts toTaskRun).
  `ALTER TABLE task_runs ADD COLUMN task_name TEXT;`,
  // A flow run's subflow runs (the API's parentFlowRunId filter: run views, the explorer's nesting), newest first.
  `CREATE INDEX flow_runs_by_parent ON flow_runs (parent_flow_run_id, created_at);`,
];
