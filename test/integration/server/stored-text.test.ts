// What the API takes that a store cannot hold as it is (finding 4 of issue 9): free text with NUL characters is
// stored with each NUL marked "␀" (U+2400) and reads back the same from either backend; JSON keeps NUL exactly;
// identifiers with NUL, integers past the 32-bit columns and JSON nested too deep are refused with a 400 naming the
// field. Through the server's routes, through HttpStore, and from a real `skein run` on PostgreSQL.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { RunEvent } from "../../../protocol/run-events.ts";
import { HttpStore } from "../../../store/http/http-store.ts";
import { BACKENDS, postgresBackend } from "../../fixtures/server/backends.ts";
import { flowRunEvents } from "../../fixtures/server/events.ts";
import { raw, startTestServer, type TestServer } from "../../fixtures/server/test-server.ts";
import { startCli, tempHome } from "../engine/helpers.ts";

const NUL_TEXT = "head\u0000tail";
const MARKED = "head\u2400tail";

/** A finished flow run whose free text (a log, a state message, the result, an artifact description) holds NUL. */
function eventsWithNul(): RunEvent[] {
  const events = flowRunEvents({ tasks: 1 });
  for (const event of events) {
    if (event.kind === "log") event.message = NUL_TEXT;
    if (event.kind === "artifact") {
      event.description = NUL_TEXT;
      event.data = { text: NUL_TEXT };
    }
    if (event.kind === "state" && event.state.name === "Completed") {
      event.state.message = NUL_TEXT;
      event.result = JSON.stringify(NUL_TEXT);
    }
  }
  return events;
}

for (const backend of BACKENDS) {
  describe(`stored text and input limits (${backend.name})`, { skip: backend.skip }, () => {
    let server: TestServer;
    before(async () => (server = await startTestServer(backend)));
    after(async () => server?.close());

    async function assertStoredWithNulMarked(read: HttpStore | TestServer["store"], flowRunId: string) {
      const run = (await read.getFlowRun(flowRunId))!;
      assert.equal(run.state.name, "Completed");
      assert.equal(run.state.message, MARKED);
      assert.equal(JSON.parse(run.result!), NUL_TEXT, "a result is JSON: NUL comes back exactly");
      const [task] = await read.listTaskRuns(flowRunId);
      assert.equal(task.state.message, MARKED);
      assert.equal((await read.listStates(task.id)).at(-1)?.message, MARKED, "the history says the same");
      assert.ok((await read.listLogs(flowRunId)).every((log) => log.message === MARKED));
      const [artifact] = await read.listArtifacts(flowRunId);
      assert.equal(artifact.description, MARKED);
      assert.deepEqual(artifact.data, { text: NUL_TEXT });
    }

    test("free text with NUL is stored with NUL marked, through the routes and through HttpStore", async () => {
      const viaRoute = eventsWithNul();
      const answer = await raw(server.url, "POST", "/api/events", { events: viaRoute });
      assert.equal(answer.status, 200, answer.text);
      await assertStoredWithNulMarked(server.store, viaRoute[0].flowRunId);

      const store = new HttpStore(server.url, { delivery: { deadlineMs: 2000, firstDelayMs: 10, maxDelayMs: 100 } });
      try {
        const viaStore = eventsWithNul();
        await store.appendEvents(viaStore);
        await assertStoredWithNulMarked(store, viaStore[0].flowRunId);
      } finally {
        await store.close();
      }
    });

    test("identifiers with NUL, integers past 32 bits and JSON nested too deep are a 400 naming the field", async () => {
      const deep = `${'{"a":'.repeat(5000)}1${"}".repeat(5000)}`;
      const cases: [string, (events: any[]) => void, string | RegExp][] = [
        ["taskKey", (e) => (e.find((x) => x.kind === "task-run-created").taskKey = NUL_TEXT), "events/2/taskKey"],
        ["logger", (e) => (e.find((x) => x.kind === "log").logger = NUL_TEXT), "/logger"],
        ["artifact key", (e) => (e.find((x) => x.kind === "artifact").key = NUL_TEXT), "/key"],
        ["host", (e) => (e[0].host = NUL_TEXT), "events/0/host"],
        ["pid", (e) => (e[0].pid = 2 ** 31), "events/0/pid must be <= 2147483647"],
        ["dynamicKey", (e) => (e.find((x) => x.kind === "task-run-created").dynamicKey = 2 ** 40), "/dynamicKey"],
        ["parameters", (e) => (e[0].parameters = "DEEP"), "events/0/parameters must be nested at most 64"],
        [
          "artifact data",
          (e) => (e.find((x) => x.kind === "artifact").data = "DEEP"),
          /events\/\d+\/data must be nested/,
        ],
      ];
      for (const [what, spoil, field] of cases) {
        const events = flowRunEvents({ tasks: 1 });
        spoil(events);
        const answer = await raw(server.url, "POST", "/api/events", JSON.stringify({ events }).replace('"DEEP"', deep));
        assert.equal(answer.status, 400, `${what}: ${answer.text}`);
        assert.match(answer.json.error, typeof field === "string" ? new RegExp(field.replace(/\//g, "\\/")) : field);
        assert.equal(await server.store.getFlowRun(events[0].flowRunId), undefined, `${what}: nothing stored`);
      }
      const lease = await raw(server.url, "POST", "/api/leases", {
        names: ["x"],
        slots: 1,
        holderPid: 2 ** 31,
        decaying: false,
      });
      assert.equal(lease.status, 400, lease.text);
      assert.match(lease.json.error, /holderPid/);
    });
  });
}

describe("skein run through a server on PostgreSQL, with NUL in a log, an artifact and the result", {
  skip: postgresBackend.skip,
}, () => {
  let server: TestServer;
  before(async () => (server = await startTestServer(postgresBackend)));
  after(async () => server?.close());

  test("completes, exits 0, and the records read back as documented", { timeout: 120_000 }, async () => {
    const previous = process.env.SKEIN_API_URL;
    process.env.SKEIN_API_URL = server.url;
    let child: ReturnType<typeof startCli>;
    try {
      child = startCli(["run", "test/fixtures/engine/nul-text.ts:nulText", "--output", "jsonl"], tempHome());
    } finally {
      if (previous === undefined) delete process.env.SKEIN_API_URL;
      else process.env.SKEIN_API_URL = previous;
    }
    const killer = setTimeout(() => child.kill("SIGKILL"), 90_000);
    const result = await child.done;
    clearTimeout(killer);
    assert.equal(result.signal, null, `the run hung and was killed: ${result.stderr}`);
    assert.equal(result.code, 0, result.stderr);
    const [run] = await server.store.listFlowRuns({ flowName: "nul-text" });
    assert.equal(run.state.name, "Completed");
    assert.equal(JSON.parse(run.result!), NUL_TEXT);
    const [task] = await server.store.listTaskRuns(run.id);
    assert.equal(JSON.parse(task.result!), NUL_TEXT);
    assert.ok((await server.store.listLogs(run.id)).some((log) => log.message === `read ${MARKED}`));
    const [artifact] = await server.store.listArtifacts(run.id);
    assert.equal(artifact.description, `from ${MARKED}`);
    assert.equal(artifact.data, `# ${NUL_TEXT}`);
  });
});
