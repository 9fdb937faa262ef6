// `skein deploy` as users run it: a project folder with a flow file and a skein.yaml, deployed onto the SQLite
// file of SKEIN_HOME and through a server over each backend. Deploying twice changes nothing, a change updates
// the same deployment, a missing work pool is never created on the side, and every problem is file:line:col.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { BACKENDS, tempHome } from "../../fixtures/server/backends.ts";
import { runCli } from "../../fixtures/built-cli.ts";
import { startTestServer, type TestServer } from "../../fixtures/server/test-server.ts";
import { SqliteStore } from "../../../store/sqlite/sqlite-store.ts";
import type { Store } from "../../../store/types.ts";

const FLOW = `import { flow } from "skein";
export const etl = flow({ name: "etl" }, async (date: string, limit = 10, mode?: "full" | "delta") => ({ date, limit, mode }));
export const report = flow(async () => "ok");
`;

/** skein.yaml with the nightly deployment; `edit` rewrites its text. */
const yaml = (edit: (text: string) => string = (text) => text) =>
  edit(`name: project
deployments:
  - name: nightly
    entrypoint: flows/etl.ts:etl
    parameters: { date: "2026-01-01" }
    work_pool: { name: etl-pool }
    schedules:
      - cron: "0 3 * * *"
        timezone: Europe/Paris
  - name: weekly-report
    entrypoint: flows/etl.ts:report
`);

function project(): { dir: string; file: string; write(text: string): void } {
  const dir = tempHome("skein-deploy-project-");
  fs.mkdirSync(path.join(dir, "flows"));
  fs.writeFileSync(path.join(dir, "flows/etl.ts"), FLOW);
  const file = path.join(dir, "skein.yaml");
  return { dir, file, write: (text) => fs.writeFileSync(file, text) };
}

const deployIn =
  (home: string, file: string, apiUrl = "") =>
  (...args: string[]) =>
    runCli(["deploy", "--file", file, ...args], home, { env: { SKEIN_API_URL: apiUrl, SKEIN_DATABASE_URL: "" } });

/** The shared cases, on whichever store `store()` reads. */
function deploySuite(
  context: () => { home: string; apiUrl: string; store: () => Promise<Store>; done: (s: Store) => Promise<void> },
) {
  test("a missing work pool is an error naming the command that creates it; nothing is registered", async () => {
    const { home, apiUrl, store, done } = context();
    const { file, write } = project();
    write(yaml());
    const answer = await deployIn(home, file, apiUrl)("--all");
    assert.equal(answer.code, 1, answer.stdout);
    assert.match(
      answer.stderr,
      new RegExp(`${file}:6:24: error: Work pool 'etl-pool' does not exist in .*\`skein work-pool create etl-pool\``),
    );
    const s = await store();
    try {
      assert.deepEqual(await s.listDeployments(), []);
    } finally {
      await done(s);
    }
  });

  test("a missing work queue is an error at its own work_queue_name line", async () => {
    const { home, apiUrl } = context();
    const { file, write } = project();
    write(
      yaml((text) =>
        text.replace("work_pool: { name: etl-pool }", "work_pool:\n      name: q-pool\n      work_queue_name: urgent"),
      ),
    );
    const env = { env: { SKEIN_API_URL: apiUrl, SKEIN_DATABASE_URL: "" } };
    assert.equal((await runCli(["work-pool", "create", "q-pool"], home, env)).code, 0);
    const answer = await deployIn(home, file, apiUrl)("nightly");
    assert.equal(answer.code, 1, answer.stdout);
    assert.match(answer.stderr, new RegExp(`${file}:8:24: error: Work pool 'q-pool' has no queue 'urgent'`));
  });

  test("deploys every deployment with the signature's parameter schema; again changes nothing; an edit updates", async () => {
    const { home, apiUrl, store, done } = context();
    const { dir, file, write } = project();
    write(yaml());
    const pool = await runCli(["work-pool", "create", "etl-pool"], home, {
      env: { SKEIN_API_URL: apiUrl, SKEIN_DATABASE_URL: "" },
    });
    assert.equal(pool.code, 0, pool.stderr);
    const deploy = deployIn(home, file, apiUrl);
    const first = await deploy("--all");
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /Created deployment 'etl\/nightly' \(.+\) → work pool 'etl-pool', 1 schedule\(s\)/);
    assert.match(first.stdout, /Created deployment 'report\/weekly-report'/);
    const again = await deploy("--all");
    assert.match(again.stdout, /Unchanged deployment 'etl\/nightly'/);
    write(
      yaml((text) =>
        text
          .replace("0 3 * * *", "30 4 * * 1-5")
          .replace(
            "        timezone: Europe/Paris\n",
            "        timezone: Europe/Paris\n      - interval: 3600\n        anchor_date: 2026-01-01T00:30:00+01:00\n        slug: hourly\n",
          ),
      ),
    );
    const edited = await deploy("nightly");
    assert.equal(edited.code, 0, edited.stderr);
    assert.match(edited.stdout, /Updated deployment 'etl\/nightly'/);
    assert.doesNotMatch(edited.stdout, /weekly-report/, "NAME deploys only that deployment");
    const s = await store();
    try {
      const deployments = await s.listDeployments();
      assert.deepEqual(deployments.map((d) => d.name).sort(), ["nightly", "weekly-report"]);
      const nightly = deployments.find((d) => d.name === "nightly")!;
      // Relative to skein.yaml's folder, which a process worker works in (Prefect's working_dir).
      assert.equal(nightly.entrypoint, "flows/etl.ts:etl");
      assert.deepEqual(nightly.jobVariables, { working_dir: dir });
      assert.deepEqual(nightly.schedules, [
        { cron: "30 4 * * 1-5", timezone: "Europe/Paris", active: true, parameters: {} },
        { interval: 3600, anchorDate: "2025-12-31T23:30:00.000Z", slug: "hourly", active: true, parameters: {} },
      ]);
      assert.deepEqual(nightly.parameters, { date: "2026-01-01" });
      const schema = nightly.parameterSchema as { properties: Record<string, { type?: string }>; required: string[] };
      assert.deepEqual(
        [schema.properties.date.type, schema.properties.limit.type, schema.required],
        ["string", "number", ["date"]],
      );
      assert.equal(nightly.workPoolName, "etl-pool");
      assert.equal(nightly.workQueueName, "default");
    } finally {
      await done(s);
    }
  });
}

describe("skein deploy on the SQLite file of SKEIN_HOME", () => {
  const home = tempHome("skein-deploy-");
  after(() => fs.rmSync(home, { recursive: true, force: true }));
  deploySuite(() => {
    const own = tempHome("skein-deploy-");
    return {
      home: own,
      apiUrl: "",
      store: async () => new SqliteStore(path.join(own, "skein.db")),
      done: (s) => s.close(),
    };
  });

  test("located errors: a bad entrypoint, a bad schedule, bad parameters, an unknown name, no deployment picked", async () => {
    const { file, write } = project();
    const deploy = deployIn(home, file);
    write(yaml((text) => text.replace("flows/etl.ts:etl", "flows/etl.ts:etll")));
    let answer = await deploy("--all");
    assert.equal(answer.code, 1);
    assert.match(
      answer.stderr,
      new RegExp(`${file}:4:17: error: flows/etl.ts has no exported flow 'etll'. Its flows: etl, report`),
    );
    write(yaml((text) => text.replace("0 3 * * *", "? 3 * * *")));
    answer = await deploy("--all");
    assert.match(
      answer.stderr,
      new RegExp(`${file}:8:15: error: Invalid cron expression '\\? 3 \\* \\* \\*': '\\?' is allowed only`),
    );
    write(yaml((text) => text.replace("0 3 * * *", "0 0 3 * * *")));
    answer = await deploy("--all");
    assert.match(answer.stderr, /does not take a sixth field as seconds/);
    write(
      yaml((text) =>
        text.replace(
          "        timezone: Europe/Paris\n",
          "        slug: daily\n      - interval: 60\n        slug: daily\n",
        ),
      ),
    );
    answer = await deploy("--all");
    assert.match(
      answer.stderr,
      new RegExp(`${file}:11:15: error: Schedule slug 'daily' is already used on line 9; give each schedule`),
    );
    write(yaml((text) => text.replace("flows/etl.ts:report", "flows/missing.ts:report")));
    answer = await deploy("weekly-report");
    assert.match(answer.stderr, new RegExp(`${file}:11:17: error: No file 'flows/missing.ts'`));
    write(yaml((text) => text.replace('date: "2026-01-01"', "date: 20260101, limt: 3")));
    answer = await deploy("nightly");
    assert.match(answer.stderr, new RegExp(`${file}:5:25: error: Parameter 'date' must be string`));
    assert.match(answer.stderr, /error: The flow has no parameter 'limt': its parameters are date, limit, mode/);
    write(yaml());
    answer = await deploy("nope");
    assert.match(answer.stderr, /No deployment named 'nope' .*its deployments: nightly, weekly-report/);
    answer = await deploy();
    assert.match(answer.stderr, /has 2 deployments: name one \(nightly, weekly-report\) or pass --all/);
    const store = new SqliteStore(path.join(home, "skein.db"));
    try {
      assert.deepEqual(await store.listDeployments(), [], "nothing registered by any of these");
    } finally {
      await store.close();
    }
  });
});

for (const backend of BACKENDS) {
  describe(`skein deploy through a server over ${backend.name}`, { skip: backend.skip }, () => {
    const home = tempHome("skein-deploy-server-");
    let server: TestServer;
    before(async () => {
      server = await startTestServer(backend);
    });
    after(async () => {
      await server?.close();
      fs.rmSync(home, { recursive: true, force: true });
    });
    deploySuite(() => ({
      home: tempHome("skein-deploy-server-"),
      apiUrl: server.url,
      store: async () => server.store,
      done: async () => {},
    }));
  });
}
