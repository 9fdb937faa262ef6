import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { TaskRunStatesParams } from "../../../protocol/lsp.ts";
import { analyseSource } from "../../../language-server/discovery.ts";
import { ReportedTaskRunStates } from "../../../language-server/task-run-states.ts";
import { WorkspaceIndex } from "../../../language-server/workspace-index.ts";

const tasksFile = "/w/lib/tasks.ts";
const flowsFile = "/w/flows/etl.ts";

function workspace(): WorkspaceIndex {
  const index = new WorkspaceIndex();
  index.set(
    analyseSource(
      tasksFile,
      `import { task } from "skein";
export const fetchRows = task({ name: "extract" }, async () => [1]);
export const unused = task(async () => 0);
`,
    ),
  );
  index.set(
    analyseSource(
      flowsFile,
      `import { flow, task } from "skein";
import { fetchRows } from "../lib/tasks";
export const load = task(async (rows: number[]) => rows.length);
export const etl = flow(async () => load(await fetchRows()));
export const other = flow(async () => 1);
`,
    ),
  );
  return index;
}

const at = "2026-11-21T09:00:00.000Z";
const report = (
  states: [taskName: string, type: string, name: string][],
  flowExportPath = "etl",
): TaskRunStatesParams => ({
  flowFile: flowsFile,
  flowExportPath,
  states: states.map(([taskName, type, name]) => ({ taskName, state: { type, name, timestamp: at } })),
});

describe("reported task run states", () => {
  it("pins each state on the task the flow calls under that run-time name, in its own file", () => {
    const states = new ReportedTaskRunStates(workspace());
    assert.equal(
      states.report(
        report([
          ["extract", "COMPLETED", "Cached"],
          ["load", "FAILED", "Failed"],
        ]),
      ),
      true,
    );
    assert.deepEqual(states.lastState(tasksFile, "extract"), { type: "COMPLETED", name: "Cached", timestamp: at });
    assert.deepEqual(states.lastState(flowsFile, "load"), { type: "FAILED", name: "Failed", timestamp: at });
    assert.equal(states.lastState(flowsFile, "extract"), undefined, "extract is declared in lib/tasks.ts");
    assert.equal(states.lastState(tasksFile, "fetchRows"), undefined, "the run-time name is extract, not the variable");
  });

  it("keeps the latest report of a task", () => {
    const states = new ReportedTaskRunStates(workspace());
    states.report(report([["load", "FAILED", "Failed"]]));
    states.report(report([["load", "COMPLETED", "Completed"]]));
    assert.equal(states.lastState(flowsFile, "load")?.name, "Completed");
  });

  it("ignores tasks the flow does not call, and flows it does not know", () => {
    const states = new ReportedTaskRunStates(workspace());
    assert.equal(states.report(report([["unused", "COMPLETED", "Completed"]])), false);
    assert.equal(states.report(report([["load", "COMPLETED", "Completed"]], "missing")), false);
    assert.equal(states.report({ ...report([["load", "COMPLETED", "Completed"]]), flowFile: "/w/nowhere.ts" }), false);
    assert.equal(states.report(report([["load", "COMPLETED", "Completed"]], "other")), false, "other calls no task");
    assert.equal(states.lastState(tasksFile, "unused"), undefined);
    assert.equal(states.lastState(flowsFile, "load"), undefined);
  });

  it("ignores malformed reports whole, without throwing", () => {
    const states = new ReportedTaskRunStates(workspace());
    const valid = report([["load", "COMPLETED", "Completed"]]);
    for (const malformed of [
      null,
      "etl",
      [],
      { ...valid, flowFile: 1 },
      { ...valid, flowExportPath: undefined },
      { ...valid, states: {} },
      { ...valid, states: [...valid.states, null] },
      { ...valid, states: [...valid.states, { taskName: "load" }] },
      {
        ...valid,
        states: [...valid.states, { taskName: "load", state: { type: "COMPLETED", name: 7, timestamp: at } }],
      },
      { ...valid, states: [...valid.states, { taskName: ["load"], state: valid.states[0].state }] },
    ]) {
      assert.equal(states.report(malformed), false, JSON.stringify(malformed));
    }
    assert.equal(states.lastState(flowsFile, "load"), undefined);
    assert.equal(states.report(valid), true, "the valid report alone is taken");
  });
});
