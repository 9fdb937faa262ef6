// Work pool names known to a Skein server, when one is reachable. The server is found as the CLI finds it
// (SKEIN_API_URL, else the local server announced in SKEIN_HOME), at each lookup, since one may start later.
// Any failure (no server, refused, timeout, unexpected body) means "unknown", and callers skip the check.
import { ApiClient, ApiError, ApiUnreachableError, ONE_TRY } from "../client/api-client.ts";
import { workPoolsApi } from "../protocol/api/work-pools.ts";

export interface WorkPoolDirectory {
  /** The pool names, or undefined when no server could be asked. */
  names(): Promise<string[] | undefined>;
  /** Why names() gave undefined, for the warning users see. */
  readonly unavailableReason: string;
}

const requestTimeoutMs = 1500;
/** Reuse an answer for a while: validation runs on every keystroke in skein.yaml. */
const cacheMs = 30_000;

export class HttpWorkPoolDirectory implements WorkPoolDirectory {
  private cached?: { at: number; apiUrl: string; names: Promise<string[] | undefined> };
  unavailableReason = "the Skein server did not answer";

  constructor(
    /** The server's URL, or undefined when none is configured or running. */
    private readonly locateServer: () => string | undefined,
    private readonly now: () => number = Date.now,
  ) {}

  /** The pools changed (one was created): the next lookup asks the server. */
  forget(): void {
    this.cached = undefined;
  }

  names(): Promise<string[] | undefined> {
    const apiUrl = this.locateServer();
    if (!apiUrl) {
      this.unavailableReason = "no Skein server is running (start one with `skein server start`, or set SKEIN_API_URL)";
      return Promise.resolve(undefined);
    }
    if (!this.cached || this.cached.apiUrl !== apiUrl || this.now() - this.cached.at > cacheMs) {
      this.cached = { at: this.now(), apiUrl, names: this.fetchNames(apiUrl) };
    }
    return this.cached.names;
  }

  private async fetchNames(apiUrl: string): Promise<string[] | undefined> {
    const client = new ApiClient(apiUrl);
    try {
      // One try: the next keystroke after the cache expires asks again.
      const pools: unknown = await client.call(
        workPoolsApi.list,
        {},
        { retry: ONE_TRY, signal: AbortSignal.timeout(requestTimeoutMs) },
      );
      const names = poolNames(pools);
      if (!names)
        this.unavailableReason = `the Skein server at ${apiUrl} sent a work pool list Skein does not understand`;
      return names;
    } catch (error) {
      this.unavailableReason =
        error instanceof ApiError
          ? `the Skein server at ${apiUrl} answered ${error.status}`
          : `the Skein server at ${apiUrl} is not reachable (${reasonOf(error)})`;
      return undefined;
    } finally {
      await client.close();
    }
  }
}

/** The transport failure under ApiClient's message (which suggests `skein server start`, said above already). */
function reasonOf(error: unknown): string {
  if (error instanceof ApiUnreachableError) return error.code ?? (error.cause as Error).message;
  return error instanceof Error ? error.message : String(error);
}

/** A JSON array of pool names or of objects with a `name`; anything else is not understood. */
function poolNames(body: unknown): string[] | undefined {
  if (!Array.isArray(body)) return undefined;
  const names = body.map((item) => (typeof item === "string" ? item : (item as { name?: unknown } | null)?.name));
  return names.every((name): name is string => typeof name === "string") ? names : undefined;
}
