// For tests that run the `skein` CLI as a real child process against a temporary SKEIN_HOME, and read what it
// stored. The CLI runners themselves live in test/fixtures/built-cli.ts, shared with the server's tests.
import fs from "node:fs";
import path from "node:path";
import { SqliteStore } from "../../../store/sqlite/sqlite-store.ts";
import type { FlowRunRecord } from "../../../store/types.ts";

export { ROOT, runCli, startCli, type CliOptions, type CliResult } from "../../fixtures/built-cli.ts";
export { tempHome } from "../../fixtures/temp-home.ts";

export function openStore(home: string): SqliteStore {
  return new SqliteStore(path.join(home, "skein.db"));
}

/** Polls the store until a flow run of `flowName` satisfies `ready`. */
export async function waitForRun(
  home: string,
  flowName: string,
  ready: (run: FlowRunRecord) => boolean,
  timeoutMs = 20_000,
): Promise<FlowRunRecord> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (fs.existsSync(path.join(home, "skein.db"))) {
      const store = openStore(home);
      try {
        const [run] = await store.listFlowRuns({ flowName, limit: 1 });
        if (run && ready(run)) return run;
      } finally {
        await store.close();
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`no flow run of '${flowName}' became ready in ${timeoutMs} ms`);
}

/** Waits until the run's log contains `message` (the flow body reached that point). */
export async function waitForLog(home: string, flowRunId: string, message: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const store = openStore(home);
    try {
      if ((await store.listLogs(flowRunId)).some((log) => log.message === message)) return;
    } finally {
      await store.close();
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`log '${message}' did not appear in ${timeoutMs} ms`);
}
