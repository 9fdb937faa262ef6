// Completion, hover and go-to-definition in skein.yaml; workspace symbols and hovers for flows and tasks.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import type { Hover, Location } from "vscode-languageserver-protocol";
import { fileUri, LspTestClient } from "./lsp-test-client.ts";

const project = path.resolve(import.meta.dirname, "../../fixtures/language-server/etl-project");
const yamlFile = path.join(project, "skein.yaml");
const markdown = (hover: Hover | null) => (hover?.contents as { value: string } | undefined)?.value ?? "";

/** The position just after `marker` on the line of `text` that contains it. */
function after_(text: string, marker: string) {
  const lines = text.split("\n");
  const line = lines.findIndex((l) => l.includes(marker));
  assert.ok(line >= 0, `marker ${marker} not found`);
  return { line, character: lines[line].indexOf(marker) + marker.length };
}

describe("navigation over IPC", () => {
  let client: LspTestClient;
  before(async () => {
    client = await LspTestClient.start({ roots: [project] });
    await client.indexReady;
  });
  after(() => client.stop());

  it("completes entrypoints with every exported flow, relative to skein.yaml", async () => {
    const text = "deployments:\n  - name: new\n    entrypoint: fl\n";
    const uri = client.open(yamlFile, text);
    const items = await client.completion(uri, after_(text, "entrypoint: fl"));
    assert.deepEqual(items.map((item) => item.label).sort(), [
      "flows/etl.ts:etl",
      "flows/mistakes.ts:users",
      "flows/pipelines.ts:Pipelines.nightly",
      "flows/pipelines.ts:Pipelines.sync",
      "flows/variants.ts:report",
      "flows/variants.ts:tidy",
    ]);
    const etl = items.find((item) => item.label === "flows/etl.ts:etl")!;
    assert.deepEqual((etl.textEdit as { range: unknown }).range, {
      start: { line: 2, character: 16 },
      end: { line: 2, character: 18 },
    });
    client.close(uri);
  });

  it("completes the parameter names of the deployment's flow, leaving out those already given", async () => {
    const text =
      "deployments:\n  - name: nightly\n    entrypoint: flows/etl.ts:etl\n    parameters:\n      date: x\n      \n";
    const uri = client.open(yamlFile, text);
    const items = await client.completion(uri, { line: 5, character: 6 });
    assert.deepEqual(
      items.map((item) => item.label),
      ["window", "mode", "limit", "dryRun"],
    );
    assert.equal(items[0].detail, "Window");
    client.close(uri);
  });

  it("completes the keys of a deployment", async () => {
    const text = "deployments:\n  - name: nightly\n    sch\n";
    const uri = client.open(yamlFile, text);
    const labels = (await client.completion(uri, { line: 2, character: 7 })).map((item) => item.label);
    assert.ok(labels.includes("schedules") && labels.includes("work_pool") && labels.includes("entrypoint"));
    client.close(uri);
  });

  it("hovers an entrypoint with the flow's signature and jumps to its declaration", async () => {
    const text = "deployments:\n  - name: nightly\n    entrypoint: flows/etl.ts:etl\n";
    const uri = client.open(yamlFile, text);
    const hover = await client.hover(uri, { line: 2, character: 20 });
    assert.match(
      markdown(hover),
      /flow etl\(date: string, window: Window, mode: Mode = Mode\.Full, limit\?: number, dryRun = false\)/,
    );
    assert.match(markdown(hover), /Calls `extract` → `transform`/);
    const definition = (await client.definition(uri, { line: 2, character: 20 })) as Location;
    assert.equal(definition.uri, fileUri(path.join(project, "flows/etl.ts")));
    const lines = fs.readFileSync(path.join(project, "flows/etl.ts"), "utf8").split("\n");
    assert.equal(
      lines[definition.range.start.line].slice(definition.range.start.character, definition.range.end.character),
      "etl",
    );
    assert.equal(await client.hover(uri, { line: 1, character: 12 }), null);
    client.close(uri);
  });

  it("hovers a schedule with its next five runs in its zone, the cron in words and the OCPS version", async () => {
    const text =
      'deployments:\n  - name: nightly\n    entrypoint: flows/etl.ts:etl\n    schedules:\n      - cron: "30 2 * * *"\n        timezone: Europe/Paris\n';
    const uri = client.open(yamlFile, text);
    const value = markdown(await client.hover(uri, { line: 4, character: 16 }));
    assert.match(value, /\*\*At 02:30, every day\*\* \(Europe\/Paris\)/);
    // Five runs; one of them may be moved by a daylight-saving change, and then carries a note.
    assert.equal((value.match(/^- \w{3} \d{4}-\d\d-\d\d \d\d:\d\d \(UTC\+0[12]:00\)/gm) ?? []).length, 5);
    assert.match(value, /Open Cron Pattern Specification \(OCPS\) 1\.4/);
    client.close(uri);
  });

  it("lists flows and tasks as workspace symbols", async () => {
    const symbols = await client.workspaceSymbols("");
    assert.deepEqual(
      symbols.map((s) => s.name).sort(),
      [
        "clean",
        "etl",
        "etl",
        "extract",
        "instance-sync",
        "internal",
        "load",
        "load2",
        "nightly",
        "tidy",
        "transform",
        "weekly-report",
        "fetchUser",
      ].sort(),
    );
    const report = (await client.workspaceSymbols("weekly"))[0];
    assert.equal(report.location.uri, fileUri(path.join(project, "flows/variants.ts")));
    assert.match(report.containerName ?? "", /flow report/);
  });

  it("hovers a task's declaration with an options summary, and a call to it inside a flow", async () => {
    const file = path.join(project, "flows/etl.ts");
    const text = fs.readFileSync(file, "utf8");
    const uri = client.open(file, text);
    const declaration = markdown(await client.hover(uri, after_(text, "export const extr")));
    assert.match(declaration, /\*\*Task `extract`\*\*/);
    assert.match(declaration, /\| retries \| `3` \|/);
    assert.match(declaration, /\| retryDelaySeconds \| `\[1, 5, 10\]` \|/);
    const call = markdown(await client.hover(uri, after_(text, "await extr")));
    assert.match(call, /task extract\(date: string\)/);
    assert.equal(await client.hover(uri, { line: 0, character: 3 }), null);
  });
});
