import { test } from "node:test";
import assert from "node:assert/strict";
import os from "node:os";
import path from "node:path";
import { processJob } from "../../../worker/process-job.ts";

const fallback = path.join(os.tmpdir(), "worker-folder");

test("working_dir that exists here is where the run works; env values become strings", () => {
  const job = processJob({ working_dir: os.tmpdir(), env: { A: "1", B: 2, C: null } }, fallback);
  assert.equal(job.cwd, path.resolve(os.tmpdir()));
  assert.deepEqual(job.env, { A: "1", B: "2" });
  assert.deepEqual(job.notes, []);
});

test("no job variables: the worker's folder, nothing added, nothing said", () => {
  assert.deepEqual(processJob({}, fallback), { cwd: fallback, env: {}, notes: [] });
});

test("a working_dir this machine lacks falls back to the worker's folder, and says so", () => {
  const job = processJob({ working_dir: "/no/such/folder/on/this/machine" }, fallback);
  assert.equal(job.cwd, fallback);
  assert.match(job.notes[0], /working_dir '\/no\/such\/folder\/on\/this\/machine' is not a folder on this machine/);
});

test("variables of other pool types and malformed ones are named, not silently dropped", () => {
  const job = processJob({ image: "python:3.12", env: ["A=1"], working_dir: 7 }, fallback);
  assert.equal(job.cwd, fallback);
  assert.deepEqual(job.env, {});
  assert.equal(job.notes.length, 3);
  assert.match(job.notes.join("\n"), /working_dir must be a folder path/);
  assert.match(job.notes.join("\n"), /env must be a mapping/);
  assert.match(job.notes.join("\n"), /'image' mean nothing to a process work pool/);
});
