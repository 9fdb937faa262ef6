// The operations CLI as users run it: `server start|status|stop` with a real background server, `task-run`
// and `doctor`, tables for people and --json for scripts, one-line errors with a non-zero exit.
import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import fs from "node:fs";
import { HttpStore } from "../../../store/http/http-store.ts";
import { readServerFile, serverFilePath, writeServerFile } from "../../../client/server-file.ts";
import { tempHome } from "../../fixtures/server/backends.ts";
import { flowRunEvents } from "../../fixtures/server/events.ts";
import { runCli } from "../../fixtures/built-cli.ts";

const home = tempHome("skein-cli-");

function skein(args: string[], env: NodeJS.ProcessEnv = {}, skeinHome = home) {
  return runCli(args, skeinHome, { env: { SKEIN_API_URL: "", SKEIN_DATABASE_URL: "", ...env } });
}

describe("skein CLI (server side)", () => {
  after(() => {
    const info = readServerFile(home);
    if (info) process.kill(info.pid, "SIGKILL");
    fs.rmSync(home, { recursive: true, force: true });
  });

  test("server status says nothing runs, and exits 1", async () => {
    const status = await skein(["server", "status"]);
    assert.equal(status.code, 1);
    assert.match(status.stdout, /No Skein server is running/);
  });

  test("doctor without a server explains that nothing watches runs, without failing", async () => {
    const doctor = await skein(["doctor", "--json"]);
    assert.equal(doctor.code, 0, doctor.stderr);
    const server = JSON.parse(doctor.stdout).checks.find((c: any) => c.name === "server");
    assert.equal(server.status, "warning");
    assert.match(server.detail, /skein server start/);
  });

  let flowRunId = "";
  let taskRunId = "";

  test("server start runs it in the background; status finds it; runs reported to it are listed", async () => {
    const start = await skein(["server", "start", "--port", "0", "--json"]);
    assert.equal(start.code, 0, start.stderr);
    const info = JSON.parse(start.stdout);
    assert.match(info.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    const again = await skein(["server", "start", "--port", "0"]);
    assert.match(again.stdout, /already running/);
    const status = JSON.parse((await skein(["server", "status", "--json"])).stdout);
    assert.equal(status.running, true);
    assert.equal(status.pid, info.pid);

    const events = flowRunEvents({ tasks: 2, logsPerTask: 3 });
    const store = new HttpStore(info.url);
    await store.appendEvents(events);
    await store.close();
    flowRunId = events[0].flowRunId;
    const ls = await skein(["task-run", "ls", flowRunId]);
    assert.equal(ls.code, 0, ls.stderr);
    assert.match(ls.stdout, /^ID\s+NAME\s+STATE\s+CREATED/);
    assert.match(ls.stdout, /extract-0\s+Completed/);
    const json = JSON.parse((await skein(["task-run", "ls", flowRunId, "--json"])).stdout);
    assert.equal(json.length, 2);
    taskRunId = json.find((t: any) => t.dynamicKey === 1).id;
  });

  test("task-run inspect and logs", async () => {
    const inspect = JSON.parse(
      (await skein(["task-run", "inspect", taskRunId, "--flow-run", flowRunId, "--json"])).stdout,
    );
    assert.deepEqual(
      inspect.states.map((s: any) => s.name),
      ["Pending", "Running", "Completed"],
    );
    const logs = await skein(["task-run", "logs", taskRunId, "--flow-run", flowRunId, "--level", "warning"]);
    assert.equal(logs.code, 0, logs.stderr);
    assert.deepEqual(
      logs.stdout
        .trim()
        .split("\n")
        .map((l) => l.split(" | ")[2]),
      ["task 1 line 1", "task 1 line 2"],
    );
  });

  test("errors are one line and exit non-zero", async () => {
    const missing = await skein(["task-run", "ls", "no-such-run"]);
    assert.equal(missing.code, 1);
    assert.equal(missing.stderr.trim().split("\n").length, 1);
    assert.match(missing.stderr, /no flow run with id no-such-run/);
    const badLevel = await skein(["task-run", "logs", taskRunId, "--flow-run", flowRunId, "--level", "loud"]);
    assert.equal(badLevel.code, 1);
    assert.match(badLevel.stderr, /--level must be one of/);
  });

  test("doctor with the server running reports it and the database", async () => {
    const doctor = await skein(["doctor"]);
    assert.equal(doctor.code, 0, doctor.stdout + doctor.stderr);
    assert.match(doctor.stdout, /\[ok {2}\] server: http:\/\/127\.0\.0\.1:\d+ answers/);
    assert.match(doctor.stdout, /\[ok {2}\] database: /);
  });

  test("doctor checks work pools: none yet, then a deployment whose pool is paused or allows no run", async () => {
    const workPools = async () =>
      JSON.parse((await skein(["doctor", "--json"])).stdout).checks.find((c: any) => c.name === "work pools");
    const none = await workPools();
    assert.equal(none.status, "ok");
    assert.match(none.detail, /no work pools yet/);

    const store = new HttpStore(readServerFile(home)!.url);
    try {
      assert.ok("created" in (await store.createWorkPool({ name: "night", paused: true })));
      assert.ok("created" in (await store.createWorkPool({ name: "closed", concurrencyLimit: 0 })));
      assert.ok("created" in (await store.createWorkPool({ name: "open" })));
      const deploy = (name: string, workPoolName: string, paused = false) =>
        store.createDeployment({ name, flowName: "etl", entrypoint: "flows/etl.ts:etl", workPoolName, paused });
      assert.ok("created" in (await deploy("fine", "open")));
      assert.ok("created" in (await deploy("idle", "night", true)), "a paused deployment waits on purpose");
      const quiet = await workPools();
      assert.equal(quiet.status, "ok", quiet.detail);
      assert.match(quiet.detail, /3 work pool\(s\); 2 paused or limited to 0, but no active deployment uses them/);

      assert.ok("created" in (await deploy("nightly", "night")));
      assert.ok("created" in (await deploy("never", "closed")));
      const stuck = await workPools();
      assert.equal(stuck.status, "warning");
      assert.match(stuck.detail, /2 deployment\(s\)/);
      assert.match(stuck.detail, /etl\/nightly → 'night' \(is paused\)/);
      assert.match(stuck.detail, /etl\/never → 'closed' \(has concurrency limit 0\)/);
      assert.doesNotMatch(stuck.detail, /etl\/(fine|idle)/);
    } finally {
      await store.close();
    }
  });

  test("doctor fails when SKEIN_API_URL names a server that does not answer", async () => {
    const doctor = await skein(["doctor"], { SKEIN_API_URL: "http://127.0.0.1:9" });
    assert.equal(doctor.code, 1);
    assert.match(doctor.stdout, /\[FAIL\] server: SKEIN_API_URL=http:\/\/127\.0\.0\.1:9 does not answer/);
  });

  test("server stop stops it and removes its file", async () => {
    const stop = await skein(["server", "stop"]);
    assert.equal(stop.code, 0, stop.stderr);
    assert.match(stop.stdout, /Stopped the Skein server/);
    assert.equal(readServerFile(home), undefined);
    assert.equal((await skein(["server", "status"])).code, 1);
  });
});

describe("skein CLI with an API key or a stale server file", () => {
  const keyedHome = tempHome("skein-cli-key-");
  after(() => {
    const info = readServerFile(keyedHome);
    if (info) process.kill(info.pid, "SIGKILL");
    fs.rmSync(keyedHome, { recursive: true, force: true });
  });

  test("doctor without the server's API key says to set SKEIN_API_KEY; stop still stops that server", async () => {
    const start = await skein(["server", "start", "--port", "0"], { SKEIN_API_KEY: "k3y" }, keyedHome);
    assert.equal(start.code, 0, start.stderr);
    for (const key of ["", "wrong"]) {
      const doctor = await skein(["doctor", "--json"], { SKEIN_API_KEY: key }, keyedHome);
      assert.equal(doctor.code, 1, doctor.stderr);
      const server = JSON.parse(doctor.stdout).checks.find((c: any) => c.name === "server");
      assert.match(
        server.detail,
        /refuses this shell's API key .*Set SKEIN_API_KEY to the key the server was started with/,
      );
      assert.doesNotMatch(server.detail, /Restart/);
    }
    const stop = await skein(["server", "stop"], { SKEIN_API_KEY: "" }, keyedHome);
    assert.match(stop.stdout, /Stopped the Skein server/, stop.stderr);
    assert.equal(readServerFile(keyedHome), undefined);
  });

  test("server stop leaves alone a process that got the pid of a server that died", async () => {
    const bystander = spawn(process.execPath, ["-e", "setTimeout(() => {}, 300_000)"], { stdio: "ignore" });
    try {
      await new Promise((resolve) => bystander.once("spawn", resolve));
      writeServerFile(keyedHome, {
        pid: bystander.pid!,
        url: "http://127.0.0.1:9",
        host: "127.0.0.1",
        port: 9,
        backend: "sqlite",
        startedAt: new Date(Date.now() - 3_600_000).toISOString(),
      });
      const stop = await skein(["server", "stop"], {}, keyedHome);
      assert.equal(stop.code, 0, stop.stderr);
      assert.match(stop.stdout, /is gone: .* so it was left alone\. Removed the stale/);
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.equal(bystander.signalCode, null, "the unrelated process was not signalled");
      assert.equal(bystander.exitCode, null);
      assert.equal(fs.existsSync(serverFilePath(keyedHome)), false);
    } finally {
      bystander.kill("SIGKILL");
    }
  });
});
