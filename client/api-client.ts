// A small JSON client for the Skein API on undici: one keep-alive connection pool per server, the API key on
// every request, errors as one readable line, and retries with backoff for calls that are safe to repeat.
// Every call names a route contract (protocol/api/): the URL is built from its path, and the request and the
// answer are typed by its schemas.
import os from "node:os";
import { Agent, request, type Dispatcher } from "undici";
import type { HttpMethod, RequestOf, ResponseOf, RouteContract } from "../protocol/api/contract.ts";
import { healthApi } from "../protocol/api/health.ts";

export class ApiError extends Error {
  override name = "ApiError";
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** The server could not be reached at all (not running, restarting, wrong URL). */
export class ApiUnreachableError extends Error {
  override name = "ApiUnreachableError";
  constructor(
    readonly url: string,
    readonly code: string | undefined,
    cause: unknown,
  ) {
    super(
      `cannot reach the Skein server at ${url} (${code ?? (cause as Error)?.message}); is it running? Try 'skein server start'`,
      { cause },
    );
  }
}

export interface RetryPolicy {
  /** Give up after this long; the last error is thrown. */
  deadlineMs: number;
  firstDelayMs: number;
  maxDelayMs: number;
}

const REPORTING_PROCESS = `${process.pid}@${os.hostname()}`;

const DEFAULT_RETRY: RetryPolicy = { deadlineMs: 30_000, firstDelayMs: 50, maxDelayMs: 2_000 };
/** One attempt, no retry: for probes whose caller decides what a failure means. */
export const ONE_TRY: RetryPolicy = { deadlineMs: 0, firstDelayMs: 0, maxDelayMs: 0 };
/** A couple of seconds of retries: for a server that may be starting or briefly busy. */
export const BRIEF_RETRY: RetryPolicy = { deadlineMs: 2000, firstDelayMs: 100, maxDelayMs: 500 };

export interface CallOptions {
  /** Repeating the call changes nothing (reads, PUT, idempotent ingest): retry on any transport error or 5xx. */
  idempotent?: boolean;
  retry?: RetryPolicy;
  /** Aborts the call (e.g. AbortSignal.timeout): it fails as unreachable. */
  signal?: AbortSignal;
  /** Told of each failed attempt that will be retried, and how long the call has been trying. */
  onRetry?(error: unknown, triedForMs: number): void;
}

/** A request as the URL builder reads it, once its types have been checked against the contract. */
type UntypedRequest = { params?: Record<string, unknown>; query?: Record<string, unknown>; body?: unknown };

export class ApiClient {
  readonly baseUrl: string;
  private readonly dispatcher: Agent;

  constructor(
    baseUrl: string,
    private readonly apiKey: string | undefined = process.env.SKEIN_API_KEY || undefined,
  ) {
    this.baseUrl = baseUrl.replace(/\/+$/, "");
    this.dispatcher = new Agent({ keepAliveTimeout: 10_000, connections: 8 });
  }

  /** Calls the route; `request` holds the parts the contract describes (path parameters, query, body). */
  async call<C extends RouteContract>(
    contract: C,
    ...[request, options]: {} extends RequestOf<C>
      ? [request?: RequestOf<C>, options?: CallOptions]
      : [request: RequestOf<C>, options?: CallOptions]
  ): Promise<ResponseOf<C>> {
    const { params, query, body } = (request ?? {}) as UntypedRequest;
    return (await this.withRetries(contract.method, pathOf(contract, params, query), body, options)) as ResponseOf<C>;
  }

  /** The full URL of a route, for callers that open their own requests (the event stream). */
  urlOf<C extends RouteContract>(contract: C, request: Omit<RequestOf<C>, "body">): string {
    const { params, query } = request as UntypedRequest;
    return this.baseUrl + pathOf(contract, params, query);
  }

  private async withRetries(method: HttpMethod, path: string, body: unknown, options: CallOptions = {}) {
    const policy = options.retry ?? DEFAULT_RETRY;
    const started = Date.now();
    let delay = policy.firstDelayMs;
    for (;;) {
      try {
        return await this.once(method, path, body, options.signal);
      } catch (error) {
        if (
          !this.retryable(error, options.idempotent ?? method !== "POST") ||
          Date.now() - started + delay > policy.deadlineMs
        )
          throw error;
        options.onRetry?.(error, Date.now() - started);
        await new Promise((resolve) => setTimeout(resolve, delay));
        delay = Math.min(delay * 2, policy.maxDelayMs);
      }
    }
  }

  /** A non-idempotent call is repeated only when it surely never reached the server. */
  private retryable(error: unknown, idempotent: boolean): boolean {
    if (error instanceof ApiUnreachableError) return idempotent || error.code === "ECONNREFUSED";
    if (error instanceof ApiError) return idempotent && (error.status >= 500 || error.status === 429);
    return false;
  }

  private async once(method: HttpMethod, path: string, body: unknown, signal?: AbortSignal): Promise<unknown> {
    // Who reports: lets the server check, on its own machine, whether a silent run's process still lives.
    const headers: Record<string, string> = { accept: "application/json", "x-skein-process": REPORTING_PROCESS };
    if (this.apiKey) headers.authorization = `Bearer ${this.apiKey}`;
    if (body !== undefined) headers["content-type"] = "application/json";
    let response: Dispatcher.ResponseData;
    try {
      response = await request(this.baseUrl + path, {
        method,
        headers,
        dispatcher: this.dispatcher,
        signal,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (error) {
      throw new ApiUnreachableError(this.baseUrl, transportCode(error), error);
    }
    let text: string;
    try {
      text = await response.body.text();
    } catch (error) {
      throw new ApiUnreachableError(this.baseUrl, transportCode(error), error);
    }
    const parsed = text ? safeJson(text) : undefined;
    if (response.statusCode >= 400) {
      const message = (parsed as { error?: string } | undefined)?.error ?? (text || `HTTP ${response.statusCode}`);
      throw new ApiError(response.statusCode, `${method} ${path}: ${message}`);
    }
    return parsed;
  }

  /** The API key header for callers that open their own requests (the event stream). */
  authHeaders(): Record<string, string> {
    return this.apiKey ? { authorization: `Bearer ${this.apiKey}` } : {};
  }

  get agent(): Dispatcher {
    return this.dispatcher;
  }

  async close(): Promise<void> {
    await this.dispatcher.close();
  }
}

/** A system error code such as ECONNREFUSED (an aborted call's DOMException has a numeric code: not one). */
function transportCode(error: unknown): string | undefined {
  const err = error as { code?: unknown; cause?: { code?: unknown } };
  const code = err?.cause?.code ?? err?.code;
  return typeof code === "string" ? code : undefined;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return { error: text.slice(0, 500) };
  }
}

/** The contract's path with its `:name` parameters filled in (URL-encoded), and the query string. */
function pathOf(contract: RouteContract, params: Record<string, unknown> = {}, query: Record<string, unknown> = {}) {
  const path = contract.path.replace(/:(\w+)/g, (_, name: string) => {
    if (params[name] === undefined) throw new Error(`${contract.method} ${contract.path}: no value for :${name}`);
    return encodeURIComponent(String(params[name]));
  });
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined) search.set(key, String(value));
  const text = search.toString();
  return text ? `${path}?${text}` : path;
}

/** The health of the server at `url` (its pid, backend and store), on a connection closed afterwards. */
export async function probeHealth(url: string, retry: RetryPolicy): Promise<ResponseOf<typeof healthApi.health>> {
  const client = new ApiClient(url);
  try {
    return await client.call(healthApi.health, {}, { retry });
  } finally {
    await client.close();
  }
}
