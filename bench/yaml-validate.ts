// yaml-validate: full validation (YAML parse, JSON Schema, entrypoints, parameters against each flow's schema,
// cron and time zones, unique names, work pools) of a skein.yaml with 200 deployments over 200 flow files.
// Measured in-process (cold: first validation, compiling parameter validators; warm: median of RUNS edited
// texts; same text: the revalidation a flow edit triggers) and over IPC (edit of the open skein.yaml until its
// diagnostics arrive, median). JSON lines on stdout.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { analyseSource } from "../language-server/discovery.ts";
import type { WorkPoolDirectory } from "../language-server/work-pools.ts";
import { WorkspaceIndex } from "../language-server/workspace-index.ts";
import { validateSkeinYaml } from "../language-server/yaml/skein-yaml-validation.ts";
import { generateWorkspace } from "../test/fixtures/language-server/generate-workspace.ts";
import { bundleServer, LspTestClient } from "../test/integration/language-server/lsp-test-client.ts";

const DEPLOYMENTS = 200;
const RUNS = 30;
const TARGET_MS = 50;

const log = (line: string) => process.stderr.write(`${line}\n`);
const emit = (metric: string, value: number, baseline?: number) =>
  process.stdout.write(
    `${JSON.stringify({ bench: "yaml-validate", metric, value: +value.toFixed(2), unit: "ms", ...(baseline ? { baseline, ratio: +(value / baseline).toFixed(3) } : {}) })}\n`,
  );
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** A server that knows the pool the generated file names, answering at once (the HTTP call is cached anyway). */
const knownPools: WorkPoolDirectory = { names: async () => ["default-pool"], unavailableReason: "" };

async function main(): Promise<void> {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "skein-yaml-validate-"));
  try {
    const workspace = generateWorkspace(path.join(scratch, "workspace"), DEPLOYMENTS, DEPLOYMENTS, DEPLOYMENTS);
    const yamlFile = workspace.yamlFile!;
    const text = fs.readFileSync(yamlFile, "utf8");
    const index = new WorkspaceIndex();
    for (const file of workspace.flowFiles) index.set(analyseSource(file, fs.readFileSync(file, "utf8")));

    let started = performance.now();
    const first = await validateSkeinYaml(yamlFile, text, index, knownPools);
    emit("in-process-cold", performance.now() - started, TARGET_MS);
    if (first.diagnostics.length || first.deployedFlows.length !== DEPLOYMENTS) {
      throw new Error(
        `the generated file should be valid: ${JSON.stringify(first.diagnostics.slice(0, 3))}, ${first.deployedFlows.length} deployed`,
      );
    }
    // Each run sees a different text (a trailing comment toggles), so nothing is reused from the last parse.
    const warm: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      started = performance.now();
      await validateSkeinYaml(yamlFile, text + "#".repeat(1 + (run % 2)), index, knownPools);
      warm.push(performance.now() - started);
    }
    emit("in-process-warm-median", median(warm), TARGET_MS);
    // After a flow edit the text is unchanged and its parse is reused; only the semantic checks run again.
    const unchanged: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      started = performance.now();
      await validateSkeinYaml(yamlFile, text, index, knownPools);
      unchanged.push(performance.now() - started);
    }
    emit("in-process-revalidate-same-text-median", median(unchanged), TARGET_MS);

    const serverModule = await bundleServer(path.join(scratch, "bundle"));
    const client = await LspTestClient.start({ roots: [workspace.root], serverModule });
    await client.indexReady;
    const uri = client.open(yamlFile, text);
    await client.diagnosticsOfVersion(uri, 1);
    const overIpc: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      started = performance.now();
      const version = client.change(uri, text + "#".repeat(1 + (run % 2)));
      await client.diagnosticsOfVersion(uri, version);
      overIpc.push(performance.now() - started);
    }
    await client.stop();
    emit("edit-to-diagnostics-over-ipc-median", median(overIpc), TARGET_MS);
    log(`in-process warm runs: ${warm.map((t) => t.toFixed(1)).join(" ")}`);
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

main().catch((error) => {
  log(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exitCode = 1;
});
