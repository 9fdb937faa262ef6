// lsp-edit: keystroke latency. In a workspace of 200 flow files and a skein.yaml with 200 deployments, a
// 2,000-line flow file is open; each edit (one character typed into a flow body, sent as an incremental change)
// is timed until both the new code lenses and the diagnostics for that document version have arrived.
// The server runs as shipped (bundled). p95 and median over EDITS edits, paced like fast typing; JSON on stdout.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { flowFile, generateWorkspace } from "../test/fixtures/language-server/generate-workspace.ts";
import { bundleServer, LspTestClient } from "../test/integration/language-server/lsp-test-client.ts";

const EDITS = 200;
const WARM_UP = 20;
const PACE_MS = 50;
const TARGET_P95_MS = 30;

const log = (line: string) => process.stderr.write(`${line}\n`);
const emit = (metric: string, value: number, baseline?: number) =>
  process.stdout.write(
    `${JSON.stringify({ bench: "lsp-edit", metric, value: +value.toFixed(2), unit: "ms", ...(baseline ? { baseline, ratio: +(value / baseline).toFixed(3) } : {}) })}\n`,
  );
const percentile = (values: number[], p: number) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))];
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
    const latencies: number[] = [];
    for (let edit = 0; edit < WARM_UP + EDITS; edit++) {
      const started = performance.now();
      const typing = edit % 2 === 0;
      const range = { start: { line, character: column }, end: { line, character: typing ? column : column + 1 } };
      client.edit(uri, range, typing ? " " : "");
      const version = edit + 2;
      const [lenses] = await Promise.all([client.codeLenses(uri), client.diagnosticsOfVersion(uri, version)]);
      const elapsed = performance.now() - started;
      if (lenses.length !== 8) throw new Error(`expected 8 lenses, got ${lenses.length}`);
      if (edit >= WARM_UP) latencies.push(elapsed);
      await sleep(PACE_MS);
    }
    await client.stop();
    log(`edits: ${latencies.length}, max ${Math.max(...latencies).toFixed(1)} ms`);
    emit("edit-to-lenses-and-diagnostics-p95", percentile(latencies, 0.95), TARGET_P95_MS);
    emit("edit-to-lenses-and-diagnostics-median", percentile(latencies, 0.5));
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

main().catch((error) => {
  log(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exitCode = 1;
});
