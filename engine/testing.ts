// `skein/testing`: Prefect's prefect_test_harness for node:test, vitest or any runner. A harness points the engine
// at a fresh temporary SKEIN_HOME, so each test session has its own store, and reads back what runs recorded.
//
//   import { before, after, test } from "node:test";
//   import { startTestHarness } from "skein/testing";
//   let harness; before(async () => (harness = await startTestHarness())); after(() => harness.close());
//   test("etl completes", async () => {
//     const state = await runFlow(etl, ["2024-01-01"], { returnState: true });
//     assert.equal(state.type, "COMPLETED");
//     assert.deepEqual((await harness.taskRuns(state.runId)).map((t) => t.state.name), ["Completed", "Completed"]);
//   });
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { closeRuntime, flushEvents, getStore } from "./runtime.ts";
import { claimRunOutput } from "./logging.ts";
import type { ArtifactRecord, FlowRunRecord, LogRecord, StateRecord, Store, TaskRunRecord } from "../store/types.ts";

export interface TestHarness {
  /** The temporary SKEIN_HOME. */
  readonly home: string;
  readonly store: Store;
  /** Flow runs, newest first (events are flushed first, so what ran is there). */
  flowRuns(flowName?: string): Promise<FlowRunRecord[]>;
  taskRuns(flowRunId: string): Promise<TaskRunRecord[]>;
  states(runId: string): Promise<StateRecord[]>;
  logs(flowRunId: string): Promise<LogRecord[]>;
  artifacts(flowRunId: string): Promise<ArtifactRecord[]>;
  /** Restores SKEIN_HOME and deletes the temporary store. */
  close(): Promise<void>;
}

export async function startTestHarness(): Promise<TestHarness> {
  const previous = { SKEIN_HOME: process.env.SKEIN_HOME, SKEIN_API_URL: process.env.SKEIN_API_URL };
  claimRunOutput(); // tests read runs from the store; they do not print run lines
  await closeRuntime();
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "skein-test-"));
  process.env.SKEIN_HOME = home;
  // A test session never reports to a real server: its store is the temporary one.
  delete process.env.SKEIN_API_URL;
  const read = async <T>(query: (store: Store) => Promise<T>): Promise<T> => {
    await flushEvents();
    return query(getStore());
  };
  return {
    home,
    get store() {
      return getStore();
    },
    flowRuns: (flowName) => read((s) => s.listFlowRuns({ flowName, limit: 1000 })),
    taskRuns: (id) => read((s) => s.listTaskRuns(id)),
    states: (id) => read((s) => s.listStates(id)),
    logs: (id) => read((s) => s.listLogs(id)),
    artifacts: (id) => read((s) => s.listArtifacts(id)),
    async close() {
      await closeRuntime();
      for (const [name, value] of Object.entries(previous)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
      fs.rmSync(home, { recursive: true, force: true });
    },
  };
}

/** Runs `work` inside a fresh harness and closes it afterwards. */
export async function withTestHarness<T>(work: (harness: TestHarness) => Promise<T>): Promise<T> {
  const harness = await startTestHarness();
  try {
    return await work(harness);
  } finally {
    await harness.close();
  }
}
