// A store's crash sweep ends a dead flow run Crashed only when the state table lets its state end that way, and
// names the rule's refusal when asked to crash a finished one.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { InvalidTransitionError, type StateName } from "../../../protocol/states.ts";
import { crashedEvent, crashedEventsForDeadRun, deadRuns, type OpenRunRow } from "../../../store/liveness.ts";

/** A run on another machine whose heartbeat stopped long ago: gone by the heartbeat rule, no pid check. */
function deadRow(id: string, state: StateName): OpenRunRow {
  return {
    id,
    pid: 4242,
    host: "another-machine",
    heartbeat_at: "2026-01-01T00:00:00.000Z",
    state_name: state,
    state_timestamp: "2026-01-01T00:00:00.000Z",
  };
}

describe("crash sweep", () => {
  test("crashes dead runs in unfinished states only", () => {
    const rows = (["Running", "Pending", "AwaitingRetry", "Completed", "Failed"] as StateName[]).map((state) =>
      deadRow(state, state),
    );
    const dead = deadRuns(rows, Date.parse("2026-01-02T00:00:00.000Z"));
    const events = dead.flatMap((run) => crashedEventsForDeadRun(run, []));
    assert.deepEqual(
      events.map((event) => event.kind === "state" && [event.runId, event.state.type, event.state.name]),
      [
        ["Running", "CRASHED", "Crashed"],
        ["Pending", "CRASHED", "Crashed"],
        ["AwaitingRetry", "CRASHED", "Crashed"],
      ],
    );
  });

  test("a Crashed event for a finished run is refused by the table", () => {
    const from = { name: "Completed" as const, timestamp: "2026-01-01T00:00:00.000Z" };
    assert.throws(
      () => crashedEvent("f", "f", "flow", from, from.timestamp, "gone"),
      (error: Error) => error instanceof InvalidTransitionError && /Completed -> Crashed/.test(error.message),
    );
  });
});
