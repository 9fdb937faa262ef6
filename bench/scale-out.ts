// scale-out: `--count N` (5,000) deployment runs of a flow that does nothing, created ahead, then 8 workers (real
// `skein worker start` processes, each up to 4 runs at once, one warm runner process ahead, runners running up to 100 runs one
// after another) on one PostgreSQL server, until every run has ended. Reports runs per second and checks that every
// run ran exactly once (one Running state each, all Completed). Baseline in the same run: how many fresh
// `node -e 0` processes 8 parallel spawners start per second, the rate a process-per-run design is bound by here.
// Needs SKEIN_TEST_DATABASE_URL (a schema of its own is created and dropped).
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { promisify } from "node:util";
import pg from "pg";
import { deploymentsApi } from "../protocol/api/deployments.ts";
import {
  deployFlow,
  startBenchServer,
  startWorker,
  stopWorker,
  until,
  workersPolling,
} from "./common/deployment-setup.ts";
import { emit, log, runMain } from "./common/report.ts";

const WORKERS = 8;
const countAt = process.argv.indexOf("--count");
const COUNT = countAt >= 0 ? Number(process.argv[countAt + 1]) : 5_000;

async function spawnRate(total: number, parallel: number): Promise<number> {
  const run = promisify(execFile);
  const start = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next++ < total) await run(process.execPath, ["-e", "0"]);
    }),
  );
  return total / ((performance.now() - start) / 1000);
}

runMain(async () => {
  const url = process.env.SKEIN_TEST_DATABASE_URL;
  if (!url) throw new Error("scale-out needs SKEIN_TEST_DATABASE_URL (a PostgreSQL database it may add a schema to)");
  const schema = `skein_bench_${process.pid}_${randomBytes(3).toString("hex")}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  const scoped = new URL(url);
  scoped.searchParams.set("options", `-c search_path=${schema}`);
  const server = startBenchServer(scoped.toString());
  const workers = [];
  try {
    const deploymentId = await deployFlow(server, "scale", "noop");
    log(`creating ${COUNT} runs`);
    for (let index = 0; index < COUNT; index++)
      await server.client.call(deploymentsApi.createRun, { params: { id: deploymentId }, body: {} });
    const start = performance.now();
    for (let index = 0; index < WORKERS; index++)
      workers.push(
        startWorker(server, "scale", `w${index}`, ["--limit", "4", "--warm", "1", "--runs-per-process", "100"]),
      );
    await workersPolling(server, "scale", WORKERS);
    const ended = async () =>
      Number(
        (
          await admin.query(
            `SELECT count(*) AS n FROM ${schema}.flow_runs WHERE state_type IN ('COMPLETED','FAILED','CRASHED','CANCELLED')`,
          )
        ).rows[0].n,
      );
    await until(async () => {
      const done = await ended();
      log(`${done}/${COUNT} ended after ${((performance.now() - start) / 1000).toFixed(1)} s`);
      return done >= COUNT ? true : undefined;
    }, 2_000);
    const seconds = (performance.now() - start) / 1000;
    const { rows } = await admin.query(
      `SELECT count(*) FILTER (WHERE state_name = 'Completed') AS completed,
              (SELECT count(*) FROM (SELECT run_id FROM ${schema}.states WHERE name = 'Running' GROUP BY run_id HAVING count(*) <> 1) twice) AS not_once
         FROM ${schema}.flow_runs`,
    );
    log(`completed ${rows[0].completed}/${COUNT}; runs not run exactly once: ${rows[0].not_once}`);
    if (Number(rows[0].completed) !== COUNT || Number(rows[0].not_once) !== 0)
      throw new Error("not every run ran exactly once");
    for (const worker of workers.splice(0)) await stopWorker(worker);
    const baseline = await spawnRate(200, WORKERS);
    emit("scale-out", `runs-per-second-${WORKERS}-workers`, {
      value: COUNT / seconds,
      unit: "runs/s",
      baseline,
      runs: COUNT,
    });
  } finally {
    for (const worker of workers) await stopWorker(worker);
    server.stop();
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.end();
  }
});
