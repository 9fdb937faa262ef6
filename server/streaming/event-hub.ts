// The live event stream's memory: every run event the server stores gets a sequence number and stays in a ring
// of recent events, so a subscriber that reconnects with its last event id gets exactly what it missed, and a
// subscriber that reads slowly is fed from the ring at its own pace (stream-client.ts) instead of having
// everything queued for it. The ring is bounded in events and in bytes. Ids are `<epoch>-<seq>`: after a server
// restart (new epoch) or when the ring has moved past the id, the subscriber is told to reload instead of
// silently missing events. A run's deletion is numbered in the same sequence, so a subscriber resuming after a
// disconnect learns of the deletions it missed too.
import { randomBytes } from "node:crypto";
import { type RunDeleted, STREAM_EVENTS } from "../../protocol/api/events.ts";
import type { RunEvent } from "../../protocol/run-events.ts";
import { mayWakeWorkers } from "../../protocol/worker-wake-ups.ts";

/** An event in the ring, kept as the JSON it is streamed as (serialized once for all subscribers). */
export interface SequencedEvent {
  seq: number;
  /** The server-sent event's `event:` name: a run event or a deletion. */
  type: typeof STREAM_EVENTS.run | typeof STREAM_EVENTS.deleted;
  flowRunId: string;
  data: string;
  /** UTF-8 bytes of `data`. */
  size: number;
  /** What identifies the event for deduplication. */
  key: string;
  wakesWorkers: boolean;
}

export interface StreamFilter {
  flowRunId?: string;
  /** Only events that may wake workers (protocol/worker-wake-ups.ts). */
  wakeUpsOnly?: boolean;
}

export interface RingLimits {
  /** Events kept for resumption, at most. */
  maxEvents: number;
  /** Bytes of event JSON kept for resumption, at most (the newest event is kept whatever its size). */
  maxBytes: number;
}

export const DEFAULT_RING_LIMITS: RingLimits = { maxEvents: 100_000, maxBytes: 64 * 1024 * 1024 };

/** Told when events arrive; says how much it holds unsent, for the hub's accounting. */
export interface HubSubscriber {
  notify(): void;
  bufferedBytes(): number;
}

export type ResumePoint =
  | { ok: true; seq: number }
  /** The events after the id are gone (restart or ring overflow): the client must reload its view. */
  | { ok: false; reason: string };

export type ReadResult =
  /** `last` is the sequence number of the last event looked at (matching or not): the next read starts after it. */
  { ok: true; events: SequencedEvent[]; last: number } | { ok: false; reason: string };

const FELL_BEHIND = "more events happened than the server keeps; reload the runs";

export class EventHub {
  readonly epoch = randomBytes(4).toString("hex");
  /** Published events; those before `head` have left the ring and are cut off in bulk (trim). */
  private readonly ring: SequencedEvent[] = [];
  private head = 0;
  private readonly recentKeys = new Set<string>();
  private nextSeq = 1;
  private bytes = 0;
  private readonly subscribers = new Set<HubSubscriber>();
  private readonly limits: RingLimits;

  constructor(limits: Partial<RingLimits> = {}) {
    this.limits = { ...DEFAULT_RING_LIMITS, ...limits };
  }

  eventId(seq: number): string {
    return `${this.epoch}-${seq}`;
  }

  /** The sequence number of the newest event: a subscriber starting now reads after it. */
  get headSeq(): number {
    return this.nextSeq - 1;
  }

  /** Numbers newly stored events and tells subscribers; an event already published (a client's retry) is skipped. */
  publish(events: readonly RunEvent[]): void {
    let fresh = false;
    for (const event of events)
      fresh = this.add(STREAM_EVENTS.run, event.flowRunId, event, dedupeKey(event), mayWakeWorkers(event)) || fresh;
    if (fresh) this.announce();
  }

  /** Numbers deletions of flow runs and tells subscribers; the same notice twice (relayed again) is kept once. */
  publishDeleted(deletions: readonly RunDeleted[]): void {
    let fresh = false;
    for (const deletion of deletions) {
      const key = `deleted:${deletion.flowRunId}@${deletion.timestamp}`;
      fresh = this.add(STREAM_EVENTS.deleted, deletion.flowRunId, deletion, key, false) || fresh;
    }
    if (fresh) this.announce();
  }

  /** Appends one entry to the ring unless its key is there already; whether it was appended. */
  private add(type: SequencedEvent["type"], flowRunId: string, payload: object, key: string, wakes: boolean): boolean {
    if (this.recentKeys.has(key)) return false;
    const data = JSON.stringify(payload);
    const size = Buffer.byteLength(data);
    this.ring.push({ seq: this.nextSeq++, type, flowRunId, data, size, key, wakesWorkers: wakes });
    this.recentKeys.add(key);
    this.bytes += size;
    return true;
  }

  private announce(): void {
    this.trim();
    for (const subscriber of this.subscribers) subscriber.notify();
  }

  private trim(): void {
    let head = this.head;
    let bytes = this.bytes;
    while (
      this.ring.length - head > this.limits.maxEvents ||
      (bytes > this.limits.maxBytes && this.ring.length - head > 1)
    ) {
      const dropped = this.ring[head++];
      bytes -= dropped.size;
      this.recentKeys.delete(dropped.key);
    }
    this.head = head;
    this.bytes = bytes;
    // Dropped entries are cut off in bulk: shifting the whole ring on every publish once full cost O(ring) each time.
    if (head > 1024 && head * 2 > this.ring.length) {
      this.ring.splice(0, head);
      this.head = 0;
    }
  }

  /** Where a subscriber that last saw `lastEventId` resumes, or why it cannot. */
  resumePoint(lastEventId: string): ResumePoint {
    const match = /^([0-9a-f]+)-(\d+)$/.exec(lastEventId);
    if (!match) return { ok: false, reason: `Last-Event-ID '${lastEventId}' is not an id this server gave out` };
    if (match[1] !== this.epoch) return { ok: false, reason: "the server restarted since that event; reload the runs" };
    const seq = Math.min(Number(match[2]), this.headSeq);
    return seq + 1 < this.oldestSeq ? { ok: false, reason: FELL_BEHIND } : { ok: true, seq };
  }

  /**
   * The events after `afterSeq` that match the filter, oldest first, stopping once they reach `maxBytes` (at least
   * one is returned); or a reset reason when some of them already left the ring.
   */
  read(afterSeq: number, filter: StreamFilter, maxBytes: number): ReadResult {
    if (afterSeq + 1 < this.oldestSeq) return { ok: false, reason: FELL_BEHIND };
    const events: SequencedEvent[] = [];
    let last = afterSeq;
    let bytes = 0;
    // Sequence numbers in the ring are consecutive, so the first unread event is found by subtraction.
    for (let index = this.head + afterSeq + 1 - this.oldestSeq; index < this.ring.length && bytes < maxBytes; index++) {
      const entry = this.ring[index];
      last = entry.seq;
      if (filter.flowRunId && entry.flowRunId !== filter.flowRunId) continue;
      if (filter.wakeUpsOnly && !entry.wakesWorkers) continue;
      events.push(entry);
      bytes += entry.size;
    }
    return { ok: true, events, last };
  }

  private get oldestSeq(): number {
    return this.ring[this.head]?.seq ?? this.nextSeq;
  }

  subscribe(subscriber: HubSubscriber): () => void {
    this.subscribers.add(subscriber);
    return () => this.subscribers.delete(subscriber);
  }

  get subscriberCount(): number {
    return this.subscribers.size;
  }

  /** Bytes of event JSON the ring holds. */
  get ringBytes(): number {
    return this.bytes;
  }

  /** Bytes written to subscribers' connections and not yet taken by them. */
  get clientBufferedBytes(): number {
    let total = 0;
    for (const subscriber of this.subscribers) total += subscriber.bufferedBytes();
    return total;
  }
}

/** An artifact read back from the SQLite file has no event id of its own; its artifact id names it. */
function dedupeKey(event: RunEvent): string {
  return event.kind === "artifact" ? `artifact:${event.artifactId}` : event.id;
}
