// Fixing a run where it broke, as users do it from a terminal (and the editor through the same commands): retry a
// failed run, rerun from a task with an edited input, see what was recorded, debug a task again with its recorded
// inputs. Real `skein` processes over the SQLite file of SKEIN_HOME and through a server over PostgreSQL; the
// fixture tasks note each execution in a file, so the tests count what ran again and what was reused.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, afterEach, before, beforeEach, describe, test } from "node:test";
import { SqliteStore } from "../../../store/sqlite/sqlite-store.ts";
import type { FlowRunRecord, Store, TaskRunRecord } from "../../../store/types.ts";
import { runCli, type CliResult } from "../../fixtures/built-cli.ts";
import { postgresBackend, tempHome } from "../../fixtures/server/backends.ts";
import { startTestServer, type TestServer } from "../../fixtures/server/test-server.ts";

const FIXTURES = "test/fixtures/engine/rerun";
const NO_RECORDED_INPUTS_EXIT_CODE = 4;

interface Context {
  home: string;
  store: Store;
  skein(...args: string[]): Promise<CliResult>;
  /** `skein` with this text on its standard input. */
  withInput(args: string[], input: string): Promise<CliResult>;
}

/** A notes file, read back as the list of task names that ran. */
function notesFile(home: string): { file: string; ran(): string[] } {
  const file = path.join(home, `notes-${Math.random().toString(36).slice(2)}.txt`);
  return { file, ran: () => (fs.existsSync(file) ? fs.readFileSync(file, "utf8").trim().split("\n") : []) };
}

async function latestRun(store: Store, flowName: string): Promise<FlowRunRecord> {
  const [run] = await store.listFlowRuns({ flowName, limit: 1 });
  assert.ok(run, `a run of ${flowName}`);
  return run;
}

/** The last task run of each name (a run retried in place holds several). */
async function taskRunsByName(store: Store, flowRunId: string): Promise<Map<string, TaskRunRecord>> {
  return new Map((await store.listTaskRuns(flowRunId)).map((run) => [run.name, run]));
}

function scenarios(context: () => Context): void {
  test("retry reuses the completed results of the failed run: only the failed task and what follows run", async () => {
    const { home, store, skein } = context();
    const notes = notesFile(home);
    const marker = path.join(home, "marker-retry");
    const first = await skein(
      "run",
      `${FIXTURES}/chain.ts:chain`,
      "--param",
      `notes=${notes.file}`,
      "--param",
      `marker=${marker}`,
    );
    assert.equal(first.code, 1, first.stderr);
    assert.deepEqual(notes.ran(), ["extract", "transform", "load"]);
    const failed = await latestRun(store, "rerun-chain");
    const before = await taskRunsByName(store, failed.id);
    fs.writeFileSync(marker, "");
    const retry = await skein("flow-run", "retry", failed.id);
    assert.equal(retry.code, 0, retry.stderr);
    assert.match(retry.stdout, /Result: "total 12"/);
    // The run was made by the first process: its lines still name it, not its id.
    assert.match(retry.stdout, new RegExp(`Flow run '${failed.name}' - Finished in state Completed\\(\\)`));
    assert.doesNotMatch(retry.stdout, new RegExp(`${failed.id} - `));
    assert.deepEqual(notes.ran(), ["extract", "transform", "load", "load", "report"], "extract and transform reused");
    const after = await taskRunsByName(store, failed.id);
    for (const name of ["extract-0", "transform-0"]) {
      const state = after.get(name)!.state;
      assert.equal(`${state.type} ${state.name}`, "COMPLETED Cached", name);
      assert.equal(state.details?.cachedFromTaskRunId, before.get(name)!.id, `${name} says which run it came from`);
    }
    assert.equal(after.get("load-0")!.state.name, "Completed");
    assert.equal((await store.getFlowRun(failed.id))!.state.name, "Completed");
  });

  test("rerun from a middle task of a chain with an edited input: upstream reused, the rest runs again", async () => {
    const { home, store, skein } = context();
    const notes = notesFile(home);
    const marker = path.join(home, "marker-chain");
    fs.writeFileSync(marker, "");
    const first = await skein(
      "run",
      `${FIXTURES}/chain.ts:chain`,
      "--param",
      `notes=${notes.file}`,
      "--param",
      `marker=${marker}`,
    );
    assert.equal(first.code, 0, first.stderr);
    const original = await latestRun(store, "rerun-chain");
    const originals = await taskRunsByName(store, original.id);
    const transform = originals.get("transform-0")!;
    const recorded = await store.getTaskRunInputs(transform.id);
    assert.deepEqual(JSON.parse(recorded!.inputs!), { notes: notes.file, rows: [1, 2, 3], factor: 2 });
    const shown = await skein("task-run", "inputs", transform.id, "--json");
    assert.deepEqual(JSON.parse(shown.stdout).inputs, { notes: notes.file, rows: [1, 2, 3], factor: 2 });

    const rerun = await skein("flow-run", "rerun", original.id, "--from-task", transform.id, "--input", "factor=10");
    assert.equal(rerun.code, 0, rerun.stderr);
    assert.match(rerun.stdout, /reusing 1 stored result, running it and 2 task runs downstream again/);
    assert.match(rerun.stdout, /Result: "total 60"/, "the edited factor was used");
    assert.deepEqual(notes.ran(), ["extract", "transform", "load", "report", "transform", "load", "report"]);
    const rerunRun = await latestRun(store, "rerun-chain");
    assert.notEqual(rerunRun.id, original.id, "a new flow run");
    assert.deepEqual(rerunRun.parameters, original.parameters);
    const reran = await taskRunsByName(store, rerunRun.id);
    assert.equal(reran.get("extract-0")!.state.name, "Cached");
    assert.equal(reran.get("extract-0")!.state.details?.cachedFromTaskRunId, originals.get("extract-0")!.id);
    assert.match(reran.get("extract-0")!.state.message!, new RegExp(`of flow run ${original.id}`));
    for (const name of ["transform-0", "load-0", "report-0"]) assert.equal(reran.get(name)!.state.name, "Completed");
    const edited = await store.getTaskRunInputs(reran.get("transform-0")!.id);
    assert.equal(JSON.parse(edited!.inputs!).factor, 10, "the rerun records the inputs it ran with");
    assert.equal(reran.get("transform-0")!.source?.file, `${FIXTURES}/chain.ts`);
  });

  test("rerun from one branch of a diamond: the source and the other branch are reused, the join runs again", async () => {
    const { home, store, skein } = context();
    const notes = notesFile(home);
    const first = await skein(
      "run",
      `${FIXTURES}/diamond.ts:diamond`,
      "--param",
      `notes=${notes.file}`,
      "--output",
      "jsonl",
    );
    assert.equal(first.code, 0, first.stderr);
    const original = await latestRun(store, "rerun-diamond");
    const originals = await taskRunsByName(store, original.id);
    assert.deepEqual(
      originals.get("join-0")!.upstream.sort(),
      [originals.get("left-0")!.id, originals.get("right-0")!.id].sort(),
    );
    const rerun = await skein(
      "flow-run",
      "rerun",
      original.id,
      "--from-task",
      originals.get("left-0")!.id,
      "--input",
      "value=5",
      "--output",
      "jsonl",
    );
    assert.equal(rerun.code, 0, rerun.stderr);
    const final = JSON.parse(rerun.stdout.trim().split("\n").at(-1)!);
    assert.equal(final.result, "116", "left got the edited 5, right's 101 was reused");
    assert.deepEqual(notes.ran().slice(4).sort(), ["join", "left"]);
    const reran = await taskRunsByName(store, (await latestRun(store, "rerun-diamond")).id);
    assert.deepEqual(
      ["source-0", "left-0", "right-0", "join-0"].map((name) => reran.get(name)!.state.name),
      ["Cached", "Completed", "Cached", "Completed"],
    );
  });

  test("rerun refuses what it cannot do, with the reason and the fix, before running anything", async () => {
    const { home, store, skein } = context();
    const notes = notesFile(home);
    const marker = path.join(home, "marker-refusals");
    fs.writeFileSync(marker, "");
    await skein("run", `${FIXTURES}/chain.ts:chain`, "--param", `notes=${notes.file}`, "--param", `marker=${marker}`);
    const chain = await latestRun(store, "rerun-chain");
    const transform = (await taskRunsByName(store, chain.id)).get("transform-0")!;
    const unknownInput = await skein("flow-run", "rerun", chain.id, "--from-task", transform.id, "--input", "factr=3");
    assert.equal(unknownInput.code, 1);
    assert.match(unknownInput.stderr, /Task 'transform' has no parameter 'factr' \(parameters: notes, rows, factor\)/);
    const unknownRun = await skein("flow-run", "rerun", "no-such-run", "--from-task", transform.id);
    assert.match(unknownRun.stderr, /No flow run with id no-such-run/);
    const unknownTask = await skein("flow-run", "rerun", chain.id, "--from-task", "no-such-task");
    assert.match(unknownTask.stderr, /No task run with id no-such-task/);
    assert.equal((await latestRun(store, "rerun-chain")).id, chain.id, "no new run was started");

    assert.equal((await skein("run", `${FIXTURES}/unstored.ts:unstored`)).code, 0);
    const unstored = await latestRun(store, "rerun-unstored");
    const query = (await taskRunsByName(store, unstored.id)).get("query-0")!;
    const refused = await skein("flow-run", "rerun", unstored.id, "--from-task", query.id);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /upstream task run 'connect-0' \(.*\), and its result was not stored/);
    assert.match(refused.stderr, /Give task 'connect' persistResult: true/);
  });

  test("inputs holding a secret value are not stored, and say so; debugging that task run is refused", async () => {
    const { home, store, skein, withInput } = context();
    const secret = "tok-5ecret-value-42";
    const set = await withInput(["secret", "set", "rerun-api-token"], `${secret}\n`);
    assert.equal(set.code, 0, set.stderr);
    const run = await skein("run", `${FIXTURES}/secret-input.ts:withSecret`, "--param", "secretName=rerun-api-token");
    assert.equal(run.code, 0, run.stderr);
    const call = (await taskRunsByName(store, (await latestRun(store, "rerun-secret")).id)).get("call-api-0")!;
    const recorded = await store.getTaskRunInputs(call.id);
    assert.equal(recorded?.inputs, null);
    assert.match(recorded!.notStoredReason!, /secret value/);
    if (store instanceof SqliteStore) {
      await store.close();
      for (const file of fs.readdirSync(home).filter((name) => name.startsWith("skein.db"))) {
        assert.ok(!fs.readFileSync(path.join(home, file)).includes(secret), `${file} holds no secret`);
      }
    }
    const inputs = await skein("task-run", "inputs", call.id);
    assert.equal(inputs.code, NO_RECORDED_INPUTS_EXIT_CODE);
    assert.match(inputs.stdout, /has no recorded inputs: the inputs hold a secret value/);
    const debug = await skein("task-run", "debug", call.id);
    assert.equal(debug.code, NO_RECORDED_INPUTS_EXIT_CODE);
    assert.match(debug.stderr, /Task run 'call-api-0' \(.*\) has no recorded inputs: the inputs hold a secret value/);
  });

  test("task-run debug runs just that task with its recorded inputs and prints its result", async () => {
    const { home, store, skein } = context();
    const notes = notesFile(home);
    const marker = path.join(home, "marker-debug");
    await skein("run", `${FIXTURES}/chain.ts:chain`, "--param", `notes=${notes.file}`, "--param", `marker=${marker}`);
    const failed = await latestRun(store, "rerun-chain");
    const load = (await taskRunsByName(store, failed.id)).get("load-0")!;
    assert.equal(load.state.name, "Failed");
    const stillFailing = await skein("task-run", "debug", load.id);
    assert.equal(stillFailing.code, 1, "the task fails again with the same inputs");
    assert.match(stillFailing.stderr, /marker .* missing/);
    fs.writeFileSync(marker, "");
    const debug = await skein("task-run", "debug", load.id);
    assert.equal(debug.code, 0, debug.stderr);
    assert.match(debug.stdout, /Result: 12\n/, "load of the recorded [2,4,6]");
    assert.deepEqual(notes.ran(), ["extract", "transform", "load", "load", "load"], "only load ran, once a debug");
    const debugRun = await latestRun(store, "load (debug)");
    assert.equal(debugRun.name, "debug-load-0");
    assert.deepEqual(debugRun.tags, ["debug"]);
    const [debugTask] = await store.listTaskRuns(debugRun.id);
    assert.equal(debugTask.taskKey, load.taskKey, "the same task, so its state shows at its definition");
  });
}

describe("fix it where it broke, on the SQLite file of SKEIN_HOME", () => {
  const home = tempHome();
  const env = { SKEIN_API_URL: "", SKEIN_DATABASE_URL: "" };
  let store: SqliteStore;
  // A fresh handle per test: a test may close it to read the file's bytes.
  beforeEach(() => (store = new SqliteStore(path.join(home, "skein.db"))));
  afterEach(async () => store.close());
  scenarios(() => ({
    home,
    store,
    skein: (...args: string[]) => runCli(args, home, { env }),
    withInput: (args: string[], input: string) => runCli(args, home, { env, input }),
  }));
});

describe("fix it where it broke, through a server over PostgreSQL", { skip: postgresBackend.skip }, () => {
  const home = tempHome();
  let server: TestServer;
  before(async () => (server = await startTestServer(postgresBackend)));
  after(async () => server?.close());
  scenarios(() => {
    const env = { SKEIN_API_URL: server.url, SKEIN_DATABASE_URL: "" };
    return {
      home,
      store: server.store,
      skein: (...args: string[]) => runCli(args, home, { env }),
      withInput: (args: string[], input: string) => runCli(args, home, { env, input }),
    };
  });
});
