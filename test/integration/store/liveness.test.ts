// When a run's process counts as gone: by its pid on its own machine, by its heartbeats anywhere else.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { hostname } from "node:os";
import { isRunProcessGone } from "../../../store/liveness.ts";

const deadPid = spawnSync(process.execPath, ["-e", ""]).pid!;
const now = Date.now();
const fresh = new Date(now - 1_000).toISOString();
const stale = new Date(now - 60_000).toISOString();

test("on this machine the pid decides at once, whatever the heartbeat", () => {
  assert.equal(isRunProcessGone(deadPid, hostname(), fresh, now), true, "SIGKILLed a moment ago: gone");
  assert.equal(isRunProcessGone(process.pid, hostname(), stale, now), false, "alive though silent");
  assert.equal(isRunProcessGone(deadPid, null, fresh, now), true, "no host recorded: this machine");
});

test("on another machine only heartbeats can tell", () => {
  assert.equal(isRunProcessGone(deadPid, "another-host", fresh, now), false);
  assert.equal(isRunProcessGone(process.pid, "another-host", stale, now), true);
});

test("a run with no process yet (pid 0) is never gone", () => {
  assert.equal(isRunProcessGone(0, hostname(), stale, now), false);
});
