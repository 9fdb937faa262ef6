// Changes outside the editor: files changed on disk by other tools (git, generators) reach the server as
// workspace/didChangeWatchedFiles, and workspace folders come and go.
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { ListFlowsRequest, type ListFlowsResult } from "../../../protocol/lsp.ts";
import { fileUri, LspTestClient } from "./lsp-test-client.ts";

const fixture = path.resolve(import.meta.dirname, "../../fixtures/language-server/etl-project");
const FileChangeType = { Created: 1, Changed: 2, Deleted: 3 } as const;

describe("files and folders changed outside the editor", () => {
  let client: LspTestClient;
  let project: string;
  const changed = (file: string, type: number) =>
    client.connection.sendNotification("workspace/didChangeWatchedFiles", { changes: [{ uri: fileUri(file), type }] });

  before(async () => {
    project = fs.mkdtempSync(path.join(os.tmpdir(), "skein-ls-watch-"));
    fs.cpSync(fixture, project, { recursive: true });
    client = await LspTestClient.start({ roots: [project] });
    await client.indexReady;
  });
  after(async () => {
    await client.stop();
    fs.rmSync(project, { recursive: true, force: true });
  });

  it("indexes a created flow file and forgets a deleted one", async () => {
    const file = path.join(project, "flows/created.ts");
    fs.writeFileSync(
      file,
      `import { flow } from "skein";\nexport const brandNew = flow({ name: "brand-new" }, async () => 1);\n`,
    );
    await changed(file, FileChangeType.Created);
    await waitFor(async () => (await client.workspaceSymbols("brand")).length === 1);
    fs.rmSync(file);
    await changed(file, FileChangeType.Deleted);
    await waitFor(async () => (await client.workspaceSymbols("brand")).length === 0);
  });

  it("rebuilds parameter schemas when an imported types file changes", async () => {
    const types = path.join(project, "flows/types.ts");
    const typed = path.join(project, "flows/typed.ts");
    fs.writeFileSync(types, "export interface Job { id: string }\n");
    fs.writeFileSync(
      typed,
      `import { flow } from "skein";\nimport type { Job } from "./types";\nexport const run = flow(async (job: Job) => job.id);\n`,
    );
    await client.connection.sendNotification("workspace/didChangeWatchedFiles", {
      changes: [
        { uri: fileUri(types), type: FileChangeType.Created },
        { uri: fileUri(typed), type: FileChangeType.Created },
      ],
    });
    // From the index, without opening the file (opening would re-analyse it anyway).
    const jobSchema = async () => {
      const flows: ListFlowsResult = await client.connection.sendRequest(ListFlowsRequest);
      return JSON.stringify(flows.find((flow) => flow.file === typed)?.parameterSchema);
    };
    await waitFor(async () => /"id":\{"type":"string"\}/.test(await jobSchema()));
    fs.writeFileSync(types, "export interface Job { id: number; retries?: number }\n");
    await changed(types, FileChangeType.Changed);
    await waitFor(async () => /"id":\{"type":"number"\}/.test(await jobSchema()));
  });

  it("follows workspace folders being added and removed, scanning only the added ones", async () => {
    const extra = fs.mkdtempSync(path.join(os.tmpdir(), "skein-ls-folder-"));
    fs.writeFileSync(
      path.join(extra, "more.ts"),
      `import { flow } from "skein";\nexport const elsewhere = flow(async () => 1);\n`,
    );
    // Written without a didChangeWatchedFiles: only a rescan of the existing folder could find it.
    const unannounced = path.join(project, "flows/unannounced.ts");
    fs.writeFileSync(unannounced, `import { flow } from "skein";\nexport const unannounced = flow(async () => 1);\n`);
    const notices = client.indexReadyNotices.length;
    const before = client.indexReadyNotices[notices - 1];
    const folder = { uri: fileUri(extra), name: "extra" };
    try {
      await client.connection.sendNotification("workspace/didChangeWorkspaceFolders", {
        event: { added: [folder], removed: [] },
      });
      await waitFor(async () => client.indexReadyNotices.length === notices + 1);
      const added = client.indexReadyNotices[notices];
      assert.equal(
        added.files,
        before.files + 1,
        "the existing folder's count is its last scan's: it was not rescanned",
      );
      assert.equal((await client.workspaceSymbols("elsewhere")).length, 1);
      assert.equal(
        (await client.workspaceSymbols("unannounced")).length,
        0,
        "the folder already open was not rescanned",
      );
      await client.connection.sendNotification("workspace/didChangeWorkspaceFolders", {
        event: { added: [], removed: [folder] },
      });
      await waitFor(async () => client.indexReadyNotices.length === notices + 2);
      assert.deepEqual(client.indexReadyNotices[notices + 1], {
        ...added,
        files: before.files,
        flows: added.flows - 1,
      });
      assert.equal((await client.workspaceSymbols("elsewhere")).length, 0);
      assert.ok((await client.workspaceSymbols("etl")).length > 0);
    } finally {
      fs.rmSync(unannounced, { force: true });
      fs.rmSync(extra, { recursive: true, force: true });
    }
  });

  it("revalidates a skein.yaml changed on disk", async () => {
    const yamlFile = path.join(project, "skein.yaml");
    fs.writeFileSync(yamlFile, "deployments:\n  - name: a\n    entrypoint: flows/etl.ts:missing\n");
    await changed(yamlFile, FileChangeType.Changed);
    const diagnostics = await client.waitForDiagnostics(fileUri(yamlFile), (list) =>
      list.some((d) => d.code === "invalid-entrypoint"),
    );
    assert.match(diagnostics.find((d) => d.code === "invalid-entrypoint")!.message, /no exported flow 'missing'/);
  });
});

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("condition never held");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
