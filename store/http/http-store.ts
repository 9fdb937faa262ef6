// The Store of a run process that reports through a server (SKEIN_API_URL). Events wait in an outbox and go
// out in order, many per request; a failed send is retried with backoff until the server answers, and since
// the server stores by event id, a batch sent twice (the answer was lost in a restart) is stored once. What the
// server refuses is never dropped in silence: a refused key fails every caller with the URL and the status, and
// a batch refused for its content is split until the refused events are found, and the rest is stored.
// (The engine heartbeats its open runs through `heartbeat`, which is how the server tells a live run from a
// SIGKILLed one; this store remembers those runs to name them as the holders of the leases it takes.)
import { TERMINAL_STATE_TYPES } from "../../protocol/states.ts";
import type { RunEvent } from "../../protocol/run-events.ts";
import type {
  ArtifactRecord,
  KeyedArtifactRecord,
  CacheEntry,
  ConcurrencyLimitRecord,
  FlowRunQuery,
  FlowRunRecord,
  FlowSummaryRecord,
  LeaseRequest,
  LeaseResult,
  LogRecord,
  StateRecord,
  Store,
  TaskRunInputsRecord,
  TaskRunRecord,
  CreateOutcome,
  DeploymentChange,
  DeploymentInput,
  DeploymentPatch,
  DeploymentQuery,
  DeploymentRecord,
  DeploymentRemoval,
  WorkPoolInput,
  WorkPoolPatch,
  WorkPoolRecord,
  WorkQueueInput,
  WorkQueuePatch,
  WorkQueueRecord,
  NewDeploymentRun,
  ClaimRequest,
  ClaimResult,
  WorkerRecord,
  ScheduleActivation,
} from "../types.ts";
import { artifactsApi } from "../../protocol/api/artifacts.ts";
import { cacheApi } from "../../protocol/api/cache.ts";
import { REFUSAL_STATUS } from "../../protocol/api/common.ts";
import { concurrencyApi } from "../../protocol/api/concurrency.ts";
import { deploymentsApi } from "../../protocol/api/deployments.ts";
import { eventsApi } from "../../protocol/api/events.ts";
import { flowRunsApi } from "../../protocol/api/flow-runs.ts";
import { healthApi } from "../../protocol/api/health.ts";
import { logsApi, MAX_LOG_PAGE } from "../../protocol/api/logs.ts";
import { secretsApi } from "../../protocol/api/secrets.ts";
import { taskRunsApi } from "../../protocol/api/task-runs.ts";
import { variablesApi } from "../../protocol/api/variables.ts";
import { workPoolsApi } from "../../protocol/api/work-pools.ts";
import { workersApi } from "../../protocol/api/workers.ts";
import { ApiClient, ApiError, type RetryPolicy } from "../../client/api-client.ts";

const EVENTS_PER_REQUEST = 5000;
const REFUSED_BY_STATUS = new Map(
  Object.entries(REFUSAL_STATUS).map(([refused, status]) => [status, refused as keyof typeof REFUSAL_STATUS]),
);
/** A server restart takes seconds; ten minutes without it means something is wrong, and the run says so. */
const EVENT_DELIVERY: RetryPolicy = { deadlineMs: 10 * 60_000, firstDelayMs: 50, maxDelayMs: 2_000 };

interface Pending {
  events: readonly RunEvent[];
  sent: number;
  refused: Refusal[];
  resolve(): void;
  reject(error: unknown): void;
}

/** An event the server would not store, and its answer (which names the field). */
interface Refusal {
  event: RunEvent;
  message: string;
}

/** Statuses that refuse the content of a request (a bad field, too large): other events of the batch may be fine. */
const CONTENT_REFUSALS = new Set([400, 413, 422]);

/** Some events of one `appendEvents` call were refused; `refusedEvents` of them are not stored (the others are). */
export class EventsRefusedError extends Error {
  override name = "EventsRefusedError";
  constructor(
    readonly refusedEvents: number,
    message: string,
  ) {
    super(message);
  }
}

export interface HttpStoreOptions {
  apiKey?: string;
  delivery?: RetryPolicy;
  /** Where an outage of the server is told while events wait for it (default: stderr). */
  warn?: (message: string) => void;
}

/** How long events may wait for an unreachable server before that is said (a restart usually takes less). */
const OUTAGE_NOTICE_MS = 2_000;

export class HttpStore implements Store {
  readonly location: string;
  readonly client: ApiClient;
  private readonly outbox: Pending[] = [];
  private sending: Promise<void> = Promise.resolve();
  private draining = false;
  private readonly openFlowRuns = new Set<string>();
  private readonly delivery: RetryPolicy;
  private readonly warn: (message: string) => void;
  /** Whether the current outage was told (so its end is told too). */
  private outageTold = false;

  constructor(baseUrl: string, options: HttpStoreOptions = {}) {
    this.client = new ApiClient(baseUrl, options.apiKey ?? (process.env.SKEIN_API_KEY || undefined));
    this.location = this.client.baseUrl;
    this.delivery = options.delivery ?? EVENT_DELIVERY;
    this.warn = options.warn ?? ((message) => process.stderr.write(`skein: ${message}\n`));
  }

  /** Resolves when the server has stored every event of this call. */
  appendEvents(events: readonly RunEvent[]): Promise<void> {
    if (events.length === 0) return Promise.resolve();
    this.trackRuns(events);
    return new Promise((resolve, reject) => {
      this.outbox.push({ events, sent: 0, refused: [], resolve, reject });
      if (!this.draining) {
        this.draining = true;
        this.sending = this.drain();
      }
    });
  }

  /** Sends until the outbox is empty; `draining` turns false in the same tick as the last look at the outbox. */
  private async drain(): Promise<void> {
    while (this.outbox.length) {
      // Fill one request from the head of the outbox, keeping event order.
      const batch: RunEvent[] = [];
      const parts: { pending: Pending; events: readonly RunEvent[] }[] = [];
      for (const pending of this.outbox) {
        const count = Math.min(pending.events.length - pending.sent, EVENTS_PER_REQUEST - batch.length);
        const events = pending.events.slice(pending.sent, pending.sent + count);
        batch.push(...events);
        parts.push({ pending, events });
        if (batch.length >= EVENTS_PER_REQUEST) break;
      }
      let refused: Refusal[];
      try {
        refused = await this.deliver(batch);
      } catch (error) {
        // Undeliverable (a refused API key, or the server stayed away past the deadline): fail every waiting caller.
        this.draining = false;
        const failure = this.deliveryFailure(error);
        for (const pending of this.outbox.splice(0)) pending.reject(failure);
        return;
      }
      for (const { pending, events } of parts) {
        pending.sent += events.length;
        pending.refused.push(...refused.filter((refusal) => events.includes(refusal.event)));
        if (pending.sent === pending.events.length) {
          this.outbox.splice(this.outbox.indexOf(pending), 1);
          if (pending.refused.length) pending.reject(this.refusedError(pending.refused));
          else pending.resolve();
        }
      }
    }
    this.draining = false;
  }

  /**
   * Sends `events` in one request; should the server refuse its content, sends each half, and so on down to the
   * refused events, which come back with the server's answer. Order is kept: the first half goes first.
   */
  private async deliver(events: readonly RunEvent[]): Promise<Refusal[]> {
    try {
      await this.client.call(
        eventsApi.ingest,
        { body: { events: [...events] } },
        { idempotent: true, retry: this.delivery, onRetry: (error, triedForMs) => this.outage(error, triedForMs) },
      );
      if (this.outageTold) {
        this.outageTold = false;
        this.warn(`the server at ${this.location} answers again; the run's records are being stored`);
      }
      return [];
    } catch (error) {
      if (!(error instanceof ApiError && CONTENT_REFUSALS.has(error.status))) throw error;
      if (events.length === 1) return [{ event: events[0], message: error.message }];
      const middle = Math.ceil(events.length / 2);
      return [...(await this.deliver(events.slice(0, middle))), ...(await this.deliver(events.slice(middle)))];
    }
  }

  /** Says once per outage that records are waiting for the server, and for how long they will. */
  private outage(error: unknown, triedForMs: number): void {
    if (this.outageTold || triedForMs < OUTAGE_NOTICE_MS) return;
    this.outageTold = true;
    const waiting = this.outbox.reduce((sum, pending) => sum + pending.events.length - pending.sent, 0);
    const why = error instanceof Error ? error.message : String(error);
    this.warn(
      `${waiting} run record(s) are waiting to be stored: ${why}. Retrying for up to ` +
        `${Math.round(this.delivery.deadlineMs / 60_000)} min, then this process exits with an error.`,
    );
  }

  /** Why nothing more can be delivered, with the server's URL and what to do. */
  private deliveryFailure(error: unknown): Error {
    if (error instanceof ApiError && (error.status === 401 || error.status === 403)) {
      const what = error.status === 401 ? "no API key was sent" : "the API key was refused";
      return new Error(
        `the Skein server at ${this.location} refused the run's events (${error.status}: ${what}); ` +
          "set SKEIN_API_KEY to that server's key",
        { cause: error },
      );
    }
    if (error instanceof ApiError) {
      return new Error(`the Skein server at ${this.location} did not store the run's events: ${error.message}`, {
        cause: error,
      });
    }
    return error instanceof Error ? error : new Error(String(error));
  }

  private refusedError(refused: readonly Refusal[]): EventsRefusedError {
    const [first] = refused;
    const which = `${first.event.kind} event ${first.event.id} of flow run ${first.event.flowRunId}`;
    return new EventsRefusedError(
      refused.length,
      `the Skein server at ${this.location} refused ${refused.length} run event(s) and stored the others; ` +
        `the first, ${which}: ${first.message}`,
    );
  }

  private trackRuns(events: readonly RunEvent[]): void {
    for (const event of events) {
      if (event.kind === "flow-run-created" && event.pid === process.pid) this.openFlowRuns.add(event.flowRunId);
      else if (event.kind === "state" && event.runKind === "flow" && TERMINAL_STATE_TYPES.includes(event.state.type)) {
        this.openFlowRuns.delete(event.runId);
      }
    }
  }

  async getFlowRun(id: string): Promise<FlowRunRecord | undefined> {
    return this.orUndefined(this.client.call(flowRunsApi.get, { params: { id } }));
  }

  async listFlows(): Promise<FlowSummaryRecord[]> {
    return (await this.client.call(flowRunsApi.flows, { query: { limit: 10_000, offset: 0 } })).flows;
  }

  async listFlowRuns(query: FlowRunQuery = {}): Promise<FlowRunRecord[]> {
    const answer = await this.client.call(flowRunsApi.list, {
      query: {
        limit: query.limit ?? 50,
        offset: 0,
        flowName: query.flowName || undefined,
        state: query.stateTypes?.length ? query.stateTypes.join(",") : undefined,
        createdBefore: query.createdBefore,
        deploymentId: query.deploymentId,
        workPool: query.workPoolName,
        parentFlowRunId: query.parentFlowRunId,
      },
    });
    return answer.flowRuns;
  }

  async listTaskRuns(flowRunId: string): Promise<TaskRunRecord[]> {
    return (await this.client.call(taskRunsApi.list, { params: { id: flowRunId } })).taskRuns;
  }

  async getTaskRun(id: string): Promise<TaskRunRecord | undefined> {
    return this.orUndefined(this.client.call(taskRunsApi.getById, { params: { id } }));
  }

  async getTaskRunInputs(taskRunId: string): Promise<TaskRunInputsRecord | undefined> {
    return this.orUndefined(this.client.call(taskRunsApi.inputs, { params: { id: taskRunId } }));
  }

  async listStates(runId: string): Promise<StateRecord[]> {
    return (await this.client.call(flowRunsApi.states, { params: { id: runId } })).states;
  }

  async listLogs(flowRunId: string): Promise<LogRecord[]> {
    const logs: LogRecord[] = [];
    // The server pages logs; read every page, in the largest pages it serves.
    for (let offset = 0; ; ) {
      const page = await this.client.call(logsApi.list, {
        params: { id: flowRunId },
        query: { offset, limit: MAX_LOG_PAGE },
      });
      logs.push(...page.logs);
      offset += page.logs.length;
      if (page.logs.length === 0 || offset >= page.total) return logs;
    }
  }

  async listArtifacts(flowRunId: string): Promise<ArtifactRecord[]> {
    return (await this.client.call(artifactsApi.list, { params: { id: flowRunId } })).artifacts;
  }

  async getArtifactByKey(key: string): Promise<ArtifactRecord | undefined> {
    return this.orUndefined(this.client.call(artifactsApi.byKey, { params: { key } }));
  }

  async listArtifactsByKey(key: string, limit: number): Promise<KeyedArtifactRecord[]> {
    return (await this.client.call(artifactsApi.history, { query: { key, limit } })).artifacts;
  }

  async getArtifact(id: string): Promise<ArtifactRecord | undefined> {
    return this.orUndefined(this.client.call(artifactsApi.get, { params: { id } }));
  }

  async deleteFlowRun(id: string): Promise<boolean> {
    return (await this.client.call(flowRunsApi.delete, { params: { id } })).deleted;
  }

  async heartbeat(flowRunIds: readonly string[]): Promise<void> {
    if (flowRunIds.length)
      await this.client.call(flowRunsApi.heartbeat, { body: { flowRunIds: [...flowRunIds] } }, { idempotent: true });
  }

  async isFlowRunAlive(id: string): Promise<boolean> {
    return (await this.client.call(flowRunsApi.alive, { params: { id } })).alive;
  }

  async markDeadRunsCrashed(): Promise<string[]> {
    return (await this.client.call(healthApi.crashSweep, {}, { idempotent: true })).crashed;
  }

  async requestCancellation(flowRunId: string): Promise<void> {
    await this.client.call(flowRunsApi.cancel, { params: { id: flowRunId } }, { idempotent: true });
  }

  async cancellationRequests(flowRunIds: readonly string[]): Promise<string[]> {
    if (flowRunIds.length === 0) return [];
    const answer = await this.client.call(
      flowRunsApi.cancellationRequests,
      { body: { flowRunIds: [...flowRunIds] } },
      { idempotent: true },
    );
    return answer.flowRunIds;
  }

  async readCache(key: string): Promise<CacheEntry | undefined> {
    return this.orUndefined(this.client.call(cacheApi.read, { params: { key } }));
  }

  async writeCache(entry: CacheEntry): Promise<void> {
    const { key, ...body } = entry;
    await this.client.call(cacheApi.write, { params: { key }, body });
  }

  async getVariable(name: string): Promise<unknown> {
    return (await this.orUndefined(this.client.call(variablesApi.get, { params: { name } })))?.value;
  }

  async setVariable(name: string, value: unknown): Promise<void> {
    await this.client.call(variablesApi.set, { params: { name }, body: { value } });
  }

  async unsetVariable(name: string): Promise<boolean> {
    return (await this.client.call(variablesApi.unset, { params: { name } })).deleted;
  }

  async listVariables(): Promise<{ name: string; value: unknown }[]> {
    return (await this.client.call(variablesApi.list)).variables;
  }

  async getSecret(name: string): Promise<string | undefined> {
    return (await this.orUndefined(this.client.call(secretsApi.ciphertext, { params: { name } })))?.ciphertext;
  }

  async setSecret(name: string, ciphertext: string): Promise<void> {
    await this.client.call(secretsApi.set, { params: { name }, body: { ciphertext } });
  }

  async unsetSecret(name: string): Promise<boolean> {
    return (await this.client.call(secretsApi.unset, { params: { name } })).deleted;
  }

  async listSecretNames(): Promise<string[]> {
    return (await this.client.call(secretsApi.list)).secrets.map((secret) => secret.name);
  }

  async upsertConcurrencyLimit(name: string, limit: number, slotDecayPerSecond: number | null = null): Promise<void> {
    await this.client.call(concurrencyApi.upsert, { params: { name }, body: { limit, slotDecayPerSecond } });
  }

  async deleteConcurrencyLimit(name: string): Promise<boolean> {
    return (await this.client.call(concurrencyApi.delete, { params: { name } })).deleted;
  }

  async listConcurrencyLimits(): Promise<ConcurrencyLimitRecord[]> {
    return (await this.client.call(concurrencyApi.list)).limits;
  }

  async tryAcquireLeases(request: LeaseRequest): Promise<LeaseResult> {
    // Not idempotent (a repeat would take the slots twice): retried only when it surely never arrived.
    return this.client.call(
      concurrencyApi.acquire,
      { body: { ...request, holderFlowRunIds: [...this.openFlowRuns] } },
      { idempotent: false },
    );
  }

  async releaseLeases(leaseIds: readonly string[]): Promise<void> {
    if (leaseIds.length)
      await this.client.call(concurrencyApi.release, { body: { leaseIds: [...leaseIds] } }, { idempotent: true });
  }

  async createWorkPool(input: WorkPoolInput): Promise<CreateOutcome<WorkPoolRecord>> {
    return this.created(this.client.call(workPoolsApi.create, { body: input }, { idempotent: false }));
  }

  async getWorkPool(name: string): Promise<WorkPoolRecord | undefined> {
    return this.orUndefined(this.client.call(workPoolsApi.get, { params: { pool: name } }));
  }

  async listWorkPools(): Promise<WorkPoolRecord[]> {
    return this.client.call(workPoolsApi.list);
  }

  async updateWorkPool(name: string, patch: WorkPoolPatch): Promise<WorkPoolRecord | undefined> {
    return this.orUndefined(this.client.call(workPoolsApi.update, { params: { pool: name }, body: patch }));
  }

  async deleteWorkPool(name: string): Promise<boolean> {
    return (await this.client.call(workPoolsApi.delete, { params: { pool: name } })).deleted;
  }

  async createWorkQueue(workPoolName: string, input: WorkQueueInput): Promise<CreateOutcome<WorkQueueRecord>> {
    return this.created(
      this.client.call(
        workPoolsApi.createQueue,
        { params: { pool: workPoolName }, body: input },
        { idempotent: false },
      ),
    );
  }

  async getWorkQueue(workPoolName: string, name: string): Promise<WorkQueueRecord | undefined> {
    return this.orUndefined(this.client.call(workPoolsApi.getQueue, { params: { pool: workPoolName, queue: name } }));
  }

  async listWorkQueues(workPoolName: string): Promise<WorkQueueRecord[]> {
    const answer = await this.orUndefined(
      this.client.call(workPoolsApi.listQueues, { params: { pool: workPoolName } }),
    );
    return answer?.workQueues ?? [];
  }

  async updateWorkQueue(
    workPoolName: string,
    name: string,
    patch: WorkQueuePatch,
  ): Promise<WorkQueueRecord | undefined> {
    return this.orUndefined(
      this.client.call(workPoolsApi.updateQueue, { params: { pool: workPoolName, queue: name }, body: patch }),
    );
  }

  async deleteWorkQueue(workPoolName: string, name: string): Promise<boolean> {
    return (await this.client.call(workPoolsApi.deleteQueue, { params: { pool: workPoolName, queue: name } })).deleted;
  }

  async createDeployment(input: DeploymentInput): Promise<CreateOutcome<DeploymentRecord>> {
    return this.created(this.client.call(deploymentsApi.create, { body: input }, { idempotent: false }));
  }

  async getDeployment(id: string): Promise<DeploymentRecord | undefined> {
    return this.orUndefined(this.client.call(deploymentsApi.get, { params: { id } }));
  }

  async getDeploymentByName(flowName: string, name: string): Promise<DeploymentRecord | undefined> {
    return this.orUndefined(this.client.call(deploymentsApi.byName, { params: { flowName, name } }));
  }

  async listDeployments(query: DeploymentQuery = {}): Promise<DeploymentRecord[]> {
    const answer = await this.client.call(deploymentsApi.list, {
      query: { flowName: query.flowName, workPool: query.workPoolName },
    });
    return answer.deployments;
  }

  async updateDeployment(id: string, patch: DeploymentPatch): Promise<DeploymentChange | undefined> {
    return this.orUndefined(this.client.call(deploymentsApi.update, { params: { id }, body: patch }));
  }

  /** A 422 is a schedule name that names none: the server's sentence comes back as the problem. */
  async setScheduleActive(id: string, schedule: string, active: boolean): Promise<ScheduleActivation | undefined> {
    try {
      return await this.orUndefined(
        this.client.call(deploymentsApi.setScheduleActive, { params: { id, schedule }, body: { active } }),
      );
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 422)) throw error;
      return { problem: serverMessage(error) };
    }
  }

  async deleteDeployment(id: string): Promise<DeploymentRemoval> {
    return this.client.call(deploymentsApi.delete, { params: { id } });
  }

  /**
   * Through the server, which merges and checks the parameters and picks the run's id and name itself. A run asked
   * for here is a run by hand: schedulers run in servers, on their own store.
   */
  async createDeploymentRun(input: NewDeploymentRun): Promise<{ run: FlowRunRecord; created: boolean }> {
    const run = await this.client.call(deploymentsApi.createRun, {
      params: { id: input.deployment.id },
      body: {
        parameters: input.parameters,
        scheduledTime: input.expectedStartTime,
        idempotencyKey: input.idempotencyKey ?? undefined,
        tags: input.tags,
      },
    });
    return { run, created: true };
  }

  /**
   * The server announces the claim's state changes on its live stream itself. With a claim id the call is retried
   * like a read (a lost answer, a restarting server): the server answers a repeated id with the runs that claim
   * took, so no run is left Pending for a worker that never heard of it.
   */
  async claimFlowRuns(request: ClaimRequest): Promise<ClaimResult> {
    const { flowRuns } = await this.client.call(
      workersApi.claim,
      {
        params: { pool: request.workPoolName, worker: request.workerName },
        body: { limit: request.limit, pid: request.pid, host: request.host, claimId: request.claimId },
      },
      { idempotent: request.claimId !== undefined },
    );
    return { claimed: flowRuns, events: [] };
  }

  /** Schedulers run in servers, never behind an HttpStore. */
  async holdSchedulerLeadership(): Promise<boolean> {
    return false;
  }

  async listWorkers(workPoolName?: string): Promise<WorkerRecord[]> {
    return (await this.client.call(workersApi.list, { query: { pool: workPoolName } })).workers;
  }

  /** Delivers what is queued, then closes the connections. */
  async close(): Promise<void> {
    await this.sending;
    await this.client.close();
  }

  /** A refused create comes back as its status (REFUSAL_STATUS) and `{error}`: the store's refusal again. */
  private async created<T>(call: Promise<T>): Promise<CreateOutcome<T>> {
    try {
      return { created: await call };
    } catch (error) {
      const refused = error instanceof ApiError ? REFUSED_BY_STATUS.get(error.status) : undefined;
      if (!refused) throw error;
      return { refused, message: serverMessage(error as ApiError) };
    }
  }

  private async orUndefined<T>(call: Promise<T>): Promise<T | undefined> {
    try {
      return await call;
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) return undefined;
      throw error;
    }
  }
}

/** ApiError reads "<METHOD> <path>: <server message>"; paths are URL-encoded, so the first ": " ends the prefix. */
function serverMessage(error: ApiError): string {
  return error.message.slice(error.message.indexOf(": ") + 2);
}
