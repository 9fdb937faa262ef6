// `skein --version` and `-V` print the version of package.json, from the built CLI.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { ROOT, runCli, tempHome } from "../engine/helpers.ts";

test("--version and -V print the package version", async () => {
  const { version } = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
  for (const flag of ["--version", "-V"]) {
    const result = await runCli([flag], tempHome());
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, `${version}\n`);
  }
});
