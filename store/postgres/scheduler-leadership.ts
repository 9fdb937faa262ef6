// Which server on a PostgreSQL database schedules: the one holding a session advisory lock on a connection of its
// own (not the pool's, whose connections come and go). The lock lives as long as that connection: when the server
// dies or its connection drops, PostgreSQL releases it and another server's next try takes it. The lock key is
// derived from the schema the tables live in (given, or chosen by the URL's search_path), so stores in different
// schemas of one database each have their own leader.
import pg from "pg";

export class SchedulerLeadership {
  private client: pg.Client | undefined;
  private held = false;

  constructor(
    private readonly url: string,
    private readonly schema: string,
  ) {}

  /** True while this process holds the lock; tries to take it when it does not. */
  async hold(): Promise<boolean> {
    if (this.held && this.client) return true;
    try {
      if (!this.client) {
        const client = new pg.Client({ connectionString: this.url });
        client.on("error", () => this.lose(client));
        client.on("end", () => this.lose(client));
        await client.connect();
        this.client = client;
      }
      const { rows } = await this.client.query("SELECT pg_try_advisory_lock(hashtext($1)) AS taken", [
        `skein-scheduler:${this.schema}`,
      ]);
      this.held = rows[0].taken === true;
    } catch {
      if (this.client) this.lose(this.client);
    }
    return this.held;
  }

  private lose(client: pg.Client): void {
    if (this.client !== client) return;
    this.client = undefined;
    this.held = false;
    client.end().catch(() => undefined);
  }

  async close(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.held = false;
    await client?.end().catch(() => undefined);
  }
}
