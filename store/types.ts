// The store behind the engine and the server: its records and the Store interface (in parts), implemented by the
// embedded SQLite store, the PostgreSQL store and the HttpStore (through a server), so the engine never sees SQL.
import type { RunEvent, LogLevel, ArtifactType, SourceSite } from "../protocol/run-events.ts";
import type { State } from "../protocol/states.ts";
import type { CreateRefusal } from "../protocol/api/common.ts";

/** A flow as its runs describe it (a flow is known by having run). */
export interface FlowSummaryRecord {
  name: string;
  runCount: number;
  lastRunAt: string;
}

export interface FlowRunRecord {
  id: string;
  name: string;
  flowName: string;
  parameters: Record<string, unknown>;
  tags: string[];
  parentFlowRunId: string | null;
  parentTaskRunId: string | null;
  entrypoint: string | null;
  pid: number;
  /** The machine of the run process (see RunEvent `host`); null for runs recorded before hosts were. */
  host: string | null;
  heartbeatAt: string;
  createdAt: string;
  state: State;
  /** Serialized result (engine/results/serialize.ts) when persisted. */
  result: string | null;
  cancelRequestedAt: string | null;
  /** Runs of a deployment: which one, where they wait for a worker, and when they are due; null otherwise. */
  deploymentId: string | null;
  workPoolName: string | null;
  workQueueName: string | null;
  /** ISO time a deployment run is due (its schedule's fire time, or when it was asked for). */
  expectedStartTime: string | null;
  /** The worker that claimed the run (ClaimRun), while it starts and runs it. */
  workerName: string | null;
}

export interface TaskRunRecord {
  id: string;
  flowRunId: string;
  name: string;
  /** The task's name (the event's `taskName`). */
  taskName: string;
  taskKey: string;
  dynamicKey: number;
  upstream: string[];
  tags: string[];
  /** Where the task is defined (the event's `source`); null when unknown. */
  source: SourceSite | null;
  createdAt: string;
  state: State;
  result: string | null;
}

/** What a task run was called with (the task-run-inputs event), read one task run at a time. */
export interface TaskRunInputsRecord {
  taskRunId: string;
  /** The arguments by parameter name, serialized (engine/results/serialize.ts); null when not stored. */
  inputs: string | null;
  /** Why they were not stored; null when they were, or when the run recorded nothing (it never got that far). */
  notStoredReason: string | null;
}

export interface StateRecord extends State {
  id: string;
  runId: string;
}

export interface LogRecord {
  id: string;
  flowRunId: string;
  taskRunId: string | null;
  level: LogLevel;
  logger: string;
  message: string;
  timestamp: string;
}

export interface ArtifactRecord {
  id: string;
  flowRunId: string;
  taskRunId: string | null;
  key: string | null;
  type: ArtifactType;
  description: string | null;
  data: unknown;
  createdAt: string;
  updatedAt: string;
}

/** An artifact of a key with the name of the flow run that made it: one entry of the key's history across runs. */
export interface KeyedArtifactRecord extends ArtifactRecord {
  flowRunName: string;
}

export interface CacheEntry {
  key: string;
  /** Serialized result. */
  value: string;
  taskRunId: string;
  flowRunId: string;
  expiresAt: string | null;
}

export interface ConcurrencyLimitRecord {
  name: string;
  limit: number;
  /** Rate limits: slots taken by `rateLimit` free up at this pace instead of being released. */
  slotDecayPerSecond: number | null;
  activeSlots: number;
}

export interface LeaseRequest {
  names: string[];
  slots: number;
  holderPid: number;
  /** The holder's machine (default: the caller's); leases of a holder whose process is gone are freed. */
  holderHost?: string;
  /** Rate limits: the lease is never released; it expires when its slots have decayed. */
  decaying: boolean;
}

export type LeaseResult =
  | { acquired: true; leaseIds: string[] }
  /** A named limit does not exist: `concurrency()` with no limit defined does not wait. */
  | { acquired: false; missing: string[]; full: string[] };

export interface FlowRunQuery {
  flowName?: string;
  limit?: number;
  /** Only runs whose state type is one of these. */
  stateTypes?: string[];
  /** Only runs created before this ISO time (retention). */
  createdBefore?: string;
  /** Only runs of this deployment. */
  deploymentId?: string;
  /** Only runs waiting in, or claimed from, this work pool. */
  workPoolName?: string;
  /** Only the subflow runs of this flow run (the run explorer nests them under their parent). */
  parentFlowRunId?: string;
}

/** Where deployments' runs wait for workers (Prefect's work pool): created with a "default" queue. */
export interface WorkPoolRecord {
  name: string;
  /** The kind of worker that serves it, e.g. "process". */
  type: string;
  description: string | null;
  paused: boolean;
  /** Most runs of the pool running at once; null is no limit. */
  concurrencyLimit: number | null;
  /** Defaults of the job variables workers start runs with; deployments override them (`jobVariables`). */
  baseJobTemplate: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
}

export type WorkPoolInput = Pick<WorkPoolRecord, "name"> &
  Partial<Pick<WorkPoolRecord, "type" | "description" | "paused" | "concurrencyLimit" | "baseJobTemplate">>;
export type WorkPoolPatch = Partial<
  Pick<WorkPoolRecord, "description" | "paused" | "concurrencyLimit" | "baseJobTemplate">
>;

/** The name of the queue every work pool is created with; it cannot be deleted. */
export const DEFAULT_WORK_QUEUE = "default";

/** A queue of a work pool: workers take runs from the queue with the lowest priority number first. */
export interface WorkQueueRecord {
  workPoolName: string;
  name: string;
  description: string | null;
  priority: number;
  concurrencyLimit: number | null;
  paused: boolean;
  createdAt: string;
  updatedAt: string;
}

export type WorkQueueInput = Pick<WorkQueueRecord, "name"> &
  Partial<Pick<WorkQueueRecord, "description" | "priority" | "concurrencyLimit" | "paused">>;
export type WorkQueuePatch = Partial<Pick<WorkQueueRecord, "description" | "priority" | "concurrencyLimit" | "paused">>;

/** One schedule of a deployment: exactly one of cron, interval (seconds) or rrule. */
export interface DeploymentSchedule {
  cron?: string;
  interval?: number;
  rrule?: string;
  /** IANA time zone the schedule is read in; UTC when absent. */
  timezone?: string;
  /** ISO time an interval counts from (an rrule without DTSTART starts there); the deployment's creation when absent. */
  anchorDate?: string;
  /** Names the schedule within its deployment (unique there), e.g. for `skein deployment schedule pause`. */
  slug?: string;
  active: boolean;
  /** Overrides of the deployment's parameters for runs of this schedule. */
  parameters: Record<string, unknown>;
}

/** What a new run does when the deployment's concurrency limit is reached. */
export type CollisionStrategy = "ENQUEUE" | "CANCEL_NEW";

export interface DeploymentRecord {
  id: string;
  /** Unique per flow, as in Prefect ("flow/deployment"). */
  name: string;
  flowName: string;
  /** `path/to/file.ts:exportName` or `path/to/file.ts:Class.method`. */
  entrypoint: string;
  description: string | null;
  parameters: Record<string, unknown>;
  /** JSON Schema of the flow's parameters (from its TypeScript signature); null when unknown. */
  parameterSchema: Record<string, unknown> | null;
  enforceParameterSchema: boolean;
  schedules: DeploymentSchedule[];
  workPoolName: string | null;
  workQueueName: string | null;
  jobVariables: Record<string, unknown>;
  tags: string[];
  concurrencyLimit: number | null;
  collisionStrategy: CollisionStrategy;
  paused: boolean;
  createdAt: string;
  updatedAt: string;
}

export type DeploymentInput = Pick<DeploymentRecord, "name" | "flowName" | "entrypoint"> &
  Partial<Omit<DeploymentRecord, "id" | "name" | "flowName" | "entrypoint" | "createdAt" | "updatedAt">>;
export type DeploymentPatch = Partial<
  Pick<
    DeploymentRecord,
    | "description"
    | "parameters"
    | "parameterSchema"
    | "enforceParameterSchema"
    | "schedules"
    | "jobVariables"
    | "tags"
    | "concurrencyLimit"
    | "collisionStrategy"
    | "paused"
  >
>;

export interface DeploymentQuery {
  flowName?: string;
  workPoolName?: string;
}

/** Creating a named resource: the new record, or why not (the server answers 409 / 422 with `message`). */
export type CreateOutcome<T> = { created: T } | { refused: CreateRefusal; message: string };

// The Store in parts, by what callers use together, so a consumer names only the part it needs (and a test fake
// implements only that). Every backend implements the whole Store.

/** The run process's record of what happened: every run, state, log and artifact arrives as an event. */
export interface RunEventStore {
  /** Persists events; storing an event id that is already stored changes nothing. */
  appendEvents(events: readonly RunEvent[]): Promise<void>;
}

/** Runs as recorded: flow runs, their task runs, states, logs and artifacts. */
export interface RunReadStore {
  getFlowRun(id: string): Promise<FlowRunRecord | undefined>;
  listFlowRuns(query?: FlowRunQuery): Promise<FlowRunRecord[]>;
  /** Every flow that has run, with its number of runs and latest run, most recently run first. */
  listFlows(): Promise<FlowSummaryRecord[]>;
  listTaskRuns(flowRunId: string): Promise<TaskRunRecord[]>;
  /** A task run found by its id alone (ids are unique across flow runs). */
  getTaskRun(id: string): Promise<TaskRunRecord | undefined>;
  /** The recorded inputs of a task run; undefined when there is no such task run. */
  getTaskRunInputs(taskRunId: string): Promise<TaskRunInputsRecord | undefined>;
  listStates(runId: string): Promise<StateRecord[]>;
  listLogs(flowRunId: string): Promise<LogRecord[]>;
  listArtifacts(flowRunId: string): Promise<ArtifactRecord[]>;
  getArtifactByKey(key: string): Promise<ArtifactRecord | undefined>;
  /** The artifacts of a key across runs, newest first, at most `limit`. */
  listArtifactsByKey(key: string, limit: number): Promise<KeyedArtifactRecord[]>;
  getArtifact(id: string): Promise<ArtifactRecord | undefined>;
}

/** Forgetting runs (`skein flow-run delete`, retention): callers decide which runs may go (finished ones). */
export interface RunDeletionStore {
  /**
   * Deletes the flow run with its task runs, states, logs, artifacts and the result-cache entries its task runs
   * wrote (a later run computes them again). Subflow runs stay, no longer linked to it. False when there was none.
   */
  deleteFlowRun(id: string): Promise<boolean>;
}

/** Whether run processes live, and cancelling them: the run process heartbeats and polls for cancellation. */
export interface RunLivenessStore {
  /**
   * Liveness of run processes: refreshes the runs' heartbeat and, unless `claimPid` is false, claims them for
   * the calling process (its pid). The server relays heartbeats of processes that may live on other machines,
   * so it passes `claimPid: false` and the run keeps the pid its process reported.
   */
  heartbeat(flowRunIds: readonly string[], options?: { claimPid?: boolean }): Promise<void>;
  /** True when the run has not finished and its process is alive. */
  isFlowRunAlive(id: string): Promise<boolean>;
  /** Ends runs whose process died (SIGKILL, power loss) in state Crashed; returns their ids. */
  markDeadRunsCrashed(): Promise<string[]>;

  /** Cancellation from anywhere: the run process polls for requests on its own runs. */
  requestCancellation(flowRunId: string): Promise<void>;
  cancellationRequests(flowRunIds: readonly string[]): Promise<string[]>;
}

/** Task results kept under a cache key, for tasks with a cache policy. */
export interface ResultCacheStore {
  readCache(key: string): Promise<CacheEntry | undefined>;
  writeCache(entry: CacheEntry): Promise<void>;
}

export interface VariableStore {
  getVariable(name: string): Promise<unknown>;
  setVariable(name: string, value: unknown): Promise<void>;
  unsetVariable(name: string): Promise<boolean>;
  listVariables(): Promise<{ name: string; value: unknown }[]>;
}

/** Secrets as ciphertext: encryption and decryption happen in the engine (engine/secrets.ts). */
export interface SecretStore {
  getSecret(name: string): Promise<string | undefined>;
  setSecret(name: string, ciphertext: string): Promise<void>;
  unsetSecret(name: string): Promise<boolean>;
  listSecretNames(): Promise<string[]>;
}

/** Global concurrency limits and the leases that hold their slots. */
export interface ConcurrencyLimitStore {
  upsertConcurrencyLimit(name: string, limit: number, slotDecayPerSecond?: number | null): Promise<void>;
  deleteConcurrencyLimit(name: string): Promise<boolean>;
  listConcurrencyLimits(): Promise<ConcurrencyLimitRecord[]>;
  /** Takes `slots` on every named limit at once, or nothing. Leases of dead holders are freed first. */
  tryAcquireLeases(request: LeaseRequest): Promise<LeaseResult>;
  releaseLeases(leaseIds: readonly string[]): Promise<void>;
}

/** Work pools and their queues. */
export interface WorkPoolStore {
  /** Creates the pool with its "default" queue; refused when the name is taken. */
  createWorkPool(input: WorkPoolInput): Promise<CreateOutcome<WorkPoolRecord>>;
  getWorkPool(name: string): Promise<WorkPoolRecord | undefined>;
  /** By name. */
  listWorkPools(): Promise<WorkPoolRecord[]>;
  /** Changes the fields present in `patch` (null clears a limit); undefined when there is no such pool. */
  updateWorkPool(name: string, patch: WorkPoolPatch): Promise<WorkPoolRecord | undefined>;
  /** Deletes the pool and its queues (the server first refuses when deployments use it). */
  deleteWorkPool(name: string): Promise<boolean>;

  /** Refused when the pool does not exist or has a queue of that name. Priority defaults to after the last. */
  createWorkQueue(workPoolName: string, input: WorkQueueInput): Promise<CreateOutcome<WorkQueueRecord>>;
  getWorkQueue(workPoolName: string, name: string): Promise<WorkQueueRecord | undefined>;
  /** By priority, then name. */
  listWorkQueues(workPoolName: string): Promise<WorkQueueRecord[]>;
  updateWorkQueue(workPoolName: string, name: string, patch: WorkQueuePatch): Promise<WorkQueueRecord | undefined>;
  deleteWorkQueue(workPoolName: string, name: string): Promise<boolean>;
}

export interface DeploymentStore {
  /**
   * Refused when the flow already has a deployment of that name, or its work pool or queue does not exist.
   * A deployment with a pool and no queue goes to the pool's default queue.
   */
  createDeployment(input: DeploymentInput): Promise<CreateOutcome<DeploymentRecord>>;
  getDeployment(id: string): Promise<DeploymentRecord | undefined>;
  getDeploymentByName(flowName: string, name: string): Promise<DeploymentRecord | undefined>;
  /** By flow name, then name. */
  listDeployments(query?: DeploymentQuery): Promise<DeploymentRecord[]>;
  /**
   * Changes the fields present in `patch`. In the same transaction, the runs the scheduler made that no longer
   * belong (store/schedule-runs.ts: the deployment paused, its parameters or tags changed, their schedule paused,
   * changed or gone) and that no worker has claimed are deleted.
   */
  updateDeployment(id: string, patch: DeploymentPatch): Promise<DeploymentChange | undefined>;
  /**
   * Pauses (`active: false`) or resumes one schedule, named by its slug or, without one, its 1-based number
   * (protocol/schedules.ts findSchedule); a pause deletes the runs the scheduler made from it that no worker has
   * claimed. Undefined when there is no such deployment.
   */
  setScheduleActive(deploymentId: string, schedule: string, active: boolean): Promise<ScheduleActivation | undefined>;
  /** Deletes the deployment and the runs its scheduler made that no worker has claimed. */
  deleteDeployment(id: string): Promise<DeploymentRemoval>;
}

/**
 * A deployment as a change left it, and the runs its scheduler had made that the change deleted (no worker had
 * claimed them): their ids, so the server can tell the views showing them.
 */
export interface DeploymentChange {
  deployment: DeploymentRecord;
  deletedRunIds: string[];
}

/** Whether a deployment was there to delete, and the scheduler-made runs deleted with it. */
export interface DeploymentRemoval {
  deleted: boolean;
  deletedRunIds: string[];
}

/** Pausing or resuming one schedule: the deployment after it, or why the name given names no schedule. */
export type ScheduleActivation =
  | (DeploymentChange & {
      /** Which schedule changed (0-based). */
      index: number;
    })
  | { problem: string };

/** The schedule a scheduler's run is made from (store/schedule-runs.ts): its key, and what its runs are made of. */
export interface RunSchedule {
  key: string;
  fingerprint: string;
}

/** A deployment's run as the server creates it, before any process exists (ScheduleRun). */
export interface NewDeploymentRun {
  id: string;
  name: string;
  deployment: DeploymentRecord;
  /** The deployment's parameters merged with the schedule's or the request's. */
  parameters: Record<string, unknown>;
  tags: string[];
  expectedStartTime: string;
  /** At most one run per key (the scheduler's: deployment, schedule key and fire time); null: no key. */
  idempotencyKey: string | null;
  /**
   * The schedule the scheduler made it from; null for a run asked for by hand. Such a run is stored only while that
   * schedule is still active and unchanged (else ScheduleChangedError), and goes when it is paused or changed.
   */
  schedule: RunSchedule | null;
  /** Scheduled (ScheduleRun). */
  state: State;
}

/** A worker asking its pool for due runs: the ask is also its heartbeat (its last poll). */
export interface ClaimRequest {
  workPoolName: string;
  workerName: string;
  pid: number;
  host: string;
  /** Most runs to claim now (the worker's free slots); 0 only records the poll. */
  limit: number;
  /**
   * One id per claim, which the worker keeps until it hears the answer: a claim asked again with the id of one that
   * took runs (its answer was lost after the store committed) gets those runs, still Pending for this worker, and
   * takes no others. Without an id every claim is new.
   */
  claimId?: string;
}

export interface ClaimResult {
  /** Runs moved to Pending for this worker (ClaimRun), each given to exactly one worker. */
  claimed: FlowRunRecord[];
  /** The state changes the claim stored (Pending, AwaitingConcurrencySlot, Cancelled), for live streams. */
  events: RunEvent[];
}

/** A worker of a pool as its polls left it. */
export interface WorkerRecord {
  workPoolName: string;
  name: string;
  pid: number;
  host: string;
  lastPollAt: string;
}

/** Deployment runs, from their creation by the server to a worker claiming them. */
export interface DeploymentRunStore {
  /** Creates the run Scheduled; with an idempotency key already used, returns that run and `created: false`. */
  createDeploymentRun(input: NewDeploymentRun): Promise<{ run: FlowRunRecord; created: boolean }>;
  /**
   * Records the worker's poll, then claims up to `limit` due runs of the pool (Scheduled, Late or
   * AwaitingConcurrencySlot, expected start time passed) exactly once, in queue priority order then due time,
   * skipping paused queues and deployments and respecting pool, queue and deployment concurrency limits. A
   * paused pool claims nothing. A repeated `claimId` answers with what that claim took (ClaimRequest.claimId).
   */
  claimFlowRuns(request: ClaimRequest): Promise<ClaimResult>;
  /** Workers by pool and name; only those of one pool when given. */
  listWorkers(workPoolName?: string): Promise<WorkerRecord[]>;
}

/** Which of the servers sharing a database runs the scheduler. */
export interface SchedulerLeadershipStore {
  /**
   * True while this process is the scheduler's leader: takes the leadership when free (PostgreSQL: an advisory
   * lock held on a connection of its own, released when the process or connection dies) or keeps it. A SQLite file
   * has one server, always the leader; an HttpStore never is (schedulers run in servers).
   */
  holdSchedulerLeadership(): Promise<boolean>;
}

/** Every part, behind one connection. */
export interface Store
  extends RunEventStore,
    RunReadStore,
    RunDeletionStore,
    RunLivenessStore,
    ResultCacheStore,
    VariableStore,
    SecretStore,
    ConcurrencyLimitStore,
    WorkPoolStore,
    DeploymentStore,
    DeploymentRunStore,
    SchedulerLeadershipStore {
  /** Where the data lives (a file path or URL), for messages. */
  readonly location: string;

  close(): Promise<void>;
}
