// Hundreds of malformed and hostile documents through one server: it must answer every request, publish only
// diagnostics with valid ranges, and still work afterwards.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import type { Diagnostic } from "vscode-languageserver-protocol";
import { hostileCorpus } from "./hostile-corpus.ts";
import { fileUri, LspTestClient } from "./lsp-test-client.ts";

const project = path.resolve(import.meta.dirname, "../../fixtures/language-server/etl-project");
const requestTimeoutMs = 20_000;

function withTimeout<T>(what: string, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${requestTimeoutMs} ms`)), requestTimeoutMs);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Why a diagnostic's range does not fit the text it was computed for, or undefined when it fits. */
function rangeProblem(text: string, diagnostic: Diagnostic): string | undefined {
  const lines = text.split(/\r\n|\r|\n/);
  const { start, end } = diagnostic.range;
  for (const position of [start, end]) {
    if (!Number.isInteger(position.line) || !Number.isInteger(position.character)) return "non-integer position";
    if (position.line < 0 || position.line >= lines.length)
      return `line ${position.line} outside 0..${lines.length - 1}`;
    if (position.character < 0 || position.character > lines[position.line].length)
      return `character ${position.character} outside line ${position.line}`;
  }
  if (start.line > end.line || (start.line === end.line && start.character > end.character))
    return "range ends before it starts";
  if (!diagnostic.message) return "empty message";
  return undefined;
}

describe("hostile inputs", () => {
  const corpus = hostileCorpus();
  let client: LspTestClient;
  const yamlFile = path.join(project, "skein.yaml");
  const tsFile = path.join(project, "flows/hostile.ts");
  let yamlUri: string;
  let tsUri: string;
  /** Text of each version sent, to check the ranges of the diagnostics published for it. */
  const sent = new Map<string, Map<number, string>>();
  const badRanges: string[] = [];

  before(async () => {
    client = await LspTestClient.start({ roots: [project] });
    await client.indexReady;
    yamlUri = client.open(yamlFile, "");
    tsUri = client.open(tsFile, "");
    sent.set(yamlUri, new Map([[1, ""]]));
    sent.set(tsUri, new Map([[1, ""]]));
    client.diagnosticListeners.push((params) => {
      const text = params.version === undefined ? undefined : sent.get(params.uri)?.get(params.version);
      if (text === undefined) return;
      for (const diagnostic of params.diagnostics) {
        const problem = rangeProblem(text, diagnostic);
        if (problem) badRanges.push(`${params.uri}@${params.version}: ${problem} (${diagnostic.message.slice(0, 80)})`);
      }
    });
  });
  after(() => client.stop());

  it(`has at least 300 inputs (${corpus.length})`, () => {
    assert.ok(corpus.length >= 300);
  });

  it("answers for every input, with diagnostics whose ranges fit the text", async () => {
    for (const input of corpus) {
      const uri = input.kind === "yaml" ? yamlUri : tsUri;
      const version = client.change(uri, input.text);
      sent.get(uri)!.set(version, input.text);
      const middle = { line: Math.floor(input.text.split("\n").length / 2), character: 4 };
      if (input.kind === "yaml") {
        await withTimeout(`${input.name}: diagnostics`, client.diagnosticsOfVersion(uri, version));
        await withTimeout(`${input.name}: completion`, client.completion(uri, middle));
        await withTimeout(`${input.name}: hover`, client.hover(uri, middle));
      } else {
        await withTimeout(`${input.name}: code lenses`, client.codeLenses(uri));
        await withTimeout(`${input.name}: hover`, client.hover(uri, middle));
      }
      assert.ok(client.alive, `server died on ${input.name}`);
    }
    await withTimeout("workspace symbols", client.workspaceSymbols("e"));
    assert.deepEqual(badRanges, []);
  });

  it("still serves lenses and yaml diagnostics afterwards", async () => {
    const etl = path.join(project, "flows/etl.ts");
    const lenses = await client.codeLenses(client.open(etl, fs.readFileSync(etl, "utf8")));
    assert.equal(lenses.length, 5);
    const version = client.change(yamlUri, "deployments:\n  - name: a\n    entrypoint: flows/etl.ts:nope\n");
    const diagnostics = await client.diagnosticsOfVersion(yamlUri, version);
    assert.deepEqual(
      diagnostics.map((d) => d.code),
      ["invalid-entrypoint"],
    );
    assert.equal(
      client.diagnostics.get(fileUri(etl))?.some((d) => d.code === "duplicate-flow-name"),
      true,
    );
  });
});
