// The editor may spell a file's URI differently from Node (VS Code percent-encodes '+', '@', '=' and more, Node
// leaves them). Locations the server sends for an open file must use the editor's spelling, or the editor sees
// a second, unknown document.
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import type { Location } from "vscode-languageserver";
import { fileUri, LspTestClient } from "./lsp-test-client.ts";

describe("URIs of open files as the editor spells them", () => {
  let client: LspTestClient;
  let root: string;
  let flowFile: string;
  /** How VS Code spells flowFile's URI: '+' encoded, which Node's pathToFileURL leaves alone. */
  let editorUri: string;

  before(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), "skein-ls-uris-"));
    flowFile = path.join(root, "c++", "etl.ts");
    fs.mkdirSync(path.dirname(flowFile));
    fs.writeFileSync(flowFile, `import { flow } from "skein";\nexport const spelled = flow(async () => 1);\n`);
    editorUri = fileUri(flowFile).replace("/c++/", "/c%2B%2B/");
    assert.notEqual(editorUri, fileUri(flowFile));
    client = await LspTestClient.start({ roots: [root] });
    await client.indexReady;
    await client.connection.sendNotification("textDocument/didOpen", {
      textDocument: { uri: editorUri, languageId: "typescript", version: 1, text: fs.readFileSync(flowFile, "utf8") },
    });
    assert.equal((await client.codeLenses(editorUri)).length, 5);
  });
  after(async () => {
    await client.stop();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it("in workspace symbols", async () => {
    const [symbol] = await client.workspaceSymbols("spelled");
    assert.equal(symbol.location.uri, editorUri);
  });

  it("in go-to-definition from a skein.yaml entrypoint", async () => {
    const uri = client.open(
      path.join(root, "skein.yaml"),
      "deployments:\n  - name: a\n    entrypoint: c++/etl.ts:spelled\n",
    );
    const definition = (await client.definition(uri, { line: 2, character: 20 })) as Location;
    assert.equal(definition.uri, editorUri);
  });
});
