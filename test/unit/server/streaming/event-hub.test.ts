import { test } from "node:test";
import assert from "node:assert/strict";
import { EventHub } from "../../../../server/streaming/event-hub.ts";
import { flowRunEvents } from "../../../fixtures/server/events.ts";

test("a subscriber resuming from an id gets exactly the events after it, of its flow run", () => {
  const hub = new EventHub(100);
  const a = flowRunEvents({ tasks: 1 });
  const b = flowRunEvents({ tasks: 1 });
  hub.publish(a.slice(0, 2));
  const seen: string[] = [];
  hub.subscribe({}, (events) => seen.push(...events.map((e) => hub.eventId(e.seq))));
  hub.publish([...a.slice(2), ...b]);
  const resume = hub.resumeFrom(seen[0], { flowRunId: b[0].flowRunId });
  assert.ok(resume.ok);
  if (resume.ok)
    assert.deepEqual(
      resume.missed.map((e) => e.event.id),
      b.map((e) => e.id),
    );
});

test("an event published twice (a client's retry) is streamed once", () => {
  const hub = new EventHub(100);
  const events = flowRunEvents({ tasks: 2 });
  let delivered = 0;
  hub.subscribe({}, (batch) => (delivered += batch.length));
  hub.publish(events);
  hub.publish(events);
  assert.equal(delivered, events.length);
});

test("an id from another server epoch or older than the ring asks the client to reload", () => {
  const hub = new EventHub(5);
  const events = flowRunEvents({ tasks: 3 });
  hub.publish(events);
  const other = new EventHub(5);
  assert.equal(hub.resumeFrom(other.eventId(1), {}).ok, false);
  assert.equal(hub.resumeFrom(hub.eventId(1), {}).ok, false, "event 2.. fell out of a ring of 5");
  assert.equal(hub.resumeFrom("garbage", {}).ok, false);
  const recent = hub.resumeFrom(hub.eventId(events.length - 1), {});
  assert.ok(recent.ok && recent.missed.length === 1);
});
