import { test } from "node:test";
import assert from "node:assert/strict";
import type * as vscodeApi from "vscode";
import { startWorkerTerminal } from "../../../../extension/deployments/worker-terminal.ts";
import { fakeVscode } from "../../../fixtures/extension/fake-vscode.ts";

test("Start Worker runs `skein worker start --pool P` as the process of a named terminal, once per pool", async () => {
  const created: vscodeApi.TerminalOptions[] = [];
  const terminals: { name: string; exitStatus: undefined; shown: number; show(): void }[] = [];
  const vscode = {
    ...fakeVscode().api,
    window: {
      terminals,
      createTerminal(options: vscodeApi.TerminalOptions) {
        created.push(options);
        const terminal = {
          name: options.name ?? "",
          exitStatus: undefined,
          shown: 0,
          show() {
            this.shown++;
          },
        };
        terminals.push(terminal);
        return terminal;
      },
    },
  } as unknown as typeof vscodeApi;
  const cli = {
    cliPath: "/ext/dist/engine/cli.mjs",
    runtime: async () => ({
      command: "/electron",
      env: { ELECTRON_RUN_AS_NODE: "1", SKEIN_HOME: "/h" },
      version: "24.0.0",
    }),
  };
  await startWorkerTerminal(vscode, cli, "etl", "/ws");
  assert.equal(created.length, 1);
  const [options] = created;
  assert.equal(options.name, "Skein worker: etl");
  assert.equal(options.cwd, "/ws", "entrypoints are relative to the workspace folder");
  assert.equal(options.shellPath, "/electron");
  assert.deepEqual(options.shellArgs, ["/ext/dist/engine/cli.mjs", "worker", "start", "--pool", "etl"]);
  assert.deepEqual(options.env, { ELECTRON_RUN_AS_NODE: "1", SKEIN_HOME: "/h" });
  await startWorkerTerminal(vscode, cli, "etl", "/ws");
  assert.equal(created.length, 1, "a running worker terminal of the pool is shown, not doubled");
  assert.equal(terminals[0].shown, 2);
});
