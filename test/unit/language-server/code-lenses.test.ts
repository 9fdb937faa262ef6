import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { LensCommands } from "../../../protocol/lsp.ts";
import { codeLensesFor } from "../../../language-server/code-lenses.ts";
import { analyseSource } from "../../../language-server/discovery.ts";
import type { TaskRunStateSource } from "../../../language-server/task-run-states.ts";
import { WorkspaceIndex } from "../../../language-server/workspace-index.ts";

const file = "/w/flows/etl.ts";
const index = new WorkspaceIndex();
index.set(
  analyseSource(
    file,
    `import { flow, task } from "skein";
export const load = task({ name: "load" }, async () => 1);
export const etl = flow(async () => load());
const hidden = flow(async () => 1);
`,
  ),
);
const noStates: TaskRunStateSource = { lastState: () => undefined };

describe("code lenses", () => {
  it("shows a task's last run state when the state source knows it", () => {
    const states: TaskRunStateSource = {
      lastState: (_, name) => (name === "load" ? { type: "COMPLETED", name: "Cached" } : undefined),
    };
    const lenses = codeLensesFor(index, file, ["/w"], states);
    assert.deepEqual(
      lenses.map((lens) => [lens.range.start.line, lens.command?.title]),
      [
        [1, "$(pass) Last run: Cached"],
        [2, "$(play) Run"],
        [2, "$(debug-alt) Debug"],
        [2, "Run with parameters…"],
        [2, "Debug with parameters…"],
        [2, "$(cloud-upload) Deploy"],
      ],
    );
  });

  it("marks a failed last run, and the lens runs nothing", () => {
    const states: TaskRunStateSource = { lastState: () => ({ type: "FAILED", name: "TimedOut" }) };
    const [taskLens] = codeLensesFor(index, file, ["/w"], states);
    assert.deepEqual(taskLens.command, { title: "$(error) Last run: TimedOut", command: "" });
  });

  it("puts nothing over tasks without state, nor over unexported flows", () => {
    const lenses = codeLensesFor(index, file, ["/w"], noStates);
    assert.deepEqual(
      lenses.map((lens) => lens.command?.command),
      [
        LensCommands.run,
        LensCommands.debug,
        LensCommands.runWithParameters,
        LensCommands.debugWithParameters,
        LensCommands.deploy,
      ],
    );
    assert.deepEqual(lenses[0].command?.arguments?.[0], {
      file,
      exportPath: "etl",
      flowName: "etl",
      entrypoint: "flows/etl.ts:etl",
      parameterSchema: { type: "object", properties: {} },
    });
  });
});
