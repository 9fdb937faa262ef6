// Shared by the engine's unit tests: one temporary store per test file.
import { after, before } from "node:test";
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
