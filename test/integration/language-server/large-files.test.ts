// Large files are analysed on a worker thread: the connection keeps answering meanwhile. Checked on the server
// run from source and on the bundle the extension ships.
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { flowFile } from "../../fixtures/language-server/generate-workspace.ts";
import { bundleServer, LspTestClient } from "./lsp-test-client.ts";

const project = path.resolve(import.meta.dirname, "../../fixtures/language-server/etl-project");
const repositoryRoot = path.resolve(import.meta.dirname, "../../..");

/** About 1.5 MB: 400 generated flow modules' worth of flows, tasks and helpers in one file. */
function largeFlowFile(): string {
  const parts = Array.from({ length: 400 }, (_, i) => flowFile(i).replace(/^import .*\n/, ""));
  return `import { flow, task } from "skein";\n${parts.join("\n")}`;
}

async function answersWhileAnalysing(client: LspTestClient): Promise<void> {
  const text = largeFlowFile();
  assert.ok(text.length > 1_000_000);
  const uri = client.open(path.join(project, "flows/large.ts"), text);
  const order: string[] = [];
  const lenses = client.codeLenses(uri).then((result) => {
    order.push("large file lenses");
    return result;
  });
  const symbols = client.workspaceSymbols("report").then(() => order.push("workspace symbols"));
  const [largeLenses] = await Promise.all([lenses, symbols]);
  assert.deepEqual(order, ["workspace symbols", "large file lenses"]);
  assert.equal(largeLenses.length, 400 * 2 * 5);
}

describe("large files", () => {
  let client: LspTestClient;
  before(async () => {
    client = await LspTestClient.start({ roots: [project] });
    await client.indexReady;
  });
  after(() => client.stop());

  it("answers other requests while a large file is analysed, then serves its lenses", () =>
    answersWhileAnalysing(client));
});

describe("the bundled server", () => {
  let client: LspTestClient;
  let scratch: string;
  before(async () => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), "skein-ls-bundle-"));
    client = await LspTestClient.start({ roots: [project], serverModule: await bundleServer(scratch) });
    await client.indexReady;
  });
  after(async () => {
    await client.stop();
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  it("serves the Run lens over examples/hello.ts", async () => {
    const file = path.join(repositoryRoot, "examples/hello.ts");
    const lenses = await client.codeLenses(client.open(file, fs.readFileSync(file, "utf8")));
    assert.match(lenses[0]?.command?.title ?? "", /Run/);
  });

  it("runs its analysis worker from the single bundle file", () => answersWhileAnalysing(client));
});
