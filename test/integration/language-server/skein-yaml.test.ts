import assert from "node:assert/strict";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import type { Diagnostic } from "vscode-languageserver-protocol";
import { LspTestClient } from "./lsp-test-client.ts";

const project = path.resolve(import.meta.dirname, "../../fixtures/language-server/etl-project");
const yamlFile = path.join(project, "skein.yaml");

function covered(text: string, diagnostic: Diagnostic): string {
  const { start, end } = diagnostic.range;
  assert.equal(start.line, end.line, `one-line range expected for ${diagnostic.message}`);
  return text.split("\n")[start.line].slice(start.character, end.character);
}

/** skein.yaml text with one deployment of flows/etl.ts:etl and the given extra lines for that deployment. */
const deployment = (...lines: string[]) =>
  [
    "deployments:",
    "  - name: nightly",
    "    entrypoint: flows/etl.ts:etl",
    "    parameters:",
    '      date: "2026-01-01"',
    '      window: { from: "2026-01-01T00:00:00Z", region: eu }',
    ...lines.map((l) => `    ${l}`),
    "",
  ].join("\n");

describe("skein.yaml validation over IPC", () => {
  let client: LspTestClient;
  let uri: string;
  /** Replaces the yaml text and returns the diagnostics of that version. */
  const diagnose = async (text: string) => {
    const diagnostics = await client.diagnosticsOfVersion(uri, client.change(uri, text));
    return { text, diagnostics, find: (c: string) => diagnostics.filter((d) => d.code === c) };
  };

  before(async () => {
    // No server anywhere: an empty SKEIN_HOME and no SKEIN_API_URL, whatever the machine runs.
    const home = fs.mkdtempSync(path.join(os.tmpdir(), "skein-ls-home-"));
    client = await LspTestClient.start({ roots: [project], env: { SKEIN_HOME: home, SKEIN_API_URL: "" } });
    await client.indexReady;
    uri = client.open(yamlFile, deployment());
  });
  after(() => client.stop());

  it("accepts the fixture project's file apart from the unverifiable pool", async () => {
    const { diagnostics } = await diagnose(deployment("work_pool: { name: default-pool }"));
    assert.deepEqual(
      diagnostics.map((d) => d.code),
      ["unverified-work-pool"],
    );
    assert.match(diagnostics[0].message, /could not be verified: no Skein server is running/);
    assert.equal(diagnostics[0].severity, 2);
  });

  it("reports YAML syntax errors at their place", async () => {
    const text = "deployments:\n  - name: a\n    entrypoint: [unclosed\n";
    const { diagnostics } = await diagnose(text);
    assert.ok(diagnostics.length > 0);
    assert.ok(diagnostics.every((d) => d.range.start.line >= 2 && d.message.startsWith("YAML:")));
  });

  it("names unknown keys and suggests the right one", async () => {
    const { text, find } = await diagnose(deployment("descripton: nightly load"));
    const [unknown] = find("schema-additionalProperties");
    assert.equal(covered(text, unknown), "descripton");
    assert.match(unknown.message, /Did you mean 'description'\?/);
  });

  it("checks that the entrypoint's file exists and names a flow, suggesting close names", async () => {
    let result = await diagnose(deployment().replace("flows/etl.ts:etl", "flows/etl.ts:etll"));
    let [problem] = result.find("invalid-entrypoint");
    assert.equal(covered(result.text, problem), "flows/etl.ts:etll");
    assert.match(problem.message, /no exported flow 'etll'\. Did you mean 'etl'\?/);

    result = await diagnose(deployment().replace("flows/etl.ts:etl", "flow/etl.ts:etl"));
    [problem] = result.find("invalid-entrypoint");
    assert.match(problem.message, /No file 'flow\/etl\.ts'.*Did you mean 'flows\/etl\.ts'/);

    result = await diagnose(deployment().replace("flows/etl.ts:etl", "flows/etl.ts:extract"));
    assert.match(result.find("invalid-entrypoint")[0].message, /is a task, not a flow/);
  });

  it("offers the suggestions as quick fixes that replace the mistaken text", async () => {
    const text = deployment(
      "descripton: x",
      "schedules:",
      '  - cron: "0 3 * * *"',
      "    timezone: Europe/Pariss",
    ).replace("flows/etl.ts:etl", "flows/etl.ts:etll");
    const { diagnostics } = await diagnose(text);
    const actions: {
      title: string;
      isPreferred?: boolean;
      edit: { changes: Record<string, { range: unknown; newText: string }[]> };
    }[] = await client.connection.sendRequest("textDocument/codeAction", {
      textDocument: { uri },
      range: diagnostics[0].range,
      context: { diagnostics },
    });
    const preferred = actions.filter((action) => action.isPreferred).map((action) => action.title);
    assert.deepEqual(preferred.sort(), [
      "Change to 'Europe/Paris'",
      "Change to 'description'",
      "Change to 'flows/etl.ts:etl'",
    ]);
    const fix = actions.find((action) => action.title === "Change to 'flows/etl.ts:etl'")!;
    const [change] = fix.edit.changes[uri];
    assert.deepEqual(change.range, diagnostics.find((d) => d.code === "invalid-entrypoint")!.range);
  });

  it("checks parameters against the flow's schema: unknown, missing, wrong type", async () => {
    const text = [
      "deployments:",
      "  - name: nightly",
      "    entrypoint: flows/etl.ts:etl",
      "    parameters:",
      "      date: 20260101",
      "      windw: {}",
      "      mode: fast",
      "",
    ].join("\n");
    const { find } = await diagnose(text);
    const [unknown] = find("unknown-parameter");
    assert.equal(covered(text, unknown), "windw");
    assert.match(unknown.message, /Did you mean 'window'\?/);
    const wrong = find("wrong-parameter-type");
    assert.deepEqual(
      wrong.map((d) => covered(text, d)),
      ["20260101", "fast"],
    );
    assert.match(wrong[1].message, /one of "full", "delta"/);
    const [missing] = find("missing-parameter");
    assert.match(missing.message, /requires parameter 'window'/);
    assert.equal(covered(text, missing), "parameters");
  });

  it("checks nested parameter values down to the offending field", async () => {
    const { text, find } = await diagnose(deployment().replace("region: eu", "region: asia"));
    const [wrong] = find("wrong-parameter-type");
    assert.equal(covered(text, wrong), "asia");
    assert.match(wrong.message, /window\.region' must be one of "eu", "us"/);
  });

  it("explains invalid cron expressions and time zones", async () => {
    const { text, find } = await diagnose(
      deployment("schedules:", '  - cron: "61 3 * * *"', "    timezone: Europe/Pariss", '  - cron: "0 0 31 2 *"'),
    );
    const crons = find("invalid-cron");
    assert.equal(covered(text, crons[0]), `"61 3 * * *"`);
    assert.match(crons[0].message, /Invalid value for minute: 61/);
    const [never] = find("cron-never-fires");
    assert.equal(never.severity, 2, "OCPS keeps impossible dates valid: a warning, not an error");
    const [zone] = find("invalid-timezone");
    assert.equal(covered(text, zone), "Europe/Pariss");
    assert.match(zone.message, /Did you mean 'Europe\/Paris'/);
  });

  it("rejects schedule with schedules, non-positive intervals and duplicate names", async () => {
    const text = `${deployment("schedule: { interval: 60 }", "schedules:", "  - interval: 0")}  - name: nightly\n    entrypoint: flows/variants.ts:report\n`;
    const { find } = await diagnose(text);
    assert.equal(covered(text, find("schedule-and-schedules")[0]), "schedule");
    assert.equal(covered(text, find("schema-exclusiveMinimum")[0]), "0");
    const [duplicate] = find("duplicate-deployment");
    assert.equal(duplicate.range.start.line, text.split("\n").lastIndexOf("  - name: nightly"));
    assert.match(duplicate.message, /already used on line 2/);
  });

  it("survives an alias bomb with a located error", async () => {
    const bomb = [
      "a: &a [x, x, x, x, x, x, x, x, x]",
      ...Array.from(
        { length: 8 },
        (_, i) =>
          `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(9)
            .fill(`*${String.fromCharCode(97 + i)}`)
            .join(", ")}]`,
      ),
      "",
    ].join("\n");
    const { diagnostics } = await diagnose(bomb);
    assert.equal(diagnostics[0].range.start.line, 0);
  });
});

describe("work pools known to a reachable server", () => {
  let client: LspTestClient;
  let server: http.Server;
  let uri: string;
  const pools = [{ name: "default-pool" }, { name: "gpu-pool" }];
  before(async () => {
    server = http.createServer((request, response) => {
      response.setHeader("content-type", "application/json");
      response.end(request.url === "/api/work-pools" ? JSON.stringify(pools) : "[]");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    client = await LspTestClient.start({ roots: [project], env: { SKEIN_API_URL: `http://127.0.0.1:${port}` } });
    await client.indexReady;
  });
  after(async () => {
    await client.stop();
    server.close();
  });

  it("reports a pool the server does not know, and completes known ones", async () => {
    const text = deployment("work_pool:", "  name: gpu-pol", "bogus: 1");
    uri = client.open(yamlFile, text);
    const diagnostics = await client.waitForDiagnostics(uri, (list) =>
      list.some((d) => d.code === "unknown-work-pool"),
    );
    const [unknown] = diagnostics.filter((d) => d.code === "unknown-work-pool");
    assert.equal(covered(text, unknown), "gpu-pol");
    assert.match(unknown.message, /Did you mean 'gpu-pool'\?/);
    const line = text.split("\n").findIndex((l) => l.includes("gpu-pol"));
    const items = await client.completion(uri, { line, character: text.split("\n")[line].length });
    assert.deepEqual(
      items.map((item) => item.label),
      ["default-pool", "gpu-pool"],
    );
  });

  it("says nothing about pools once the name is known", async () => {
    const text = deployment("work_pool:", "  name: gpu-pool", "bogus: 1");
    client.change(uri, text);
    const diagnostics = await client.waitForDiagnostics(
      uri,
      (list) => !list.some((d) => d.code === "unknown-work-pool"),
    );
    assert.deepEqual(
      diagnostics.map((d) => d.code),
      ["schema-additionalProperties"],
    );
  });

  it("forgets its pool list when the extension says a pool was created, and checks again at once", async () => {
    const text = deployment("work_pool:", "  name: fresh-pool", "bogus: 1");
    client.change(uri, text);
    await client.waitForDiagnostics(uri, (list) => list.some((d) => d.code === "unknown-work-pool"));
    pools.push({ name: "fresh-pool" });
    client.workPoolsChanged();
    // Well within the 30 s the pool list is otherwise kept.
    const diagnostics = await client.waitForDiagnostics(
      uri,
      (list) => !list.some((d) => d.code === "unknown-work-pool"),
      10_000,
    );
    assert.deepEqual(
      diagnostics.map((d) => d.code),
      ["schema-additionalProperties"],
    );
  });
});
