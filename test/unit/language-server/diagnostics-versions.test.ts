// Diagnostics are tagged with the version of the text they were computed from, never with whatever version the
// document has reached when they are sent. The real Workspace and DiagnosticsPublisher, with an analysis worker
// and a work-pool directory that answer only when the test says so.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { setImmediate as nextTurn } from "node:timers/promises";
import type { Connection, TextDocuments } from "vscode-languageserver";
import type { TextDocument } from "vscode-languageserver-textdocument";
import type { AnalysisWorker } from "../../../language-server/analysis-worker.ts";
import { DiagnosticsPublisher } from "../../../language-server/diagnostics-publisher.ts";
import { analyseSource } from "../../../language-server/discovery.ts";
import type { FileAnalysis } from "../../../language-server/model.ts";
import { pathToUri } from "../../../language-server/uris.ts";
import type { WorkPoolDirectory } from "../../../language-server/work-pools.ts";
import { Workspace } from "../../../language-server/workspace.ts";

interface FakeDocument {
  uri: string;
  version: number;
  text: string;
  getText(): string;
}

const fakeDocument = (file: string, text: string): FakeDocument => ({
  uri: pathToUri(file),
  version: 1,
  text,
  getText() {
    return this.text;
  },
});

function fakeDocuments(...documents: FakeDocument[]): TextDocuments<TextDocument> {
  const byUri = new Map(documents.map((document) => [document.uri, document]));
  const listeners: ((event: { document: FakeDocument }) => void)[] = [];
  const fake = {
    get: (uri: string) => byUri.get(uri),
    onDidOpen: (listener: (typeof listeners)[number]) => listeners.push(listener),
    onDidClose: () => {},
  };
  setImmediate(() => documents.forEach((document) => listeners.forEach((listener) => listener({ document }))));
  return fake as unknown as TextDocuments<TextDocument>;
}

/** Calls to a function returning promises that settle only when the test settles them, in any order. */
class Deferred<T> {
  readonly calls: { resolve: (value: T) => void; args: unknown[] }[] = [];
  call = (...args: unknown[]): Promise<T> => new Promise((resolve) => this.calls.push({ resolve, args }));
}

function recordingConnection(): { connection: Connection; sent: { version?: number; codes: unknown[] }[] } {
  const sent: { version?: number; codes: unknown[] }[] = [];
  const connection = {
    sendDiagnostics: async (params: { version?: number; diagnostics: { code?: unknown }[] }) =>
      sent.push({ version: params.version, codes: params.diagnostics.map((d) => d.code) }),
    console: { error: (message: string) => assert.fail(message) },
  };
  return { connection: connection as unknown as Connection, sent };
}

async function until(condition: () => boolean): Promise<void> {
  for (let turn = 0; !condition(); turn++) {
    if (turn > 1000) assert.fail("timed out");
    await nextTurn();
  }
}

/** Longer than the workspace's in-place limit, so the analysis goes to the (fake) worker thread. */
const padding = `// ${"x".repeat(250_000)}\n`;
const flowWithRetries = (retries: number) =>
  `import { flow } from "skein";\nexport const f = flow({ retries: ${retries} }, async () => 1);\n${padding}`;

describe("diagnostics versions", () => {
  it("never sends an older analysis of a large file tagged with the document's newer version", async () => {
    const file = "/w/flows/big.ts";
    const document = fakeDocument(file, flowWithRetries(-1));
    const analyses = new Deferred<FileAnalysis>();
    const worker = { analyse: analyses.call } as unknown as AnalysisWorker;
    const workspace = new Workspace(fakeDocuments(document), worker, assert.fail);
    const { connection, sent } = recordingConnection();
    const publisher = new DiagnosticsPublisher(connection, workspace, { names: async () => [], unavailableReason: "" });
    await nextTurn();
    const edit = (version: number, text: string) => {
      Object.assign(document, { version, text });
      publisher.documentEdited(document as unknown as TextDocument);
    };
    const finishAnalysis = (call: number) => {
      const { resolve, args } = analyses.calls[call];
      resolve(analyseSource(args[0] as string, args[1] as string));
    };

    publisher.documentEdited(document as unknown as TextDocument);
    await until(() => analyses.calls.length === 1);
    finishAnalysis(0);
    await until(() => sent.length === 1);
    assert.deepEqual(sent, [{ version: 1, codes: ["invalid-retries"] }]);

    // Version 2 fixes the problem; version 3 follows before version 2's analysis is done.
    edit(2, flowWithRetries(1));
    await until(() => analyses.calls.length === 2);
    edit(3, `${flowWithRetries(1)} `);
    await until(() => analyses.calls.length === 3);
    finishAnalysis(1); // dropped: the document is at version 3 by now, so the index still holds version 1's
    for (let turn = 0; turn < 20; turn++) await nextTurn();
    assert.deepEqual(
      sent,
      [{ version: 1, codes: ["invalid-retries"] }],
      "version 1's diagnostics were not re-sent as version 3's",
    );
    assert.equal(workspace.analysedVersion(file), 1);

    finishAnalysis(2);
    await until(() => sent.length === 2);
    assert.deepEqual(sent[1], { version: 3, codes: [] });
    assert.equal(workspace.analysedVersion(file), 3);
  });

  it("tags a skein.yaml's diagnostics with the version whose text was validated", async () => {
    const file = "/w/skein.yaml";
    const document = fakeDocument(
      file,
      "deployments:\n  - name: a\n    entrypoint: flows/etl.ts:etl\n    work_pool:\n      name: nowhere\n",
    );
    const names = new Deferred<string[] | undefined>();
    const pools: WorkPoolDirectory = { names: names.call, unavailableReason: "no server" };
    const workspace = new Workspace(
      fakeDocuments(document),
      { analyse: assert.fail } as unknown as AnalysisWorker,
      assert.fail,
    );
    workspace.yamlFiles.add(file);
    const { connection, sent } = recordingConnection();
    const publisher = new DiagnosticsPublisher(connection, workspace, pools);
    await nextTurn();

    publisher.yamlChanged(file);
    await until(() => names.calls.length === 1);
    // The document moves on while version 1 is being validated (its change event not yet handled).
    Object.assign(document, { version: 2, text: "deployments: []\n" });
    names.calls[0].resolve(undefined);
    await until(() => sent.length === 1);
    assert.equal(sent[0].version, 1);
    assert.ok(sent[0].codes.includes("unverified-work-pool"));
  });
});
