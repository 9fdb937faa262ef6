// lsp-discovery: a cold language server on a generated workspace of 10,000 TypeScript files (150 lines each,
// 200 of them declaring flows and tasks). Measures, from `initialize` over IPC, the time until all code lenses
// of an open flow file are served, the time until the whole workspace is indexed, and the server's peak RSS.
// The server runs as shipped (bundled with esbuild). Median of RUNS cold starts; JSON lines on stdout.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { generateWorkspace } from "../test/fixtures/language-server/generate-workspace.ts";
import { bundleServer, LspTestClient } from "../test/integration/language-server/lsp-test-client.ts";

const FILES = 10_000;
const FLOW_FILES = 200;
const RUNS = 5;
const TARGET_MS = 1500;
const TARGET_RSS_MB = 400;

const log = (line: string) => process.stderr.write(`${line}\n`);
const emit = (metric: string, value: number, unit: string, baseline?: number) =>
  process.stdout.write(
    `${JSON.stringify({ bench: "lsp-discovery", metric, value: +value.toFixed(1), unit, ...(baseline ? { baseline, ratio: +(value / baseline).toFixed(3) } : {}) })}\n`,
  );
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Peak resident set size of a process, in MB (Linux: VmHWM). */
function peakRssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? NaN) / 1024;
}

async function main(): Promise<void> {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "skein-lsp-discovery-"));
  try {
    log(`generating ${FILES} files (${FLOW_FILES} with flows) in ${scratch}`);
    const workspace = generateWorkspace(path.join(scratch, "workspace"), FILES, FLOW_FILES);
    const serverModule = await bundleServer(path.join(scratch, "bundle"));
    const openFile = workspace.flowFiles[Math.floor(FLOW_FILES / 2)];
    const openText = fs.readFileSync(openFile, "utf8");

    const toLenses: number[] = [];
    const toIndex: number[] = [];
    const rss: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      // Each run is a fresh server process, so nothing the server caches in memory carries over. The files stay
      // in the OS page cache between runs (dropping it needs root): these are warm-cache figures.
      const started = performance.now();
      const client = await LspTestClient.start({ roots: [workspace.root], serverModule });
      const uri = client.open(openFile, openText);
      const lenses = await client.codeLenses(uri);
      const lensesAt = performance.now() - started;
      const ready = await client.indexReady;
      const indexAt = performance.now() - started;
      if (lenses.length !== 8) throw new Error(`expected 8 lenses (2 flows), got ${lenses.length}`);
      if (ready.flows !== FLOW_FILES * 2 || ready.files !== FILES)
        throw new Error(`index incomplete: ${JSON.stringify(ready)}`);
      rss.push(peakRssMb(client.child.pid!));
      toLenses.push(lensesAt);
      toIndex.push(indexAt);
      log(
        `run ${run + 1}: lenses ${lensesAt.toFixed(0)} ms, index ${indexAt.toFixed(0)} ms, peak RSS ${rss[run].toFixed(0)} MB`,
      );
      await client.stop();
    }
    emit("initialize-to-lenses", median(toLenses), "ms", TARGET_MS);
    emit("initialize-to-index-complete", median(toIndex), "ms", TARGET_MS);
    emit("peak-rss", median(rss), "MB", TARGET_RSS_MB);
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

main().catch((error) => {
  log(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exitCode = 1;
});
