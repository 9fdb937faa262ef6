// The SQLite store file as users meet it when something is off: a read-only SKEIN_HOME, a damaged file, a 0-byte
// file. Every command names the file and says what to do, `skein doctor` reports it instead of dying, a 0-byte
// file is a new store only when truly empty, and a new SKEIN_HOME is its owner's only (0700, files 0600).
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { remountReadOnly, TMPFS_SKIP, withTmpfs } from "../../fixtures/tmpfs.ts";
import { runCli, tempHome } from "../engine/helpers.ts";

/** `skein doctor` ran to its end and reported the database as a problem with `detail`. */
function assertDoctorReports(result: { code: number | null; stdout: string; stderr: string }, detail: RegExp) {
  assert.equal(result.code, 1, result.stderr);
  const line = result.stdout.split("\n").find((l) => l.startsWith("[FAIL] database:"));
  assert.ok(line, `doctor printed no database problem:\n${result.stdout}${result.stderr}`);
  assert.match(line, detail);
  assert.match(result.stdout, /\[ok {2}\] home:/, "the other checks ran too");
}

describe("the store file of SKEIN_HOME", () => {
  test("read-only SKEIN_HOME: commands and doctor name the file and say it must be writable", {
    skip: TMPFS_SKIP,
  }, async () => {
    await withTmpfs("5m", async (disk) => {
      const home = path.join(disk, "home");
      assert.equal((await runCli(["run", "examples/hello.ts:hello"], home)).code, 0);
      remountReadOnly(disk);
      const file = path.join(home, "skein.db");
      const listed = await runCli(["flow-run", "ls"], home);
      assert.equal(listed.code, 1);
      assert.ok(listed.stderr.includes(`cannot open the Skein store ${file}`), listed.stderr);
      assert.match(listed.stderr, /must be writable by this user .* or set SKEIN_HOME/);
      assertDoctorReports(await runCli(["doctor"], home), /must be writable/);
    });
  });

  test("a damaged file (not a database): run, commands and doctor name it and say to move it aside", async () => {
    const home = tempHome();
    const file = path.join(home, "skein.db");
    fs.writeFileSync(file, Buffer.alloc(8192, 0x5a));
    const run = await runCli(["run", "examples/hello.ts:hello"], home);
    assert.equal(run.code, 1);
    assert.ok(run.stderr.includes(`cannot open the Skein store ${file}: file is not a database`), run.stderr);
    assert.ok(run.stderr.includes(`mv ${file} ${file}.bad`), run.stderr);
    assertDoctorReports(await runCli(["doctor"], home), /SQLITE_NOTADB.*move it aside/);
    assert.equal(fs.readFileSync(file).length, 8192, "the file is left as it was");
  });

  test("a 0-byte file with a write-ahead log beside it is a store cut short: refused, left alone", async () => {
    const home = tempHome();
    const file = path.join(home, "skein.db");
    fs.writeFileSync(file, "");
    fs.writeFileSync(`${file}-wal`, Buffer.alloc(4096, 1));
    const listed = await runCli(["flow-run", "ls"], home);
    assert.equal(listed.code, 1);
    assert.match(
      listed.stderr,
      /is empty \(0 bytes\) but skein\.db-wal beside it holds 4096 bytes: the store was cut short/,
    );
    assert.equal(fs.statSync(file).size, 0);
    assertDoctorReports(await runCli(["doctor"], home), /cut short/);
  });

  test("a truly empty 0-byte file becomes a new store, and says so", async () => {
    const home = tempHome();
    fs.writeFileSync(path.join(home, "skein.db"), "");
    const run = await runCli(["run", "examples/hello.ts:hello"], home);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /skein\.db was an empty file \(0 bytes\); it now holds a new, empty store/);
    const again = await runCli(["flow-run", "ls"], home);
    assert.doesNotMatch(again.stderr, /empty file/, "only the first open says so");
  });

  test("a new SKEIN_HOME is readable by its owner only: the directory 0700, the store 0600", async () => {
    const home = path.join(tempHome(), "new-home");
    const run = await runCli(["run", "examples/hello.ts:hello"], home);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(fs.statSync(home).mode & 0o777, 0o700);
    assert.equal(fs.statSync(path.join(home, "skein.db")).mode & 0o777, 0o600);
  });
});
