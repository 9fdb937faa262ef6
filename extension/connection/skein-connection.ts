// The extension's one connection to Skein's data: the server that serves the workspace's SKEIN_HOME (found through
// its server.json, or started on first use) or a remote server (the `skein.apiUrl` setting, its API key in VS
// Code's SecretStorage). Everything the editor shows about runs (explorer, run views, inline states) reads through
// it, so a run started from a terminal, a worker or a test appears the same as one started from a lens.
import { ApiClient, ApiUnreachableError, BRIEF_RETRY } from "../../client/api-client.ts";
import { findServer } from "../../client/discovery.ts";
import { type EventFollower, type FollowOptions, followEvents } from "../../client/event-stream.ts";
import { healthApi } from "../../protocol/api/health.ts";

export type ConnectionStatus =
  | { kind: "idle" }
  | { kind: "connecting"; target: string }
  | { kind: "connected"; url: string; remote: boolean; backend: string; location: string }
  | { kind: "failed"; message: string };

export interface SkeinConnectionDeps {
  /** The SKEIN_HOME the workspace's runs are recorded in. */
  home(): string;
  /** A remote server's URL (`skein.apiUrl`), or empty for the local server of the SKEIN_HOME. */
  apiUrl(): string;
  /** The API key for a remote server, from SecretStorage. */
  apiKey(): Promise<string | undefined>;
  /** Starts the local server of `home` in the background and resolves to its URL (see local-server.ts). */
  startLocalServer(home: string): Promise<string>;
  onStatus?(status: ConnectionStatus): void;
}

export class SkeinConnection {
  private current: Promise<ApiClient> | undefined;
  private status: ConnectionStatus = { kind: "idle" };

  constructor(private readonly deps: SkeinConnectionDeps) {}

  get lastStatus(): ConnectionStatus {
    return this.status;
  }

  /** The API client, connecting (and starting the local server) on first use; a failed attempt is retried next call. */
  client(): Promise<ApiClient> {
    if (!this.current) {
      this.current = this.connect();
      this.current.catch(() => {
        this.current = undefined;
      });
    }
    return this.current;
  }

  /**
   * Calls `use` with the client; when the server has gone away (stopped, restarted on another port) it connects
   * again once and repeats the call, so a restarted local server costs the user nothing. Editor calls should pass
   * `{ retry: BRIEF_RETRY }`: the default retries a gone server for 30 s before it is found gone.
   */
  async withClient<T>(use: (client: ApiClient) => Promise<T>): Promise<T> {
    const client = await this.client();
    try {
      return await use(client);
    } catch (error) {
      if (!(error instanceof ApiUnreachableError)) throw error;
      this.reset();
      return use(await this.client());
    }
  }

  /** Follows the live event stream (all runs, or one flow run) once connected; closing stops it. */
  follow(options: FollowOptions): EventFollower {
    let inner: EventFollower | undefined;
    let closed = false;
    const done = this.client().then(
      (client) => {
        if (closed) return;
        inner = followEvents(client, options);
        return inner.done;
      },
      (error: Error) => options.onError?.(error),
    );
    return {
      get lastEventId() {
        return inner?.lastEventId;
      },
      close() {
        closed = true;
        inner?.close();
      },
      done,
    };
  }

  /** Forgets the connection (settings changed, server gone); the next call connects again. */
  reset(): void {
    const previous = this.current;
    this.current = undefined;
    void previous?.then((client) => client.close()).catch(() => undefined);
    this.setStatus({ kind: "idle" });
  }

  dispose(): void {
    this.reset();
  }

  private async connect(): Promise<ApiClient> {
    const remote = this.deps.apiUrl().trim();
    const home = this.deps.home();
    this.setStatus({ kind: "connecting", target: remote || home });
    try {
      const url = remote || findServer(home, {}) || (await this.deps.startLocalServer(home));
      const client = new ApiClient(url, remote ? await this.deps.apiKey() : undefined);
      const health = await client.call(healthApi.health, {}, { retry: BRIEF_RETRY }).catch(async (error) => {
        await client.close();
        throw error;
      });
      this.setStatus({
        kind: "connected",
        url,
        remote: Boolean(remote),
        backend: health.backend,
        location: health.location,
      });
      return client;
    } catch (error) {
      const where = remote ? `the Skein server at ${remote}` : `the local Skein server for ${home}`;
      const message = `Could not connect to ${where}: ${(error as Error).message}`;
      this.setStatus({ kind: "failed", message });
      throw new Error(message, { cause: error });
    }
  }

  private setStatus(status: ConnectionStatus): void {
    this.status = status;
    this.deps.onStatus?.(status);
  }
}
