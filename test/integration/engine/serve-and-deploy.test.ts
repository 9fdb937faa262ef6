// flow.serve() and flow.deploy() from code, in real child processes on a real SQLite file: serve fires runs on
// its schedule with its parameters until a signal stops it cleanly; deploy registers (idempotently) the flow's
// entrypoint, schedule and, under `skein run`, the parameter schema of its TypeScript signature.
import { spawn, execFile } from "node:child_process";
import assert from "node:assert/strict";
import { test } from "node:test";
import { ROOT, openStore, runCli, tempHome } from "./helpers.ts";

const TERMINAL = new Set(["COMPLETED", "FAILED", "CANCELLED", "CRASHED"]);

test("serve runs the flow every second with its parameters, and stops cleanly on SIGINT", async () => {
  const home = tempHome();
  const child = spawn(process.execPath, ["test/fixtures/engine/serve-every-second.mts"], {
    cwd: ROOT,
    env: { ...process.env, SKEIN_HOME: home, SKEIN_API_URL: "" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk) => (stdout += chunk));
  child.stderr.on("data", (chunk) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));

  // Wait (polling, no timing assertion) until the schedule has fired and completed at least three runs.
  const deadline = Date.now() + 30_000;
  let completed = 0;
  while (completed < 3 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    const store = openStore(home);
    try {
      const runs = await store.listFlowRuns({ flowName: "tick", limit: 100 }).catch(() => []);
      completed = runs.filter((run) => run.state.type === "COMPLETED").length;
    } finally {
      await store.close();
    }
  }
  assert.ok(completed >= 3, `expected three completed runs, saw ${completed}\n${stdout}\n${stderr}`);
  child.kill("SIGINT");
  const code = await exited;
  assert.ok(code === 0 || code === 130, `exit ${code}\n${stderr}`);
  assert.match(stdout, /^serving\n[\s\S]*stopped cleanly\n$/);

  const store = openStore(home);
  try {
    const runs = await store.listFlowRuns({ flowName: "tick", limit: 100 });
    assert.ok(
      runs.every((run) => TERMINAL.has(run.state.type)),
      "no run is left Running or Pending",
    );
    const done = runs.filter((run) => run.state.type === "COMPLETED");
    assert.ok(done.every((run) => JSON.stringify(run.parameters) === '{"label":"hello"}'));
  } finally {
    await store.close();
  }
});

test("deploy from a plain script: idempotent, updated in place, and refused without its work pool", async () => {
  const home = tempHome();
  const stdout = await new Promise<string>((resolve, reject) =>
    execFile(
      process.execPath,
      ["test/fixtures/engine/deploy-from-code.mts", "plain"],
      { cwd: ROOT, env: { ...process.env, SKEIN_HOME: home, SKEIN_API_URL: "" } },
      (error, out, err) => (error ? reject(new Error(`${error.message}\n${err}`)) : resolve(out)),
    ),
  );
  const lines = stdout.trim().split("\n");
  assert.ok(lines.includes('["created","unchanged","updated",true]'), stdout);
  assert.match(stdout, /refused: Work pool 'missing-pool' does not exist in .*`skein work-pool create missing-pool`/);
  const store = openStore(home);
  try {
    const [deployment] = await store.listDeployments();
    assert.deepEqual(
      [
        deployment.flowName,
        deployment.name,
        deployment.concurrencyLimit,
        deployment.collisionStrategy,
        deployment.tags,
      ],
      ["nightly-from-code", "prod", 2, "CANCEL_NEW", ["etl"]],
    );
    // Relative to the project's folder (the nearest package.json), which a process worker works in.
    assert.equal(deployment.entrypoint, "test/fixtures/engine/deploy-from-code.mts:nightly");
    assert.deepEqual(deployment.jobVariables, { working_dir: ROOT });
    assert.deepEqual(deployment.schedules, [
      { cron: "0 4 * * *", timezone: "Europe/Paris", active: true, parameters: {} },
    ]);
    assert.equal((await store.listDeployments()).length, 1, "the refused one is not registered");
  } finally {
    await store.close();
  }
});

test("deploy from a flow run by `skein run` stores the signature's parameter schema, into a real pool", async () => {
  const home = tempHome();
  const env = { env: { SKEIN_API_URL: "", SKEIN_DATABASE_URL: "" } };
  assert.equal((await runCli(["work-pool", "create", "etl-pool"], home, env)).code, 0);
  const result = await runCli(
    ["run", "test/fixtures/engine/deploy-from-code.mts:deployAll", "--param", "pool=etl-pool"],
    home,
    env,
  );
  assert.equal(result.code, 0, result.stderr);
  const store = openStore(home);
  try {
    const [deployment] = await store.listDeployments();
    assert.equal(deployment.workPoolName, "etl-pool");
    const schema = deployment.parameterSchema as { properties: Record<string, { type?: string }>; required: string[] };
    assert.deepEqual(
      [schema.properties.date.type, schema.properties.limit.type, schema.required],
      ["string", "number", ["date"]],
    );
  } finally {
    await store.close();
  }
});
