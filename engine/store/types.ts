// The store behind the engine. The embedded SQLite store implements it today; an API client and a PostgreSQL
// backend implement the same interface later, so the engine never sees SQL.
import type { RunEvent, LogLevel, ArtifactType } from "../../protocol/run-events.ts";
import type { State } from "../../protocol/states.ts";

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
  heartbeatAt: string;
  createdAt: string;
  state: State;
  /** Serialized result (engine/results/serialize.ts) when persisted. */
  result: string | null;
  cancelRequestedAt: string | null;
}

export interface TaskRunRecord {
  id: string;
  flowRunId: string;
  name: string;
  taskKey: string;
  dynamicKey: number;
  upstream: string[];
  tags: string[];
  createdAt: string;
  state: State;
  result: string | null;
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
}

export interface Store {
  /** Where the data lives (a file path or URL), for messages. */
  readonly location: string;

  /** Persists events; storing an event id that is already stored changes nothing. */
  appendEvents(events: readonly RunEvent[]): Promise<void>;

  getFlowRun(id: string): Promise<FlowRunRecord | undefined>;
  listFlowRuns(query?: FlowRunQuery): Promise<FlowRunRecord[]>;
  listTaskRuns(flowRunId: string): Promise<TaskRunRecord[]>;
  listStates(runId: string): Promise<StateRecord[]>;
  listLogs(flowRunId: string): Promise<LogRecord[]>;
  listArtifacts(flowRunId: string): Promise<ArtifactRecord[]>;
  getArtifactByKey(key: string): Promise<ArtifactRecord | undefined>;

  /** Liveness of run processes: the calling process claims the runs (its pid) and refreshes their heartbeat. */
  heartbeat(flowRunIds: readonly string[]): Promise<void>;
  /** True when the run has not finished and its process is alive. */
  isFlowRunAlive(id: string): Promise<boolean>;
  /** Ends runs whose process died (SIGKILL, power loss) in state Crashed; returns their ids. */
  markDeadRunsCrashed(): Promise<string[]>;

  /** Cancellation from anywhere: the run process polls for requests on its own runs. */
  requestCancellation(flowRunId: string): Promise<void>;
  cancellationRequests(flowRunIds: readonly string[]): Promise<string[]>;

  readCache(key: string): Promise<CacheEntry | undefined>;
  writeCache(entry: CacheEntry): Promise<void>;

  getVariable(name: string): Promise<unknown>;
  setVariable(name: string, value: unknown): Promise<void>;
  unsetVariable(name: string): Promise<boolean>;
  listVariables(): Promise<{ name: string; value: unknown }[]>;

  getSecret(name: string): Promise<string | undefined>;
  setSecret(name: string, ciphertext: string): Promise<void>;
  unsetSecret(name: string): Promise<boolean>;
  listSecretNames(): Promise<string[]>;

  upsertConcurrencyLimit(name: string, limit: number, slotDecayPerSecond?: number | null): Promise<void>;
  deleteConcurrencyLimit(name: string): Promise<boolean>;
  listConcurrencyLimits(): Promise<ConcurrencyLimitRecord[]>;
  /** Takes `slots` on every named limit at once, or nothing. Leases of dead holders are freed first. */
  tryAcquireLeases(request: LeaseRequest): Promise<LeaseResult>;
  releaseLeases(leaseIds: readonly string[]): Promise<void>;

  close(): Promise<void>;
}
