import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import type { Diagnostic } from "vscode-languageserver-protocol";
import { fileUri, LspTestClient } from "./lsp-test-client.ts";

const project = path.resolve(import.meta.dirname, "../../fixtures/language-server/etl-project");
const source = (name: string) => fs.readFileSync(path.join(project, name), "utf8");

/** The text a diagnostic's range covers in `text`. */
function covered(text: string, diagnostic: Diagnostic): string {
  const lines = text.split("\n");
  const { start, end } = diagnostic.range;
  if (start.line === end.line) return lines[start.line].slice(start.character, end.character);
  return [
    lines[start.line].slice(start.character),
    ...lines.slice(start.line + 1, end.line),
    lines[end.line].slice(0, end.character),
  ].join("\n");
}

const byCode = (diagnostics: Diagnostic[], code: string) =>
  diagnostics.filter((diagnostic) => diagnostic.code === code);

describe("diagnostics in flow code over IPC", () => {
  let client: LspTestClient;
  before(async () => {
    client = await LspTestClient.start({ roots: [project] });
    await client.indexReady;
  });
  after(() => client.stop());

  it("reports invalid option values at the value, saying the fix", async () => {
    const text = source("flows/mistakes.ts");
    const diagnostics = await client.waitForDiagnostics(
      fileUri(path.join(project, "flows/mistakes.ts")),
      (list) => list.length > 0,
    );
    assert.equal(covered(text, byCode(diagnostics, "invalid-retries")[0]), "-1");
    assert.match(byCode(diagnostics, "invalid-retries")[0].message, /≥ 0.*use 0 for no retries/);
    assert.equal(covered(text, byCode(diagnostics, "invalid-jitter")[0]), "-0.5");
    assert.equal(covered(text, byCode(diagnostics, "invalid-timeout")[0]), "0");
  });

  it("reports a run-name template naming a missing parameter", async () => {
    const text = source("flows/mistakes.ts");
    const [diagnostic] = byCode(
      await client.waitForDiagnostics(fileUri(path.join(project, "flows/mistakes.ts")), (l) => l.length > 0),
      "unknown-template-parameter",
    );
    assert.equal(covered(text, diagnostic), "{day}");
    assert.match(diagnostic.message, /\{ids\}/);
  });

  it("reports a task called outside any flow", async () => {
    const text = source("flows/mistakes.ts");
    const [diagnostic] = byCode(
      await client.waitForDiagnostics(fileUri(path.join(project, "flows/mistakes.ts")), (l) => l.length > 0),
      "task-outside-flow",
    );
    assert.equal(covered(text, diagnostic), "fetchUser");
    assert.equal(text.split("\n")[diagnostic.range.start.line], `const warmUp = await fetchUser("admin");`);
    assert.match(diagnostic.message, /fetchUser\.fn\(/);
  });

  it("reports two flows with the same name, in both files", async () => {
    for (const [file, range] of [
      ["flows/mistakes.ts", `"etl"`],
      ["flows/etl.ts", `"etl"`],
    ]) {
      const diagnostics = await client.waitForDiagnostics(
        fileUri(path.join(project, file)),
        (l) => byCode(l, "duplicate-flow-name").length > 0,
      );
      const [duplicate] = byCode(diagnostics, "duplicate-flow-name");
      assert.equal(covered(source(file), duplicate), range);
      assert.match(duplicate.message, /also used by (etl|mistakes)\.ts:\d+/);
    }
  });

  it("reports function parameters on a flow that skein.yaml deploys", async () => {
    const text = source("flows/pipelines.ts");
    const diagnostics = await client.waitForDiagnostics(
      fileUri(path.join(project, "flows/pipelines.ts")),
      (l) => byCode(l, "parameter-not-serializable").length > 0,
    );
    const [diagnostic] = byCode(diagnostics, "parameter-not-serializable");
    assert.equal(covered(text, diagnostic), "callback: (n: number) => void");
    assert.match(diagnostic.message, /'sync'/);
  });

  it("clears a diagnostic once the code is fixed, and tells unexported flows apart", async () => {
    const file = path.join(project, "flows/mistakes.ts");
    const uri = client.open(file, source("flows/mistakes.ts"));
    client.change(uri, source("flows/mistakes.ts").replace("retries: -1", "retries: 2"));
    const diagnostics = await client.waitForDiagnostics(uri, (l) => byCode(l, "invalid-retries").length === 0);
    assert.equal(byCode(diagnostics, "invalid-jitter").length, 1);
    const variants = await client.waitForDiagnostics(
      fileUri(path.join(project, "flows/variants.ts")),
      (l) => l.length > 0,
    );
    assert.deepEqual(
      variants.map((d) => d.code),
      ["flow-not-exported"],
    );
    client.close(uri);
  });

  it("publishes nothing for files without mistakes", async () => {
    await client.waitForDiagnostics(fileUri(path.join(project, "flows/variants.ts")), (l) => l.length > 0);
    assert.equal(client.diagnostics.get(fileUri(path.join(project, "lib/loaders.ts"))), undefined);
  });
});
