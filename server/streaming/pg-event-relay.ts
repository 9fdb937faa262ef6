// Live events across servers that share one PostgreSQL database: each server NOTIFYs the events it ingested and
// the runs it deleted, and LISTENs for the others', so a client streaming from any server sees runs reporting to
// (or deleted through) any other.
// A notification carries at most ~8,000 bytes, so events travel in chunks; an event too large for one (a big
// artifact or log line) is not relayed, and clients of other servers read it from the REST API.
import pg from "pg";
import type { RunDeleted } from "../../protocol/api/events.ts";
import type { RunEvent } from "../../protocol/run-events.ts";

/** Channels are database-wide; one per schema keeps separate Skein installations (and tests) apart. */
const channelPrefix = "skein_events_";
const MAX_PAYLOAD_BYTES = 7_800;

/** What a server tells the others; a notification carries one of the two. */
export interface Relayed {
  events?: RunEvent[];
  deleted?: RunDeleted[];
}

interface Payload extends Relayed {
  origin: string;
}

/** Where relayed events and deletions go on this server (its hub). */
export interface RelayDelivery {
  events(events: RunEvent[]): void;
  deleted(deletions: RunDeleted[]): void;
}

export class PgEventRelay {
  private readonly listener: pg.Client;
  private readonly sender: pg.Pool;
  private channel = "";

  private constructor(
    url: string,
    private readonly origin: string,
    private readonly deliver: RelayDelivery,
  ) {
    this.listener = new pg.Client({ connectionString: url });
    this.sender = new pg.Pool({ connectionString: url, max: 2 });
    this.listener.on("error", (error) =>
      process.stderr.write(`skein server: event relay connection lost: ${error.message}\n`),
    );
    this.sender.on("error", () => undefined);
  }

  static async start(url: string, origin: string, deliver: RelayDelivery): Promise<PgEventRelay> {
    const relay = new PgEventRelay(url, origin, deliver);
    await relay.listener.connect();
    const { rows } = await relay.listener.query("SELECT current_schema() AS schema");
    relay.channel = `${channelPrefix}${String(rows[0].schema).replace(/[^a-z0-9_]/gi, "_")}`.slice(0, 63);
    relay.listener.on("notification", (message) => relay.receive(message.payload));
    await relay.listener.query(`LISTEN ${relay.channel}`);
    return relay;
  }

  private receive(text: string | undefined): void {
    if (!text) return;
    let payload: Payload;
    try {
      payload = JSON.parse(text);
    } catch {
      return;
    }
    if (payload.origin === this.origin) return;
    if (payload.events?.length) this.deliver.events(payload.events);
    if (payload.deleted?.length) this.deliver.deleted(payload.deleted);
  }

  /** Tells the other servers about events this one stored; one round trip whatever the number of chunks. */
  send(events: readonly RunEvent[]): Promise<void> {
    return this.notify("events", events);
  }

  /** Tells the other servers about flow runs this one deleted. */
  sendDeleted(deletions: readonly RunDeleted[]): Promise<void> {
    return this.notify("deleted", deletions);
  }

  private async notify(field: keyof Relayed, items: readonly object[]): Promise<void> {
    const chunks: string[] = [];
    let current: string[] = [];
    let size = 0;
    const flush = () => {
      if (current.length) chunks.push(`{"origin":${JSON.stringify(this.origin)},"${field}":[${current.join(",")}]}`);
      current = [];
      size = 0;
    };
    for (const item of items) {
      const text = JSON.stringify(item);
      const bytes = Buffer.byteLength(text) + 1;
      if (bytes > MAX_PAYLOAD_BYTES) continue;
      if (size + bytes > MAX_PAYLOAD_BYTES) flush();
      current.push(text);
      size += bytes;
    }
    flush();
    if (chunks.length)
      await this.sender.query("SELECT pg_notify($1, payload) FROM unnest($2::text[]) AS payload", [
        this.channel,
        chunks,
      ]);
  }

  async stop(): Promise<void> {
    await this.listener.end().catch(() => undefined);
    await this.sender.end().catch(() => undefined);
  }
}
