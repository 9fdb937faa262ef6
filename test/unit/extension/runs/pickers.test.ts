import { test } from "node:test";
import assert from "node:assert/strict";
import { flowRunIdOf, isFlowLensArgs, taskRunIdOf } from "../../../../extension/command-arguments.ts";
import { pickFlow, pickFlowRun } from "../../../../extension/runs/pickers.ts";
import type { FlowRunSummary, RunCatalog } from "../../../../extension/runs/run-catalog.ts";
import { createRunLogWriter, levelOf, logChannelRunLog } from "../../../../extension/runs/run-log.ts";
import type { FlowLensArgs } from "../../../../protocol/lsp.ts";
import { fakeVscode } from "../../../fixtures/extension/fake-vscode.ts";

const hello: FlowLensArgs = {
  file: "/ws/hello.ts",
  exportPath: "hello",
  flowName: "hello",
  parameterSchema: { type: "object", properties: {} },
  entrypoint: "hello.ts:hello",
};

test("a palette call (no argument, or not a lens's flow) is told from a lens's", () => {
  assert.equal(isFlowLensArgs(undefined), false);
  assert.equal(isFlowLensArgs({ flowName: "x" }), false);
  assert.equal(isFlowLensArgs(hello), true);
});

test("run ids come from a string or an object carrying them", () => {
  assert.equal(flowRunIdOf("f1"), "f1");
  assert.equal(flowRunIdOf({ flowRunId: "f2" }), "f2");
  assert.equal(flowRunIdOf({}), undefined);
  assert.equal(flowRunIdOf(undefined), undefined);
  assert.equal(taskRunIdOf({ taskRunId: "t1", flowRunId: "f1" }), "t1");
});

test("the flow picker lists the language server's flows and returns the picked one", async () => {
  const fake = fakeVscode();
  fake.quickPick = (items) => items.find((item) => item.label === "hello");
  assert.deepEqual(await pickFlow(fake.api, async () => [hello], "Run"), hello);
  assert.equal(await pickFlow(fake.api, async () => [], "Run"), undefined);
  assert.match(fake.messages[0], /no exported flow/);
});

function catalogOf(flowRuns: RunCatalog["flowRuns"]): RunCatalog {
  return { flowRuns, taskRuns: async () => [], taskRunInputs: async () => undefined };
}

test("every command's run picker offers the runs in the states it applies to, with state, timing and id", async () => {
  const fake = fakeVscode();
  const asked: (string[] | undefined)[] = [];
  const failed: FlowRunSummary = {
    id: "f1",
    name: "brave-fox",
    flowName: "etl",
    state: { type: "FAILED", name: "Failed", timestamp: "2026-11-21T09:00:04.000Z", message: "boom" },
    createdAt: "2026-11-21T09:00:00.000Z",
  };
  let offered: { label: string; description?: string; detail?: string }[] = [];
  fake.quickPick = (items) => {
    offered = items;
    return items[0];
  };
  const catalog = catalogOf(async (states) => {
    asked.push(states);
    return [failed];
  });
  assert.equal(await pickFlowRun(fake.api, catalog, { title: "Retry", stateTypes: ["FAILED", "CRASHED"] }), failed);
  assert.deepEqual(asked, [["FAILED", "CRASHED"]]);
  assert.equal(offered[0].label, "etl / brave-fox");
  assert.match(offered[0].description ?? "", /^Failed · .* · 4(\.0)?s$/);
  assert.equal(offered[0].detail, "f1 · boom");
});

test("the run picker says why it offers nothing: no run in those states, or the listing failed", async () => {
  const fake = fakeVscode();
  assert.equal(
    await pickFlowRun(
      fake.api,
      catalogOf(async () => []),
      { title: "Cancel", stateTypes: ["RUNNING"] },
    ),
    undefined,
  );
  assert.match(fake.messages.at(-1) ?? "", /Cancel: no flow run is running/);
  const down = catalogOf(async () => {
    throw new Error("connect ECONNREFUSED 127.0.0.1:4200");
  });
  assert.equal(await pickFlowRun(fake.api, down, { title: "Open" }), undefined);
  assert.match(fake.messages.at(-1) ?? "", /Open: could not list the runs: connect ECONNREFUSED/);
});

test("run log lines keep their level: warnings warn, errors and critical are errors, failures too", () => {
  const calls: string[] = [];
  const channel = {
    debug: (m: string) => calls.push(`debug ${m}`),
    info: (m: string) => calls.push(`info ${m}`),
    warn: (m: string) => calls.push(`warn ${m}`),
    error: (m: string) => calls.push(`error ${m}`),
  };
  const log = logChannelRunLog(channel);
  for (const level of ["debug", "info", "warning", "error", "critical"] as const) log.write(level, level);
  assert.deepEqual(calls, ["debug debug", "info info", "warn warning", "error error", "error critical"]);
  const at = "2026-11-21T09:00:00.000Z";
  const failed = { type: "FAILED", name: "Failed", timestamp: at } as const;
  assert.equal(
    levelOf({ kind: "state", id: "e", timestamp: at, flowRunId: "f", runKind: "task", runId: "t", state: failed }),
    "error",
  );
});

test("the log channel gets each event's message without the time and level it stamps itself; the outcome keeps them", () => {
  const logged: string[] = [];
  const write = createRunLogWriter({ write: (level, line) => logged.push(`${level}: ${line}`) });
  const at = "2026-11-21T09:00:00.123Z";
  const lines = write(
    { kind: "log", id: "e", timestamp: at, flowRunId: "f", level: "warning", logger: "x", message: "low disk" },
    "f",
  );
  assert.deepEqual(logged, ["warning: f - low disk"]);
  assert.deepEqual(lines, ["09:00:00.123 | WARNING  | f - low disk"]);
});
