// `skein artifact ls | inspect`: the artifacts flows create (markdown, tables, links, progress, images), read
// from the CLI's store (connection.ts). Tables for people, --json for scripts.
import type { Command } from "commander";
import type { ArtifactRecord } from "../../store/types.ts";
import { withCliStore } from "./connection.ts";
import { printJson, printLine, printTable, shortTime } from "./output.ts";

export function register(program: Command): void {
  const group = program.command("artifact").description("List and inspect the artifacts of flow runs");

  group
    .command("ls")
    .description("Artifacts of one flow run, of the latest flow runs, or of one key across all runs, newest first")
    .option("--flow-run <id>", "only this flow run's artifacts")
    .option("--key <key>", "only artifacts with this key")
    .option(
      "--limit <n>",
      "without --flow-run: how many of the latest flow runs to look in (with --key: how many of its artifacts)",
      "20",
    )
    .option("--json", "as JSON")
    .action((options: { flowRun?: string; key?: string; limit: string; json?: boolean }) =>
      withCliStore(async ({ store, via }) => {
        const limit = Number(options.limit);
        if (!Number.isInteger(limit) || limit < 1)
          throw new Error(`--limit must be a positive whole number, got '${options.limit}'`);
        if (options.key !== undefined && !options.flowRun)
          return printArtifacts(await store.listArtifactsByKey(options.key, limit), options.json);
        let runIds: string[];
        if (options.flowRun) {
          if (!(await store.getFlowRun(options.flowRun)))
            throw new Error(`No flow run with id ${options.flowRun} in ${via}`);
          runIds = [options.flowRun];
        } else {
          runIds = (await store.listFlowRuns({ limit })).map((run) => run.id);
        }
        // Stores list a run's artifacts oldest first; reversed, artifacts made in the same millisecond stay newest first.
        const artifacts = (await Promise.all(runIds.map((id) => store.listArtifacts(id))))
          .flat()
          .reverse()
          .filter((artifact) => options.key === undefined || artifact.key === options.key)
          .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
        printArtifacts(artifacts, options.json);
      }),
    );

  group
    .command("inspect")
    .argument("<id-or-key>", "an artifact id, or a key (its latest artifact)")
    .description("One artifact with its data")
    .option("--json", "as JSON")
    .action((idOrKey: string, options: { json?: boolean }) =>
      withCliStore(async ({ store, via }) => {
        const artifact = (await store.getArtifact(idOrKey)) ?? (await store.getArtifactByKey(idOrKey));
        if (!artifact) throw new Error(`No artifact with id or key '${idOrKey}' in ${via}`);
        if (options.json) return printJson(artifact);
        printArtifact(artifact);
      }),
    );
}

function printArtifacts(artifacts: ArtifactRecord[], json: boolean | undefined): void {
  if (json) {
    printJson(artifacts);
    return;
  }
  printTable(
    ["ID", "KEY", "TYPE", "FLOW RUN", "UPDATED"],
    artifacts.map((a) => [a.id, a.key ?? "", a.type, a.flowRunId, shortTime(a.updatedAt)]),
  );
}

function printArtifact(artifact: ArtifactRecord): void {
  printLine(`Artifact ${artifact.id} (${artifact.type})`);
  printLine(`  key:          ${artifact.key ?? "(none)"}`);
  printLine(`  description:  ${artifact.description ?? ""}`);
  printLine(`  flow run:     ${artifact.flowRunId}`);
  printLine(`  task run:     ${artifact.taskRunId ?? "(the flow)"}`);
  printLine(`  created:      ${shortTime(artifact.createdAt)}`);
  printLine(`  updated:      ${shortTime(artifact.updatedAt)}`);
  printLine();
  // Markdown is text to read as it is; every other type's data is JSON.
  printLine(typeof artifact.data === "string" ? artifact.data : JSON.stringify(artifact.data, null, 2));
}
