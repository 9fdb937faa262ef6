// `skein run` as users run it: a real process, a real SQLite file, source-mapped errors, JSON lines output.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import * as esbuild from "esbuild";
import type { RunEvent } from "../../../protocol/run-events.ts";
import { ROOT, openStore, runCli, tempHome } from "../engine/helpers.ts";

describe("skein run", () => {
  test("runs examples/hello.ts:hello with --param, printing task and flow states and the result", async () => {
    const home = tempHome();
    const result = await runCli(["run", "examples/hello.ts:hello", "--param", "name=Ada"], home);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /Task run 'greet-0' - Finished in state Completed\(\)/);
    assert.match(result.stdout, /Task run 'shout-0' - Finished in state Completed\(\)/);
    assert.match(result.stdout, /Flow run '[a-z]+-[a-z]+' - Finished in state Completed\(\)/);
    assert.match(result.stdout, /Result: "HELLO, ADA!"\n/);
    const store = openStore(home);
    const [run] = await store.listFlowRuns();
    assert.deepEqual(
      [run.flowName, run.state.name, run.parameters, run.entrypoint],
      ["hello", "Completed", { name: "Ada" }, "examples/hello.ts:hello"],
    );
    assert.equal((await store.listTaskRuns(run.id)).length, 2);
    await store.close();
    assert.ok(
      fs.readdirSync(path.join(home, "cache/bundles")).some((f) => f.endsWith(".mjs")),
      "the bundle is written into SKEIN_HOME",
    );
  });

  test("--params JSON and --output jsonl: one typed run event per line, nothing else on stdout", async () => {
    const result = await runCli(
      ["run", "examples/hello.ts:hello", "--params", '{"name":"Grace"}', "--output", "jsonl"],
      tempHome(),
    );
    assert.equal(result.code, 0, result.stderr);
    const events = result.stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as RunEvent);
    assert.deepEqual([...new Set(events.map((e) => e.kind))].sort(), [
      "flow-run-created",
      "state",
      "task-run-created",
      "task-run-inputs",
    ]);
    const final = events.at(-1)!;
    assert.ok(final.kind === "state" && final.runKind === "flow" && final.state.name === "Completed");
    assert.equal(JSON.parse(final.result!), "HELLO, GRACE!");
    assert.equal(new Set(events.map((e) => e.id)).size, events.length);
  });

  test("a failing flow exits 1 with the error and its original .ts location", async () => {
    const result = await runCli(["run", "test/fixtures/engine/failing.ts:failing"], tempHome());
    assert.equal(result.code, 1);
    assert.match(result.stdout, /Task run 'explode-0' - Finished in state Failed\('boom: bad input'\)/);
    assert.match(result.stderr, /Error: boom: bad input/);
    assert.match(result.stderr, /Error location: test\/fixtures\/engine\/failing\.ts:4:9/);
  });

  test("a file that throws while loading is reported with its .ts location", async () => {
    const result = await runCli(["run", "test/fixtures/engine/throws-on-load.ts:never"], tempHome());
    assert.equal(result.code, 1);
    assert.match(result.stderr, /Error: settings\.region is not configured/);
    assert.match(result.stderr, /Error location: test\/fixtures\/engine\/throws-on-load\.ts:5:29/);
  });

  test("bad parameters and bad entrypoints are reported clearly", async () => {
    const home = tempHome();
    const unknown = await runCli(["run", "examples/hello.ts:hello", "--param", "nme=Ada"], home);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /Flow 'hello' has no parameter 'nme' \(parameters: name\)/);
    // `--param name=3` would stay the text "3" (name is a string); explicit JSON keeps its type.
    const wrongType = await runCli(["run", "examples/hello.ts:hello", "--params", '{"name":3}'], home);
    assert.equal(wrongType.code, 1);
    assert.match(wrongType.stderr, /parameter 'name' must be string/);
    const missing = await runCli(["run", "examples/hello.ts:nope"], home);
    assert.match(missing.stderr, /does not export 'nope' \(flows it exports: hello\)/);
  });

  test("a '__proto__' key is a parameter name like any other, refused as unknown, not a way past the check", async () => {
    const home = tempHome();
    for (const args of [
      ["--params", '{"__proto__":{"name":"Mallory"}}'],
      ["--param", '__proto__={"name":"Mallory"}'],
    ]) {
      const result = await runCli(["run", "examples/hello.ts:hello", ...args], home);
      assert.equal(result.code, 1, `${args.join(" ")}: ${result.stdout}`);
      assert.match(result.stderr, /Flow 'hello' has no parameter '__proto__' \(parameters: name\)/);
      assert.doesNotMatch(result.stdout, /MALLORY/);
    }
  });

  test("--help documents run", async () => {
    const result = await runCli(["run", "--help"], tempHome());
    assert.equal(result.code, 0);
    assert.match(result.stdout, /Usage: skein run \[options\] <entrypoint>/);
    assert.match(result.stdout, /--output <mode>/);
  });

  test("a file compiled with experimentalDecorators runs its legacy-decorated flow", async () => {
    // The CLI bundles with the project's tsconfig; here a tsconfig beside the fixture turns on the legacy shape.
    const dir = fs.mkdtempSync(path.join(ROOT, "test/fixtures/engine/.legacy-"));
    try {
      fs.copyFileSync(path.join(ROOT, "test/fixtures/engine/legacy-decorators.ts"), path.join(dir, "legacy.ts"));
      fs.writeFileSync(
        path.join(dir, "tsconfig.json"),
        JSON.stringify({ compilerOptions: { experimentalDecorators: true } }),
      );
      const check = await esbuild.build({
        entryPoints: [path.join(dir, "legacy.ts")],
        bundle: false,
        write: false,
        format: "esm",
      });
      assert.match(check.outputFiles[0].text, /__decorateClass/, "esbuild compiled the legacy decorator shape");
      const result = await runCli(
        ["run", `${path.relative(ROOT, dir)}/legacy.ts:Legacy.run`, "--param", "n=41"],
        tempHome(),
      );
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stdout, /Task run 'legacy-add-0' - Finished in state Completed\(\)/);
      assert.match(result.stdout, /Result: 42/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
