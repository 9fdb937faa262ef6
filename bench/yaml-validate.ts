// yaml-validate: full validation (YAML parse, JSON Schema, entrypoints, parameters against each flow's schema,
// cron and time zones, unique names, work pools) of a skein.yaml with 200 deployments over 200 flow files.
// Measured in-process (cold: first validation, compiling parameter validators; warm: median of RUNS edited
// texts; same text: the revalidation a flow edit triggers) and over IPC (edit of the open skein.yaml until its
// diagnostics arrive, median). Baseline, in the same run and alternated with each measurement: parsing the same
// text with the `yaml` library alone (parseDocument, no schema or semantic checks, no LSP); for the cold figure,
// the first such parse in a fresh plain Node process (the validation's cold run is this process's first parse).
// Medians of `--runs N` (30).
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseDocument } from "yaml";
import { analyseSource } from "../language-server/discovery.ts";
import type { WorkPoolDirectory } from "../language-server/work-pools.ts";
import { WorkspaceIndex } from "../language-server/workspace-index.ts";
import { validateSkeinYaml } from "../language-server/yaml/skein-yaml-validation.ts";
import { generateWorkspace } from "../test/fixtures/language-server/generate-workspace.ts";
import { bundleServer, LspTestClient } from "../test/integration/language-server/lsp-test-client.ts";
import { emit, log, median, runCount, runMain } from "./common/report.ts";

const DEPLOYMENTS = 200;
const RUNS = runCount(30);

/** Milliseconds of `work`. */
async function time(work: () => unknown): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

/** The baseline: the same text parsed by the `yaml` library alone, with the options the validation uses. */
const parseOnly = (text: string) => () =>
  parseDocument(text, { prettyErrors: false, uniqueKeys: true, strict: true, merge: true });

/** The cold baseline: milliseconds of the first parse of `file` in a fresh Node process (yaml loaded, untimed). */
function coldParse(file: string): number {
  const script = `import { parseDocument } from "yaml"; import fs from "node:fs";
    const text = fs.readFileSync(process.argv[1], "utf8"); const started = performance.now();
    parseDocument(text, { prettyErrors: false, uniqueKeys: true, strict: true, merge: true });
    process.stdout.write(String(performance.now() - started));`;
  return Number(execFileSync(process.execPath, ["--input-type=module", "-e", script, file], { encoding: "utf8" }));
}

/** Prints a metric: medians of `values` and of its `baselines`. */
const report = (metric: string, values: number[], baselines: number[]) =>
  emit("yaml-validate", metric, {
    value: median(values),
    unit: "ms",
    baseline: median(baselines),
    runs: values.length,
  });

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

    const parseCold = coldParse(yamlFile);
    const started = performance.now();
    const first = await validateSkeinYaml(yamlFile, text, index, knownPools);
    report("in-process-cold", [performance.now() - started], [parseCold]);
    if (first.diagnostics.length || first.deployedFlows.length !== DEPLOYMENTS) {
      throw new Error(
        `the generated file should be valid: ${JSON.stringify(first.diagnostics.slice(0, 3))}, ${first.deployedFlows.length} deployed`,
      );
    }
    // Each run sees a different text (a trailing comment toggles), so nothing is reused from the last parse.
    const edited = (run: number) => text + "#".repeat(1 + (run % 2));
    const [warm, unchanged, overIpc, parses] = [[], [], [], []] as number[][];
    for (let run = 0; run < RUNS; run++) {
      warm.push(await time(() => validateSkeinYaml(yamlFile, edited(run), index, knownPools)));
      parses.push(await time(parseOnly(edited(run))));
    }
    report("in-process-warm-median", warm, parses);
    // After a flow edit the text is unchanged and its parse is reused; only the semantic checks run again. The
    // baseline, alternated in this loop, is a plain parse of that same text: what reusing the parse saves.
    const sameTextParses: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      unchanged.push(await time(() => validateSkeinYaml(yamlFile, text, index, knownPools)));
      sameTextParses.push(await time(parseOnly(text)));
    }
    report("in-process-revalidate-same-text-median", unchanged, sameTextParses);

    const serverModule = await bundleServer(path.join(scratch, "bundle"));
    const client = await LspTestClient.start({ roots: [workspace.root], serverModule });
    await client.indexReady;
    const uri = client.open(yamlFile, text);
    await client.diagnosticsOfVersion(uri, 1);
    const ipcParses: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      overIpc.push(await time(() => client.diagnosticsOfVersion(uri, client.change(uri, edited(run)))));
      ipcParses.push(await time(parseOnly(edited(run))));
    }
    await client.stop();
    report("edit-to-diagnostics-over-ipc-median", overIpc, ipcParses);
    log(`in-process warm runs: ${warm.map((t) => t.toFixed(1)).join(" ")}`);
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

runMain(main);
