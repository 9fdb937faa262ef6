// lsp-discovery: a cold language server on a generated workspace of 10,000 TypeScript files (150 lines each,
// 200 of them declaring flows and tasks). Measures, from `initialize` over IPC, the time until all code lenses
// of an open flow file are served, the time until the whole workspace is indexed, and the server's peak RSS.
// The server runs as shipped (bundled with esbuild). Baseline, in the same run, alternated with the server's
// starts: a fresh plain Node process doing the same work without the LSP (bench/common/scan-workspace.mjs: load
// TypeScript, read and parse the open file; walk and read every file, parse those that mention skein), timed
// the same way from before its spawn, and its peak RSS. Medians of `--runs N` (5) cold starts.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { generateWorkspace } from "../test/fixtures/language-server/generate-workspace.ts";
import { bundleServer, LspTestClient } from "../test/integration/language-server/lsp-test-client.ts";
import { emit, log, median, runCount, runMain } from "./common/report.ts";

const FILES = 10_000;
const FLOW_FILES = 200;
const RUNS = runCount(5);
const SCAN_BASELINE = path.join(import.meta.dirname, "common/scan-workspace.mjs");

const now = () => performance.timeOrigin + performance.now();

interface Milestones {
  lenses: number;
  index: number;
  rss: number;
}

/** The plain-Node baseline as a fresh process: milliseconds from before its spawn, and its peak RSS in MB. */
function plainScan(root: string, openFile: string): Milestones {
  const started = now();
  const run = spawnSync(process.execPath, [SCAN_BASELINE, root, openFile], { encoding: "utf8" });
  if (run.status !== 0) throw new Error(`the plain scan failed (exit ${run.status}): ${run.stderr}`);
  const result = JSON.parse(run.stdout) as { lensesAt: number; indexAt: number; peakRss: number; candidates: number };
  if (result.candidates < FLOW_FILES) throw new Error(`the plain scan parsed ${result.candidates} files`);
  return { lenses: result.lensesAt - started, index: result.indexAt - started, rss: result.peakRss / 2 ** 20 };
}

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

    const server: Milestones[] = [];
    const plain: Milestones[] = [];
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
      server.push({ lenses: lensesAt, index: indexAt, rss: peakRssMb(client.child.pid!) });
      await client.stop();
      plain.push(plainScan(workspace.root, openFile));
      const show = (m: Milestones) =>
        `lenses ${m.lenses.toFixed(0)} ms, index ${m.index.toFixed(0)} ms, peak RSS ${m.rss.toFixed(0)} MB`;
      log(`run ${run + 1}/${RUNS}: server ${show(server[run])}; plain scan ${show(plain[run])}`);
    }
    const figure = (key: keyof Milestones, unit: string) => ({
      value: median(server.map((m) => m[key])),
      unit,
      baseline: median(plain.map((m) => m[key])),
      runs: RUNS,
    });
    emit("lsp-discovery", "initialize-to-lenses", figure("lenses", "ms"));
    emit("lsp-discovery", "initialize-to-index-complete", figure("index", "ms"));
    emit("lsp-discovery", "peak-rss", figure("rss", "MB"));
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

runMain(main);
