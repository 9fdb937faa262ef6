// `skein run` checks parameters against the JSON Schema generated from the flow's TypeScript signature (the same
// analysis as the language server's), and reads `--param` values by their declared types.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { runCli, tempHome } from "../engine/helpers.ts";

const REPORT = "test/fixtures/engine/typed-parameters.ts:report";

describe("parameters checked against the generated schema", () => {
  test("a string parameter keeps digits as text, objects are checked down to their fields", async () => {
    const home = tempHome();
    const ok = await runCli(
      ["run", REPORT, "--param", "date=20240203", "--param", 'window={"from":"a","days":3}'],
      home,
    );
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /Result: \{"date":"20240203","dateType":"string","limit":10,"days":3\}/);
  });

  test("wrong types and missing parameters fail the run, naming each parameter", async () => {
    const home = tempHome();
    const wrong = await runCli(["run", REPORT, "--param", "limit=many"], home);
    assert.equal(wrong.code, 1);
    assert.match(
      wrong.stderr,
      /Invalid parameters for flow 'report': parameter 'date' is required; parameter 'limit' must be number/,
    );
    const nested = await runCli(["run", REPORT, "--params", '{"date":"x","window":{"from":"a"}}'], home);
    assert.equal(nested.code, 1);
    assert.match(nested.stderr, /parameter 'window\.days' is required/);
  });

  test("tuples and dates are checked as the schema (draft 2020-12, formats) says", async () => {
    const home = tempHome();
    const SCHEDULED = "test/fixtures/engine/typed-parameters.ts:scheduled";
    const ok = await runCli(["run", SCHEDULED, "--params", '{"pair":["a",1],"at":"2026-01-01T08:00:00Z"}'], home);
    assert.equal(ok.code, 0, ok.stderr);
    const badItem = await runCli(["run", SCHEDULED, "--params", '{"pair":["a","b"]}'], home);
    assert.match(badItem.stderr, /parameter 'pair\.1' must be number/);
    const badDate = await runCli(["run", SCHEDULED, "--params", '{"pair":["a",1],"at":"not a date"}'], home);
    assert.match(badDate.stderr, /parameter 'at' must match format "date-time"/);
  });

  test("the schema follows edits to the flow file", async () => {
    const home = tempHome();
    const file = path.join(home, "edited.ts");
    const write = (signature: string, secondsFromNow: number) => {
      fs.writeFileSync(
        file,
        `import { flow } from "skein";\nexport const edited = flow(async (${signature}) => typeof limit);\n`,
      );
      const when = new Date(Date.now() + secondsFromNow * 1000);
      fs.utimesSync(file, when, when); // a distinct modification time, however fast the test runs
    };
    write("limit: number = 1", 0);
    const before = await runCli(["run", `${file}:edited`, "--params", '{"limit":"x"}'], home);
    assert.match(before.stderr, /parameter 'limit' must be number/);
    write('limit: string = "1"', 5);
    const after = await runCli(["run", `${file}:edited`, "--params", '{"limit":"x"}'], home);
    assert.equal(after.code, 0, after.stderr);
    assert.match(after.stdout, /Result: "string"/);
  });

  test("validateParameters: false turns the check off", async () => {
    const home = tempHome();
    const result = await runCli(
      ["run", "test/fixtures/engine/typed-parameters.ts:unchecked", "--param", 'limit="ten"'],
      home,
    );
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /Result: "string"/);
  });
});
