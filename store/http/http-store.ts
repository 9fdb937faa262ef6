// The Store of a run process that reports through a server (SKEIN_API_URL). Events wait in an outbox and go
// out in order, many per request; a failed send is retried with backoff until the server answers, and since
// the server stores by event id, a batch sent twice (the answer was lost in a restart) is stored once.
// (The engine heartbeats its open runs through `heartbeat`, which is how the server tells a live run from a
// SIGKILLed one; this store remembers those runs to name them as the holders of the leases it takes.)
import { TERMINAL_STATE_TYPES } from "../../protocol/states.ts";
import type { RunEvent } from "../../protocol/run-events.ts";
import type {
  ArtifactRecord,
  CacheEntry,
  ConcurrencyLimitRecord,
  FlowRunQuery,
  FlowRunRecord,
  LeaseRequest,
  LeaseResult,
  LogRecord,
  StateRecord,
  Store,
  TaskRunRecord,
  CreateOutcome,
  DeploymentInput,
  DeploymentPatch,
  DeploymentQuery,
  DeploymentRecord,
  WorkPoolInput,
  WorkPoolPatch,
  WorkPoolRecord,
  WorkQueueInput,
  WorkQueuePatch,
  WorkQueueRecord,
} from "../types.ts";
import { MAX_LOG_PAGE } from "../../protocol/api/schemas.ts";
import { REFUSAL_STATUS } from "../../protocol/api/work-pool-schemas.ts";
import { ApiClient, ApiError, enc, type RetryPolicy } from "../../client/api-client.ts";

const EVENTS_PER_REQUEST = 5000;
const REFUSED_BY_STATUS = new Map(
  Object.entries(REFUSAL_STATUS).map(([refused, status]) => [status, refused as keyof typeof REFUSAL_STATUS]),
);
/** A server restart takes seconds; ten minutes without it means something is wrong, and the run says so. */
const EVENT_DELIVERY: RetryPolicy = { deadlineMs: 10 * 60_000, firstDelayMs: 50, maxDelayMs: 2_000 };

interface Pending {
  events: readonly RunEvent[];
  sent: number;
  resolve(): void;
  reject(error: unknown): void;
}

export interface HttpStoreOptions {
  apiKey?: string;
  delivery?: RetryPolicy;
}

export class HttpStore implements Store {
  readonly location: string;
  readonly client: ApiClient;
  private readonly outbox: Pending[] = [];
  private sending: Promise<void> = Promise.resolve();
  private draining = false;
  private readonly openFlowRuns = new Set<string>();
  private readonly delivery: RetryPolicy;

  constructor(baseUrl: string, options: HttpStoreOptions = {}) {
    this.client = new ApiClient(baseUrl, options.apiKey ?? (process.env.SKEIN_API_KEY || undefined));
    this.location = this.client.baseUrl;
    this.delivery = options.delivery ?? EVENT_DELIVERY;
  }

  /** Resolves when the server has stored every event of this call. */
  appendEvents(events: readonly RunEvent[]): Promise<void> {
    if (events.length === 0) return Promise.resolve();
    this.trackRuns(events);
    return new Promise((resolve, reject) => {
      this.outbox.push({ events, sent: 0, resolve, reject });
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
      const parts: { pending: Pending; count: number }[] = [];
      for (const pending of this.outbox) {
        const count = Math.min(pending.events.length - pending.sent, EVENTS_PER_REQUEST - batch.length);
        batch.push(...pending.events.slice(pending.sent, pending.sent + count));
        parts.push({ pending, count });
        if (batch.length >= EVENTS_PER_REQUEST) break;
      }
      try {
        await this.client.post("/api/events", { events: batch }, { idempotent: true, retry: this.delivery });
      } catch (error) {
        // Undeliverable (bad events, or the server stayed away past the deadline): fail every waiting caller.
        this.draining = false;
        for (const pending of this.outbox.splice(0)) pending.reject(error);
        return;
      }
      for (const { pending, count } of parts) {
        pending.sent += count;
        if (pending.sent === pending.events.length) {
          this.outbox.splice(this.outbox.indexOf(pending), 1);
          pending.resolve();
        }
      }
    }
    this.draining = false;
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
    return this.orUndefined(this.client.get<FlowRunRecord>(`/api/flow-runs/${enc(id)}`));
  }

  async listFlowRuns(query: FlowRunQuery = {}): Promise<FlowRunRecord[]> {
    const params = new URLSearchParams({ limit: String(query.limit ?? 50) });
    if (query.flowName) params.set("flowName", query.flowName);
    if (query.stateTypes?.length) params.set("state", query.stateTypes.join(","));
    return (await this.client.get<{ flowRuns: FlowRunRecord[] }>(`/api/flow-runs?${params}`)).flowRuns;
  }

  async listTaskRuns(flowRunId: string): Promise<TaskRunRecord[]> {
    return (await this.client.get<{ taskRuns: TaskRunRecord[] }>(`/api/flow-runs/${enc(flowRunId)}/task-runs`))
      .taskRuns;
  }

  async listStates(runId: string): Promise<StateRecord[]> {
    return (await this.client.get<{ states: StateRecord[] }>(`/api/runs/${enc(runId)}/states`)).states;
  }

  async listLogs(flowRunId: string): Promise<LogRecord[]> {
    const logs: LogRecord[] = [];
    // The server pages logs; read every page, in the largest pages it serves.
    for (let offset = 0; ; ) {
      const page = await this.client.get<{ logs: LogRecord[]; total: number }>(
        `/api/flow-runs/${enc(flowRunId)}/logs?offset=${offset}&limit=${MAX_LOG_PAGE}`,
      );
      logs.push(...page.logs);
      offset += page.logs.length;
      if (page.logs.length === 0 || offset >= page.total) return logs;
    }
  }

  async listArtifacts(flowRunId: string): Promise<ArtifactRecord[]> {
    return (await this.client.get<{ artifacts: ArtifactRecord[] }>(`/api/flow-runs/${enc(flowRunId)}/artifacts`))
      .artifacts;
  }

  async getArtifactByKey(key: string): Promise<ArtifactRecord | undefined> {
    return this.orUndefined(this.client.get<ArtifactRecord>(`/api/artifacts/by-key/${enc(key)}`));
  }

  async heartbeat(flowRunIds: readonly string[]): Promise<void> {
    if (flowRunIds.length) await this.client.post("/api/flow-runs/heartbeat", { flowRunIds }, { idempotent: true });
  }

  async isFlowRunAlive(id: string): Promise<boolean> {
    return (await this.client.get<{ alive: boolean }>(`/api/flow-runs/${enc(id)}/alive`)).alive;
  }

  async markDeadRunsCrashed(): Promise<string[]> {
    return (await this.client.post<{ crashed: string[] }>("/api/crash-detection/sweep", {}, { idempotent: true }))
      .crashed;
  }

  async requestCancellation(flowRunId: string): Promise<void> {
    await this.client.post(`/api/flow-runs/${enc(flowRunId)}/cancel`, {}, { idempotent: true });
  }

  async cancellationRequests(flowRunIds: readonly string[]): Promise<string[]> {
    if (flowRunIds.length === 0) return [];
    const answer = await this.client.post<{ flowRunIds: string[] }>(
      "/api/flow-runs/cancellation-requests",
      { flowRunIds },
      { idempotent: true },
    );
    return answer.flowRunIds;
  }

  async readCache(key: string): Promise<CacheEntry | undefined> {
    return this.orUndefined(this.client.get<CacheEntry>(`/api/cache/${enc(key)}`));
  }

  async writeCache(entry: CacheEntry): Promise<void> {
    const { key, ...rest } = entry;
    await this.client.put(`/api/cache/${enc(key)}`, rest);
  }

  async getVariable(name: string): Promise<unknown> {
    return (await this.orUndefined(this.client.get<{ value: unknown }>(`/api/variables/${enc(name)}`)))?.value;
  }

  async setVariable(name: string, value: unknown): Promise<void> {
    await this.client.put(`/api/variables/${enc(name)}`, { value });
  }

  async unsetVariable(name: string): Promise<boolean> {
    return (await this.client.delete<{ deleted: boolean }>(`/api/variables/${enc(name)}`)).deleted;
  }

  async listVariables(): Promise<{ name: string; value: unknown }[]> {
    return (await this.client.get<{ variables: { name: string; value: unknown }[] }>("/api/variables")).variables;
  }

  async getSecret(name: string): Promise<string | undefined> {
    return (await this.orUndefined(this.client.get<{ ciphertext: string }>(`/api/secrets/${enc(name)}/ciphertext`)))
      ?.ciphertext;
  }

  async setSecret(name: string, ciphertext: string): Promise<void> {
    await this.client.put(`/api/secrets/${enc(name)}`, { ciphertext });
  }

  async unsetSecret(name: string): Promise<boolean> {
    return (await this.client.delete<{ deleted: boolean }>(`/api/secrets/${enc(name)}`)).deleted;
  }

  async listSecretNames(): Promise<string[]> {
    return (await this.client.get<{ secrets: { name: string }[] }>("/api/secrets")).secrets.map(
      (secret) => secret.name,
    );
  }

  async upsertConcurrencyLimit(name: string, limit: number, slotDecayPerSecond: number | null = null): Promise<void> {
    await this.client.put(`/api/concurrency-limits/${enc(name)}`, { limit, slotDecayPerSecond });
  }

  async deleteConcurrencyLimit(name: string): Promise<boolean> {
    return (await this.client.delete<{ deleted: boolean }>(`/api/concurrency-limits/${enc(name)}`)).deleted;
  }

  async listConcurrencyLimits(): Promise<ConcurrencyLimitRecord[]> {
    return (await this.client.get<{ limits: ConcurrencyLimitRecord[] }>("/api/concurrency-limits")).limits;
  }

  async tryAcquireLeases(request: LeaseRequest): Promise<LeaseResult> {
    // Not idempotent (a repeat would take the slots twice): retried only when it surely never arrived.
    return this.client.post<LeaseResult>(
      "/api/leases",
      { ...request, holderFlowRunIds: [...this.openFlowRuns] },
      { idempotent: false },
    );
  }

  async releaseLeases(leaseIds: readonly string[]): Promise<void> {
    if (leaseIds.length) await this.client.post("/api/leases/release", { leaseIds }, { idempotent: true });
  }

  async createWorkPool(input: WorkPoolInput): Promise<CreateOutcome<WorkPoolRecord>> {
    return this.created(this.client.post<WorkPoolRecord>("/api/work-pools", input, { idempotent: false }));
  }

  async getWorkPool(name: string): Promise<WorkPoolRecord | undefined> {
    return this.orUndefined(this.client.get<WorkPoolRecord>(`/api/work-pools/${enc(name)}`));
  }

  async listWorkPools(): Promise<WorkPoolRecord[]> {
    return this.client.get<WorkPoolRecord[]>("/api/work-pools");
  }

  async updateWorkPool(name: string, patch: WorkPoolPatch): Promise<WorkPoolRecord | undefined> {
    return this.orUndefined(this.client.put<WorkPoolRecord>(`/api/work-pools/${enc(name)}`, patch));
  }

  async deleteWorkPool(name: string): Promise<boolean> {
    return (await this.client.delete<{ deleted: boolean }>(`/api/work-pools/${enc(name)}`)).deleted;
  }

  async createWorkQueue(workPoolName: string, input: WorkQueueInput): Promise<CreateOutcome<WorkQueueRecord>> {
    return this.created(
      this.client.post<WorkQueueRecord>(`/api/work-pools/${enc(workPoolName)}/queues`, input, { idempotent: false }),
    );
  }

  async getWorkQueue(workPoolName: string, name: string): Promise<WorkQueueRecord | undefined> {
    return this.orUndefined(
      this.client.get<WorkQueueRecord>(`/api/work-pools/${enc(workPoolName)}/queues/${enc(name)}`),
    );
  }

  async listWorkQueues(workPoolName: string): Promise<WorkQueueRecord[]> {
    const answer = await this.orUndefined(
      this.client.get<{ workQueues: WorkQueueRecord[] }>(`/api/work-pools/${enc(workPoolName)}/queues`),
    );
    return answer?.workQueues ?? [];
  }

  async updateWorkQueue(
    workPoolName: string,
    name: string,
    patch: WorkQueuePatch,
  ): Promise<WorkQueueRecord | undefined> {
    return this.orUndefined(
      this.client.put<WorkQueueRecord>(`/api/work-pools/${enc(workPoolName)}/queues/${enc(name)}`, patch),
    );
  }

  async deleteWorkQueue(workPoolName: string, name: string): Promise<boolean> {
    return (await this.client.delete<{ deleted: boolean }>(`/api/work-pools/${enc(workPoolName)}/queues/${enc(name)}`))
      .deleted;
  }

  async createDeployment(input: DeploymentInput): Promise<CreateOutcome<DeploymentRecord>> {
    return this.created(this.client.post<DeploymentRecord>("/api/deployments", input, { idempotent: false }));
  }

  async getDeployment(id: string): Promise<DeploymentRecord | undefined> {
    return this.orUndefined(this.client.get<DeploymentRecord>(`/api/deployments/${enc(id)}`));
  }

  async getDeploymentByName(flowName: string, name: string): Promise<DeploymentRecord | undefined> {
    return this.orUndefined(
      this.client.get<DeploymentRecord>(`/api/deployments/by-name/${enc(flowName)}/${enc(name)}`),
    );
  }

  async listDeployments(query: DeploymentQuery = {}): Promise<DeploymentRecord[]> {
    const params = new URLSearchParams();
    if (query.flowName !== undefined) params.set("flowName", query.flowName);
    if (query.workPoolName !== undefined) params.set("workPool", query.workPoolName);
    return (await this.client.get<{ deployments: DeploymentRecord[] }>(`/api/deployments?${params}`)).deployments;
  }

  async updateDeployment(id: string, patch: DeploymentPatch): Promise<DeploymentRecord | undefined> {
    return this.orUndefined(this.client.put<DeploymentRecord>(`/api/deployments/${enc(id)}`, patch));
  }

  async deleteDeployment(id: string): Promise<boolean> {
    return (await this.client.delete<{ deleted: boolean }>(`/api/deployments/${enc(id)}`)).deleted;
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
      // ApiError reads "<METHOD> <path>: <server message>"; paths are URL-encoded, so the first ": " ends the prefix.
      const { message } = error as ApiError;
      return { refused, message: message.slice(message.indexOf(": ") + 2) };
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
