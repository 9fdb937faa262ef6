// Versioned schema of the PostgreSQL store: the same versions, tables and columns as the SQLite store
// (store/sqlite/migrations.ts; test/integration/server/schema-parity.test.ts holds them equal). The one
// addition is `seq` on tables read in insertion order, PostgreSQL's stand-in for SQLite's implicit rowid.
// Append a migration when SQLite gets one; never edit a shipped one.
export const PG_MIGRATIONS: readonly string[] = [
  // 1: runs, their state history (flow runs: states table; task runs: inline), logs, artifacts, results cache
  `
  CREATE TABLE flow_runs (
    seq bigint GENERATED ALWAYS AS IDENTITY,
    id text PRIMARY KEY,
    name text NOT NULL,
    flow_name text NOT NULL,
    parameters text NOT NULL,
    tags text NOT NULL,
    parent_flow_run_id text,
    parent_task_run_id text,
    entrypoint text,
    pid integer NOT NULL,
    heartbeat_at text NOT NULL,
    created_at text NOT NULL,
    state_type text NOT NULL,
    state_name text NOT NULL,
    state_message text,
    state_timestamp text NOT NULL,
    state_details text,
    result text,
    cancel_requested_at text
  );
  CREATE INDEX flow_runs_by_flow ON flow_runs (flow_name, created_at);
  CREATE INDEX flow_runs_by_created ON flow_runs (created_at);
  CREATE INDEX flow_runs_by_state ON flow_runs (state_type);
  CREATE TABLE task_runs (
    seq bigint GENERATED ALWAYS AS IDENTITY,
    id text PRIMARY KEY,
    flow_run_id text NOT NULL,
    name text NOT NULL,
    task_key text NOT NULL,
    dynamic_key integer NOT NULL,
    upstream text NOT NULL,
    tags text NOT NULL,
    created_at text NOT NULL,
    state_type text NOT NULL,
    state_name text NOT NULL,
    state_message text,
    state_timestamp text NOT NULL,
    state_details text,
    result text,
    -- The task run's state history as a JSON array of {id, type, name, message?, timestamp, details?}, as in SQLite.
    history text NOT NULL
  );
  CREATE INDEX task_runs_by_flow_run ON task_runs (flow_run_id, seq);
  CREATE TABLE states (
    seq bigint GENERATED ALWAYS AS IDENTITY,
    id text PRIMARY KEY,
    run_id text NOT NULL,
    type text NOT NULL,
    name text NOT NULL,
    message text,
    timestamp text NOT NULL,
    details text
  );
  CREATE INDEX states_by_run ON states (run_id, seq);
  CREATE TABLE logs (
    seq bigint GENERATED ALWAYS AS IDENTITY,
    id text PRIMARY KEY,
    flow_run_id text NOT NULL,
    task_run_id text,
    level text NOT NULL,
    logger text NOT NULL,
    message text NOT NULL,
    timestamp text NOT NULL
  );
  CREATE INDEX logs_by_flow_run ON logs (flow_run_id, seq);
  CREATE TABLE artifacts (
    seq bigint GENERATED ALWAYS AS IDENTITY,
    id text PRIMARY KEY,
    flow_run_id text NOT NULL,
    task_run_id text,
    key text,
    type text NOT NULL,
    description text,
    data text NOT NULL,
    created_at text NOT NULL,
    updated_at text NOT NULL
  );
  CREATE INDEX artifacts_by_flow_run ON artifacts (flow_run_id, seq);
  CREATE INDEX artifacts_by_key ON artifacts (key, created_at);
  CREATE TABLE cache (
    key text PRIMARY KEY,
    value text NOT NULL,
    task_run_id text NOT NULL,
    flow_run_id text NOT NULL,
    expires_at text
  );
  `,
  // 2: variables, secrets, concurrency limits and their leases
  `
  CREATE TABLE variables (name text PRIMARY KEY, value text NOT NULL, updated_at text NOT NULL);
  CREATE TABLE secrets (name text PRIMARY KEY, ciphertext text NOT NULL, updated_at text NOT NULL);
  CREATE TABLE concurrency_limits (
    name text PRIMARY KEY,
    slot_limit integer NOT NULL,
    slot_decay_per_second double precision
  );
  CREATE TABLE concurrency_leases (
    id text PRIMARY KEY,
    limit_name text NOT NULL,
    slots integer NOT NULL,
    holder_pid integer NOT NULL,
    created_at_ms bigint NOT NULL,
    expires_at_ms bigint
  );
  CREATE INDEX leases_by_limit ON concurrency_leases (limit_name);
  `,
  // 3: work pools with their queues, and deployments (booleans are integers 0/1, JSON is text, as elsewhere)
  `  CREATE TABLE work_pools (
    name text PRIMARY KEY,
    type text NOT NULL,
    description text,
    paused integer NOT NULL,
    concurrency_limit integer,
    base_job_template text NOT NULL,
    created_at text NOT NULL,
    updated_at text NOT NULL
  );
  CREATE TABLE work_queues (
    work_pool_name text NOT NULL,
    name text NOT NULL,
    description text,
    priority integer NOT NULL,
    concurrency_limit integer,
    paused integer NOT NULL,
    created_at text NOT NULL,
    updated_at text NOT NULL,
    PRIMARY KEY (work_pool_name, name)
  );
  CREATE TABLE deployments (
    id text PRIMARY KEY,
    name text NOT NULL,
    flow_name text NOT NULL,
    entrypoint text NOT NULL,
    description text,
    parameters text NOT NULL,
    parameter_schema text,
    enforce_parameter_schema integer NOT NULL,
    schedules text NOT NULL,
    work_pool_name text,
    work_queue_name text,
    job_variables text NOT NULL,
    tags text NOT NULL,
    concurrency_limit integer,
    collision_strategy text NOT NULL,
    paused integer NOT NULL,
    created_at text NOT NULL,
    updated_at text NOT NULL,
    UNIQUE (flow_name, name)
  );
  CREATE INDEX deployments_by_work_pool ON deployments (work_pool_name);
  `,
  // The machine of a run's process: a sweep checks the pid of runs on its own machine, and trusts heartbeats only
  // for runs elsewhere (which report through a server).
  `ALTER TABLE flow_runs ADD COLUMN host text;`,
  // The machine of a lease's holder process, so any server frees the slots of a dead holder by the liveness rule,
  // whether or not it saw the lease taken (a restart forgets nothing).
  `ALTER TABLE concurrency_leases ADD COLUMN holder_host text;`,
  // Where each task run's task is defined (JSON of protocol/run-events.ts SourceSite), so readers never parse keys.
  `ALTER TABLE task_runs ADD COLUMN source text;`,
  // What each task run was called with (serialized by parameter name), or why that was not stored: read one task
  // run at a time (reruns, debugging), never in lists.
  `ALTER TABLE task_runs ADD COLUMN inputs text;
  ALTER TABLE task_runs ADD COLUMN inputs_not_stored text;`,
  // Deployment runs: created by the server before any process (ScheduleRun), claimed by a worker of their pool
  // (ClaimRun) exactly once; at most one run per idempotency key (the scheduler's deployment + fire time).
  // Workers: the last poll of each worker of each pool ("no worker polled pool X since T").
  `
  ALTER TABLE flow_runs ADD COLUMN deployment_id text;
  ALTER TABLE flow_runs ADD COLUMN work_pool_name text;
  ALTER TABLE flow_runs ADD COLUMN work_queue_name text;
  ALTER TABLE flow_runs ADD COLUMN expected_start_time text;
  ALTER TABLE flow_runs ADD COLUMN idempotency_key text;
  ALTER TABLE flow_runs ADD COLUMN worker_name text;
  CREATE UNIQUE INDEX flow_runs_by_idempotency_key ON flow_runs (idempotency_key);
  CREATE INDEX flow_runs_to_claim ON flow_runs (work_pool_name, state_type, expected_start_time);
  CREATE INDEX flow_runs_by_deployment ON flow_runs (deployment_id, state_type);
  CREATE TABLE workers (
    work_pool_name text NOT NULL,
    name text NOT NULL,
    pid integer NOT NULL,
    host text NOT NULL,
    last_poll_at text NOT NULL,
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
  ALTER TABLE flow_runs ADD COLUMN schedule_key text;
  DELETE FROM states WHERE run_id IN (SELECT id FROM flow_runs
    WHERE idempotency_key = 'scheduled:' || deployment_id || ':' || expected_start_time AND pid = 0
      AND state_type = 'SCHEDULED' AND state_name IN ('Scheduled', 'Late', 'AwaitingConcurrencySlot'));
  DELETE FROM flow_runs
    WHERE idempotency_key = 'scheduled:' || deployment_id || ':' || expected_start_time AND pid = 0
      AND state_type = 'SCHEDULED' AND state_name IN ('Scheduled', 'Late', 'AwaitingConcurrencySlot');
  `,
  // The claim that took each run (a worker's claim id, store/deployment-runs.ts), so a claim asked again after its
  // answer was lost answers with the runs it took instead of taking others. Null for runs claimed before.
  `ALTER TABLE flow_runs ADD COLUMN claim_id text;`,
  // The task's name of each task run (the task-run-created event's taskName), so readers never parse task keys; rows
  // stored before it read the name from the key (store/rows.ts toTaskRun).
  `ALTER TABLE task_runs ADD COLUMN task_name text;`,
  // A flow run's subflow runs (the API's parentFlowRunId filter: run views, the explorer's nesting), newest first.
  `CREATE INDEX flow_runs_by_parent ON flow_runs (parent_flow_run_id, created_at);`,
];
