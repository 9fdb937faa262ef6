// Shared by the engine's unit tests: one temporary store per test file.
import { after, before, type TestContext } from "node:test";
import { startTestHarness, type TestHarness } from "../../../engine/testing.ts";

export function useHarness(): { readonly current: TestHarness } {
  const holder = {} as { current: TestHarness };
  before(async () => {
    holder.current = await startTestHarness();
  });
  after(async () => {
    await holder.current.close();
  });
  return holder;
}

export function stateNames(runs: { name: string; state: { name: string } }[]): Record<string, string> {
  return Object.fromEntries(runs.map((run) => [run.name, run.state.name]));
}

/**
 * Moves the test's fake clock (`t.mock.timers`, enabled by the test) forward in small steps, letting the engine's
 * promises run between them: a timer the engine sets while the clock moves (a poll, a retry) fires in turn.
 */
export async function advanceClock(t: TestContext, ms: number, stepMs = 10): Promise<void> {
  for (let passed = 0; passed < ms; passed += stepMs) {
    t.mock.timers.tick(Math.min(stepMs, ms - passed));
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/**
 * Moves the fake clock forward in steps until `work` settles, and returns its result: time passes only while the
 * engine waits, however slow the machine. Gives up after `limitMs` of fake time.
 */
export async function settleWithClock<T>(t: TestContext, work: Promise<T>, stepMs = 1000, limitMs = 3_600_000) {
  let settled = false;
  const done = work.finally(() => (settled = true));
  for (let passed = 0; !settled; passed += stepMs) {
    if (passed > limitMs) throw new Error(`still waiting after ${limitMs} ms of fake time`);
    t.mock.timers.tick(stepMs);
    await new Promise((resolve) => setImmediate(resolve));
  }
  return done;
}
