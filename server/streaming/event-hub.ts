// The live event stream's memory: every run event the server stores gets a sequence number and stays in a ring
// of recent events, so a subscriber that reconnects with its last event id gets exactly what it missed.
// Ids are `<epoch>-<seq>`: after a server restart (new epoch) or when the ring has moved past the id, the
// subscriber is told to reload instead of silently missing events.
import { randomBytes } from "node:crypto";
import type { RunEvent } from "../../protocol/run-events.ts";

export interface SequencedEvent {
  seq: number;
  event: RunEvent;
}

export interface StreamFilter {
  flowRunId?: string;
}

type Subscriber = (events: readonly SequencedEvent[]) => void;

export type ResumePoint =
  | { ok: true; missed: SequencedEvent[] }
  /** The events after the id are gone (restart or ring overflow): the client must reload its view. */
  | { ok: false; reason: string };

export class EventHub {
  readonly epoch = randomBytes(4).toString("hex");
  private readonly ring: SequencedEvent[] = [];
  private readonly recentIds = new Set<string>();
  private nextSeq = 1;
  private readonly subscribers = new Set<{ filter: StreamFilter; deliver: Subscriber }>();

  constructor(private readonly capacity = 100_000) {}

  eventId(seq: number): string {
    return `${this.epoch}-${seq}`;
  }

  /** Numbers and fans out newly stored events; an event id already published (a client's retry) is skipped. */
  publish(events: readonly RunEvent[]): void {
    const fresh: SequencedEvent[] = [];
    for (const event of events) {
      if (this.recentIds.has(dedupeKey(event))) continue;
      const sequenced = { seq: this.nextSeq++, event };
      this.ring.push(sequenced);
      this.recentIds.add(dedupeKey(event));
      fresh.push(sequenced);
    }
    this.trim();
    if (fresh.length === 0) return;
    for (const subscriber of this.subscribers) {
      const matching = filterEvents(fresh, subscriber.filter);
      if (matching.length) subscriber.deliver(matching);
    }
  }

  private trim(): void {
    const excess = this.ring.length - this.capacity;
    if (excess <= 0) return;
    for (const dropped of this.ring.splice(0, excess)) this.recentIds.delete(dedupeKey(dropped.event));
  }

  /** What a subscriber that last saw `lastEventId` missed, or why that cannot be answered. */
  resumeFrom(lastEventId: string, filter: StreamFilter): ResumePoint {
    const match = /^([0-9a-f]+)-(\d+)$/.exec(lastEventId);
    if (!match) return { ok: false, reason: `Last-Event-ID '${lastEventId}' is not an id this server gave out` };
    if (match[1] !== this.epoch) return { ok: false, reason: "the server restarted since that event; reload the runs" };
    const lastSeq = Number(match[2]);
    const oldest = this.ring[0]?.seq ?? this.nextSeq;
    if (lastSeq + 1 < oldest)
      return { ok: false, reason: "more events happened than the server keeps; reload the runs" };
    const start = this.ring.findIndex((e) => e.seq > lastSeq);
    return { ok: true, missed: start < 0 ? [] : filterEvents(this.ring.slice(start), filter) };
  }

  subscribe(filter: StreamFilter, deliver: Subscriber): () => void {
    const entry = { filter, deliver };
    this.subscribers.add(entry);
    return () => this.subscribers.delete(entry);
  }

  get subscriberCount(): number {
    return this.subscribers.size;
  }
}

/** An artifact read back from the SQLite file has no event id of its own; its artifact id names it. */
function dedupeKey(event: RunEvent): string {
  return event.kind === "artifact" ? `artifact:${event.artifactId}` : event.id;
}

function filterEvents(events: readonly SequencedEvent[], filter: StreamFilter): SequencedEvent[] {
  return filter.flowRunId ? events.filter((e) => e.event.flowRunId === filter.flowRunId) : [...events];
}
