// The state machine, pair by pair: every move between named states (and from a new run) is allowed by the rule
// written here or refused. The expected table is written out independently of protocol/states.ts, so a change to
// the rules fails this test until the expectation is changed with it.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  InvalidTransitionError,
  NEW_RUN,
  requireTransition,
  STATE_NAMES,
  TRANSITION_RULES,
  transitionRule,
  type StateName,
  type TransitionFrom,
} from "../../../protocol/states.ts";

const NAMES: StateName[] = [
  "Scheduled",
  "Late",
  "AwaitingRetry",
  "AwaitingConcurrencySlot",
  "Pending",
  "NotReady",
  "Running",
  "Retrying",
  "Completed",
  "Cached",
  "Failed",
  "TimedOut",
  "Crashed",
  "Cancelling",
  "Cancelled",
  "Paused",
];

const WHILE_RUNNING = {
  Completed: "CompleteRun",
  Failed: "FailRun",
  TimedOut: "FailRun",
  AwaitingRetry: "ScheduleRetry",
  Cancelled: "CancelRun",
  Crashed: "CrashRun",
};
const RETRIED = { AwaitingRetry: "RetryFinishedRun" };

/** For each from-state, the to-states allowed and the rule that allows each; every other pair is refused. */
const EXPECTED: Record<TransitionFrom, Partial<Record<StateName, string>>> = {
  [NEW_RUN]: { Pending: "CreateRun", Scheduled: "ScheduleRun" },
  Scheduled: {
    Late: "MarkLate",
    AwaitingConcurrencySlot: "AwaitConcurrencySlot",
    Pending: "ClaimRun",
    Cancelled: "CancelWaitingRun",
    Crashed: "CrashRun",
  },
  Late: {
    AwaitingConcurrencySlot: "AwaitConcurrencySlot",
    Pending: "ClaimRun",
    Cancelled: "CancelWaitingRun",
    Crashed: "CrashRun",
  },
  AwaitingConcurrencySlot: { Pending: "ClaimRun", Cancelled: "CancelWaitingRun", Crashed: "CrashRun" },
  AwaitingRetry: { Retrying: "StartRetry", Cancelled: "CancelRun", Crashed: "CrashRun" },
  Pending: {
    Running: "StartRun",
    Cached: "CacheHit",
    NotReady: "UpstreamNotReady",
    Failed: "RefuseStart",
    Cancelled: "CancelRun",
    Crashed: "CrashRun",
  },
  NotReady: {},
  Running: WHILE_RUNNING,
  Retrying: WHILE_RUNNING,
  Completed: {},
  Cached: {},
  Failed: RETRIED,
  TimedOut: RETRIED,
  Crashed: RETRIED,
  Cancelling: { Crashed: "CrashRun" },
  Cancelled: RETRIED,
  Paused: { Crashed: "CrashRun" },
};

describe("state machine", () => {
  test("the named states are the ones this test knows", () => {
    assert.deepEqual(Object.keys(STATE_NAMES).sort(), [...NAMES].sort());
  });

  for (const from of [NEW_RUN, ...NAMES] as TransitionFrom[]) {
    test(`from ${from}: each move is allowed by its rule or refused`, () => {
      for (const to of NAMES) {
        const expected = EXPECTED[from][to];
        assert.equal(transitionRule(from, to)?.name, expected, `${from} -> ${to}`);
        if (expected) assert.equal(requireTransition(from, to).name, expected);
        else {
          assert.throws(
            () => requireTransition(from, to),
            (error: Error) =>
              error instanceof InvalidTransitionError &&
              error.message.startsWith(`${from} -> ${to} is not an allowed transition: `),
            `${from} -> ${to} must be refused`,
          );
        }
      }
    });
  }

  test("a refusal names what is allowed instead, or that the state is final", () => {
    assert.throws(
      () => requireTransition("Completed", "Running"),
      /^InvalidTransitionError: Completed -> Running is not an allowed transition: Completed is final$/,
    );
    assert.throws(
      () => requireTransition("Failed", "Running"),
      /from Failed a run may move to AwaitingRetry \(RetryFinishedRun\)$/,
    );
  });

  test("rules have distinct names, a one-line why, and never share a move", () => {
    const names = TRANSITION_RULES.map((rule) => rule.name);
    assert.equal(new Set(names).size, names.length);
    const moves = new Map<string, string>();
    for (const rule of TRANSITION_RULES) {
      assert.match(rule.why, /^[^\n]+\.$/, rule.name);
      for (const from of rule.from)
        for (const to of rule.to) {
          const move = `${from} -> ${to}`;
          assert.equal(moves.get(move), undefined, `${move} is in ${moves.get(move)} and ${rule.name}`);
          moves.set(move, rule.name);
        }
    }
  });
});
