import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { LensCommands, type FlowLensArgs } from "../../../protocol/lsp.ts";
import { LspTestClient } from "./lsp-test-client.ts";

const repositoryRoot = path.resolve(import.meta.dirname, "../../..");
const project = path.join(repositoryRoot, "test/fixtures/language-server/etl-project");

const argsOf = (lens: { command?: { arguments?: unknown[] } }) => lens.command?.arguments?.[0] as FlowLensArgs;

describe("code lenses over IPC", () => {
  let client: LspTestClient;
  before(async () => {
    client = await LspTestClient.start({ roots: [project] });
    await client.indexReady;
  });
  after(() => client.stop());

  it("puts Run, Debug, Run with parameters…, Debug with parameters… and Deploy over examples/hello.ts's flow", async () => {
    const file = path.join(repositoryRoot, "examples/hello.ts");
    const examplesClient = await LspTestClient.start({ roots: [path.dirname(file)] });
    const uri = examplesClient.open(file, fs.readFileSync(file, "utf8"));
    const lenses = await examplesClient.codeLenses(uri).finally(() => examplesClient.stop());
    assert.deepEqual(
      lenses.map((lens) => lens.command?.command),
      [
        LensCommands.run,
        LensCommands.debug,
        LensCommands.runWithParameters,
        LensCommands.debugWithParameters,
        LensCommands.deploy,
      ],
    );
    assert.match(lenses[0].command!.title, /Run/);
    const line = fs
      .readFileSync(file, "utf8")
      .split("\n")
      .findIndex((text) => text.startsWith("export const hello"));
    assert.equal(lenses[0].range.start.line, line);
    assert.deepEqual(argsOf(lenses[0]), {
      file,
      exportPath: "hello",
      flowName: "hello",
      entrypoint: "hello.ts:hello",
      parameterSchema: { type: "object", properties: { name: { type: "string", default: "world" } } },
    });
  });

  it("serves lenses for flows of every form, with export paths", async () => {
    const exportPaths: string[] = [];
    for (const name of ["etl.ts", "variants.ts", "pipelines.ts"]) {
      const file = path.join(project, "flows", name);
      const lenses = await client.codeLenses(client.open(file, fs.readFileSync(file, "utf8")));
      exportPaths.push(
        ...lenses.filter((lens) => lens.command?.command === LensCommands.run).map((lens) => argsOf(lens).exportPath),
      );
    }
    assert.deepEqual(exportPaths, ["etl", "tidy", "report", "Pipelines.nightly", "Pipelines.sync"]);
  });

  it("carries the parameter schema generated from the flow's signature", async () => {
    const file = path.join(project, "flows/etl.ts");
    const [run] = await client.codeLenses(client.open(file, fs.readFileSync(file, "utf8")));
    assert.deepEqual(argsOf(run).parameterSchema, {
      type: "object",
      properties: {
        date: { type: "string" },
        window: {
          type: "object",
          properties: {
            from: { type: "string", format: "date-time" },
            to: { type: "string", format: "date-time" },
            region: { enum: ["eu", "us"] },
          },
          required: ["from", "region"],
        },
        mode: { enum: ["full", "delta"] },
        limit: { type: "number" },
        dryRun: { type: "boolean", default: false },
      },
      required: ["date", "window"],
    });
    assert.equal(argsOf(run).entrypoint, "flows/etl.ts:etl");
  });

  it("reports parameters that have no schema instead of dropping them", async () => {
    const file = path.join(project, "flows/pipelines.ts");
    const lenses = await client.codeLenses(client.open(file, fs.readFileSync(file, "utf8")));
    const sync = lenses.map(argsOf).find((args) => args.exportPath === "Pipelines.sync")!;
    assert.deepEqual(Object.keys(sync.parameterSchema.properties), ["target"]);
    assert.deepEqual(
      sync.parameterSchema.unsupported?.map((p) => p.name),
      ["callback"],
    );
    assert.match(sync.parameterSchema.unsupported![0].reason, /function/);
  });

  it("names each flow by its run-time name", async () => {
    const file = path.join(project, "flows/pipelines.ts");
    const lenses = await client.codeLenses(client.open(file, fs.readFileSync(file, "utf8")));
    const byExport = new Map(lenses.map((lens) => [argsOf(lens).exportPath, argsOf(lens)]));
    assert.equal(byExport.get("Pipelines.sync")?.flowName, "instance-sync");
  });

  it("follows edits: a new flow gets lenses, a removed one loses them", async () => {
    const file = path.join(project, "flows/scratch.ts");
    const uri = client.open(file, `import { flow } from "skein";\n`);
    assert.deepEqual(await client.codeLenses(uri), []);
    client.change(uri, `import { flow } from "skein";\nexport const added = flow(async (n: number) => n);\n`);
    const lenses = await client.codeLenses(uri);
    assert.equal(lenses.length, 5);
    assert.deepEqual(argsOf(lenses[0]).parameterSchema, {
      type: "object",
      properties: { n: { type: "number" } },
      required: ["n"],
    });
    client.change(uri, `import { flow } from "skein";\n`);
    assert.deepEqual(await client.codeLenses(uri), []);
  });

  it("puts no lens over tasks while no run state is known", async () => {
    const file = path.join(project, "flows/etl.ts");
    const lenses = await client.codeLenses(client.open(file, fs.readFileSync(file, "utf8")));
    const taskLines = fs
      .readFileSync(file, "utf8")
      .split("\n")
      .flatMap((text, line) => (/= task\(/.test(text) ? [line] : []));
    assert.equal(taskLines.length, 2);
    assert.ok(lenses.every((lens) => !taskLines.includes(lens.range.start.line)));
  });

  it("announces the finished workspace scan with what it found", async () => {
    assert.deepEqual(await client.indexReady, { files: 5, flows: 7, tasks: 6, skeinYamlFiles: 1 });
  });
});

describe("task lenses over IPC, fed by skein/taskRunStates", () => {
  let client: LspTestClient;
  before(async () => {
    client = await LspTestClient.start({ roots: [project] });
    await client.indexReady;
  });
  after(() => client.stop());

  const pipelines = path.join(project, "flows/pipelines.ts");
  const etl = path.join(project, "flows/etl.ts");
  const at = "2026-11-21T09:00:00.000Z";
  const completed = { type: "COMPLETED", name: "Completed", timestamp: at };

  /** Task lens titles of `file`, keyed by the source line they sit on (trimmed). */
  async function taskLensTitles(file: string): Promise<Record<string, string>> {
    const text = fs.readFileSync(file, "utf8");
    const lenses = await client.codeLenses(client.open(file, text));
    const lines = text.split("\n");
    return Object.fromEntries(
      lenses
        .filter((lens) => !lens.command?.command)
        .map((lens) => [lines[lens.range.start.line].trim(), lens.command!.title]),
    );
  }

  it("shows each state over the task the flow calls, across files, and over no task of another flow", async () => {
    assert.deepEqual(await taskLensTitles(pipelines), {}, "no task lens before a run is reported");
    // Counted after a round trip, which the scan's own refresh request precedes.
    const refreshes = client.codeLensRefreshes;
    client.reportTaskRunStates({
      flowFile: pipelines,
      flowExportPath: "Pipelines.nightly",
      states: [
        { taskName: "load", state: completed },
        { taskName: "extract", state: { type: "FAILED", name: "Failed", timestamp: at } },
        { taskName: "load2", state: completed },
      ],
    });
    assert.deepEqual(await taskLensTitles(pipelines), {
      "static async load(rows: string[]) {": "$(pass) Last run: Completed",
    });
    assert.deepEqual(await taskLensTitles(etl), { "export const extract = task(": "$(error) Last run: Failed" });
    assert.equal(client.codeLensRefreshes, refreshes + 1, "the server asked the editor to refresh its lenses");
  });

  it("ignores a malformed report and keeps serving", async () => {
    const refreshes = client.codeLensRefreshes;
    client.reportTaskRunStates({
      flowFile: etl,
      flowExportPath: "etl",
      states: [{ taskName: "transform", state: "Completed" }],
    });
    client.reportTaskRunStates(null);
    assert.deepEqual(await taskLensTitles(etl), { "export const extract = task(": "$(error) Last run: Failed" });
    assert.equal(client.codeLensRefreshes, refreshes);
    assert.ok(client.alive);
  });
});
