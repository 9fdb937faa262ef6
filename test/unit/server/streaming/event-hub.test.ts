import { test } from "node:test";
import assert from "node:assert/strict";
import { EventHub } from "../../../../server/streaming/event-hub.ts";
import { flowRunEvents } from "../../../fixtures/server/events.ts";

const ids = (hub: EventHub, afterSeq: number, flowRunId?: string) => {
  const read = hub.read(afterSeq, { flowRunId }, Number.POSITIVE_INFINITY);
  assert.ok(read.ok);
  return read.ok ? read.events.map((e) => JSON.parse(e.data).id) : [];
};

test("a subscriber resuming from an id gets exactly the events after it, of its flow run", () => {
  const hub = new EventHub({ maxEvents: 100 });
  const a = flowRunEvents({ tasks: 1 });
  const b = flowRunEvents({ tasks: 1 });
  hub.publish(a.slice(0, 2));
  const seen = hub.eventId(hub.headSeq);
  hub.publish([...a.slice(2), ...b]);
  const resume = hub.resumePoint(seen);
  assert.ok(resume.ok);
  if (resume.ok)
    assert.deepEqual(
      ids(hub, resume.seq, b[0].flowRunId),
      b.map((e) => e.id),
    );
});

test("an event published twice (a client's retry) is kept and announced once", () => {
  const hub = new EventHub({ maxEvents: 100 });
  const events = flowRunEvents({ tasks: 2 });
  let notified = 0;
  hub.subscribe({ notify: () => notified++, bufferedBytes: () => 0 });
  hub.publish(events);
  hub.publish(events);
  assert.equal(notified, 1);
  assert.equal(ids(hub, 0).length, events.length);
});

test("a read stops at its byte budget and says where the next one starts", () => {
  const hub = new EventHub();
  const events = flowRunEvents({ tasks: 5 });
  hub.publish(events);
  const first = hub.read(0, {}, 1);
  assert.ok(first.ok && first.events.length === 1 && first.last === 1);
  assert.deepEqual(
    ids(hub, first.ok ? first.last : 0),
    events.slice(1).map((e) => e.id),
  );
});

test("an id from another server epoch or older than the ring asks the client to reload", () => {
  const hub = new EventHub({ maxEvents: 5 });
  const events = flowRunEvents({ tasks: 3 });
  hub.publish(events);
  const other = new EventHub({ maxEvents: 5 });
  assert.equal(hub.resumePoint(other.eventId(1)).ok, false);
  assert.equal(hub.resumePoint(hub.eventId(1)).ok, false, "event 2.. fell out of a ring of 5");
  assert.equal(hub.read(1, {}, 1000).ok, false);
  assert.equal(hub.resumePoint("garbage").ok, false);
  const recent = hub.resumePoint(hub.eventId(events.length - 1));
  assert.ok(recent.ok);
  assert.equal(ids(hub, recent.ok ? recent.seq : 0).length, 1);
});

test("the ring keeps at most its byte cap of events, however many fit its event count", () => {
  const hub = new EventHub({ maxEvents: 100_000, maxBytes: 64 * 1024 });
  const events = flowRunEvents({ tasks: 200, logsPerTask: 5 });
  hub.publish(events);
  assert.ok(hub.ringBytes <= 64 * 1024, `${hub.ringBytes} bytes kept`);
  assert.ok(hub.ringBytes > 60 * 1024, "the newest events are kept up to the cap");
  const kept = ids(hub, hub.headSeq - 10);
  assert.deepEqual(
    kept,
    events.slice(-10).map((e) => e.id),
  );
  assert.equal(hub.resumePoint(hub.eventId(1)).ok, false, "the oldest fell out: a resuming client is reset");
});

test("a full ring keeps the newest events in order while thousands pass through it", () => {
  const hub = new EventHub({ maxEvents: 10 });
  const published: string[] = [];
  while (published.length < 5000) {
    const events = flowRunEvents({ tasks: 1 });
    hub.publish(events);
    published.push(...events.map((e) => e.id));
  }
  const oldestKept = hub.headSeq - 9;
  assert.deepEqual(ids(hub, oldestKept - 1), published.slice(-10));
  assert.equal(hub.resumePoint(hub.eventId(oldestKept - 2)).ok, false, "an event that left the ring cannot be resumed");
  const resume = hub.resumePoint(hub.eventId(oldestKept - 1));
  assert.ok(resume.ok && resume.seq === oldestKept - 1);
  // A dropped event may be published again (its key left with it); the ring stays ten long.
  hub.publish(flowRunEvents({ tasks: 1 }).slice(0, 1));
  assert.equal(ids(hub, hub.headSeq - 10).length, 10);
});

test("a worker's stream gets only the events that may wake workers: deployment runs created and flow runs ending", () => {
  const hub = new EventHub({ maxEvents: 1000 });
  const deploymentRun = flowRunEvents({ tasks: 2, logsPerTask: 3, pid: 0 });
  const localRun = flowRunEvents({ tasks: 2, logsPerTask: 3 });
  hub.publish([...deploymentRun, ...localRun]);
  const read = hub.read(0, { wakeUpsOnly: true }, Number.POSITIVE_INFINITY);
  assert.ok(read.ok);
  const seen = read.ok ? read.events.map((e) => JSON.parse(e.data)) : [];
  const expected = [
    deploymentRun[0],
    ...[...deploymentRun, ...localRun].filter(
      (e) => e.kind === "state" && e.runKind === "flow" && e.state.type === "COMPLETED",
    ),
  ];
  assert.deepEqual(
    seen.map((e) => e.id),
    expected.map((e) => e.id),
  );
  assert.equal(read.ok && read.last, hub.headSeq, "the cursor moves past the events it skipped");
});

test("a deletion is numbered with the run events: resuming gets it in order, of its flow run, once", () => {
  const hub = new EventHub({ maxEvents: 100 });
  const a = flowRunEvents({ tasks: 1 });
  const b = flowRunEvents({ tasks: 1 });
  hub.publish(a);
  const seen = hub.eventId(hub.headSeq);
  const deleted = { flowRunId: a[0].flowRunId, timestamp: new Date().toISOString() };
  let notified = 0;
  hub.subscribe({ notify: () => notified++, bufferedBytes: () => 0 });
  hub.publishDeleted([deleted]);
  hub.publish(b);
  hub.publishDeleted([deleted]);
  assert.equal(notified, 2, "the same notice relayed twice is announced once");
  const resume = hub.resumePoint(seen);
  assert.ok(resume.ok);
  const read = (flowRunId?: string, wakeUpsOnly?: boolean) => {
    const result = hub.read(resume.ok ? resume.seq : 0, { flowRunId, wakeUpsOnly }, Number.POSITIVE_INFINITY);
    assert.ok(result.ok);
    return result.ok ? result.events.map((e) => [e.type, JSON.parse(e.data).id ?? JSON.parse(e.data).flowRunId]) : [];
  };
  assert.deepEqual(read(a[0].flowRunId), [["run-deleted", a[0].flowRunId]]);
  assert.deepEqual(read(), [["run-deleted", a[0].flowRunId], ...b.map((e) => ["run-event", e.id])]);
  assert.deepEqual(
    read(b[0].flowRunId),
    b.map((e) => ["run-event", e.id]),
  );
  assert.ok(
    read(undefined, true).every(([type]) => type === "run-event"),
    "deletions wake no worker",
  );
});
