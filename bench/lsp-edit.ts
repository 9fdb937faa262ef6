// lsp-edit: keystroke latency. In a workspace of 200 flow files and a skein.yaml with 200 deployments, a
// 2,000-line flow file is open; each edit (one character typed into a flow body, sent as an incremental change)
// is timed until both the new code lenses and the diagnostics for that document version have arrived.
// The server runs as shipped (bundled). Baseline, in the same run: after each edit's round trip, a full reparse of
// the edited text with TypeScript alone (ts.createSourceFile, no LSP, no analysis), the least any tool must do
// to see the edit. p95 and median over `--runs N` (200) edits, paced like fast typing.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import ts from "typescript";
import { flowFile, generateWorkspace } from "../test/fixtures/language-server/generate-workspace.ts";
import { bundleServer, LspTestClient } from "../test/integration/language-server/lsp-test-client.ts";
import { emit, log, percentile, runCount, runMain } from "./common/report.ts";

const EDITS = runCount(200);
const WARM_UP = 20;
const PACE_MS = 50;

/** The baseline: milliseconds to parse the text from scratch with TypeScript. */
function reparse(file: string, text: string): number {
  const started = performance.now();
  ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  return performance.now() - started;
}
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function main(): Promise<void> {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "skein-lsp-edit-"));
  try {
    const workspace = generateWorkspace(path.join(scratch, "workspace"), 200, 200, 200);
    const bigFile = path.join(workspace.root, "src/big.ts");
    const text = flowFile(9999, 1850);
    fs.writeFileSync(bigFile, text);
    const lines = text.split("\n");
    log(`open file: ${lines.length} lines`);
    const serverModule = await bundleServer(path.join(scratch, "bundle"));
    const client = await LspTestClient.start({ roots: [workspace.root], serverModule });
    await client.indexReady;
    const uri = client.open(bigFile, text);
    await client.diagnosticsOfVersion(uri, 1);

    // Type into the body of the first flow: `  const rows = await extract9999(date);` gains and loses a space.
    const line = lines.findIndex((l) => l.includes("const rows = await"));
    const column = lines[line].indexOf(";");
    const typedLines = [...lines];
    typedLines[line] = `${lines[line].slice(0, column)} ${lines[line].slice(column)}`;
    const typed = typedLines.join("\n");
    const latencies: number[] = [];
    const reparses: number[] = [];
    for (let edit = 0; edit < WARM_UP + EDITS; edit++) {
      const started = performance.now();
      const typing = edit % 2 === 0;
      const range = { start: { line, character: column }, end: { line, character: typing ? column : column + 1 } };
      client.edit(uri, range, typing ? " " : "");
      const version = edit + 2;
      const [lenses] = await Promise.all([client.codeLenses(uri), client.diagnosticsOfVersion(uri, version)]);
      const elapsed = performance.now() - started;
      if (lenses.length !== 8) throw new Error(`expected 8 lenses, got ${lenses.length}`);
      const parse = reparse(bigFile, typing ? typed : text);
      if (edit >= WARM_UP) {
        latencies.push(elapsed);
        reparses.push(parse);
      }
      await sleep(PACE_MS);
    }
    await client.stop();
    log(`edits: ${latencies.length}, max ${Math.max(...latencies).toFixed(1)} ms`);
    for (const [name, p] of [
      ["p95", 0.95],
      ["median", 0.5],
    ] as const) {
      emit("lsp-edit", `edit-to-lenses-and-diagnostics-${name}`, {
        value: percentile(latencies, p),
        unit: "ms",
        baseline: percentile(reparses, p),
        runs: EDITS,
      });
    }
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

runMain(main);
