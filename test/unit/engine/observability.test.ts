// Logs, logPrints, artifacts, Variable and Secret (encrypted at rest, masked in logs and artifacts).
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { DatabaseSync } from "node:sqlite";
import { describe, test } from "node:test";
import {
  flow,
  task,
  getRunLogger,
  createMarkdownArtifact,
  createTableArtifact,
  createLinkArtifact,
  createImageArtifact,
  createProgressArtifact,
  updateProgressArtifact,
  Variable,
  Secret,
  getStore,
} from "../../../engine/index.ts";
import { useHarness } from "./helpers.ts";
import { minimumLogLevel } from "../../../engine/logging.ts";

const harness = useHarness();

describe("logs", () => {
  test("getRunLogger writes every level, attached to the flow run and the task run", async (context) => {
    process.env.SKEIN_LOGGING_LEVEL = "debug";
    context.after(() => delete process.env.SKEIN_LOGGING_LEVEL);
    const t = task({ name: "logs-in-task" }, () => getRunLogger().warning("careful %d", 3));
    const f = flow({ name: "logging" }, async () => {
      const log = getRunLogger();
      log.debug("d");
      log.info("i");
      log.error("e");
      log.critical("c");
      await t();
    });
    await f();
    const [run] = await harness.current.flowRuns("logging");
    const logs = await harness.current.logs(run.id);
    assert.deepEqual(
      logs.map((l) => [l.level, l.message]),
      [
        ["debug", "d"],
        ["info", "i"],
        ["error", "e"],
        ["critical", "c"],
        ["warning", "careful 3"],
      ],
    );
    const [taskRun] = await harness.current.taskRuns(run.id);
    assert.equal(logs[4].taskRunId, taskRun.id);
    assert.equal(logs[0].taskRunId, null);
    assert.throws(() => getRunLogger(), /outside a flow run/);
  });

  test("SKEIN_LOGGING_LEVEL sets the lowest level recorded: info by default", async (context) => {
    context.after(() => delete process.env.SKEIN_LOGGING_LEVEL);
    const everyLevel = flow({ name: "every-level" }, async () => {
      const log = getRunLogger();
      for (const level of ["debug", "info", "warning", "error", "critical"] as const) log[level](level);
    });
    const recorded = async (setting: string | undefined) => {
      if (setting === undefined) delete process.env.SKEIN_LOGGING_LEVEL;
      else process.env.SKEIN_LOGGING_LEVEL = setting;
      await everyLevel();
      const [run] = await harness.current.flowRuns("every-level");
      return (await harness.current.logs(run.id)).map((log) => log.level);
    };
    assert.deepEqual(await recorded(undefined), ["info", "warning", "error", "critical"]);
    assert.deepEqual(await recorded("ERROR"), ["error", "critical"]);
    assert.deepEqual(await recorded("debug"), ["debug", "info", "warning", "error", "critical"]);
    process.env.SKEIN_LOGGING_LEVEL = "loud";
    assert.throws(
      () => minimumLogLevel(),
      /SKEIN_LOGGING_LEVEL must be one of debug, info, warning, error, critical, got 'loud'/,
    );
  });

  test("logPrints turns console.log in the run into info logs; a task can opt out", async () => {
    const quiet = task({ name: "quiet", logPrints: false }, () => console.log("not captured (printed to stdout)"));
    const loud = task({ name: "loud" }, () => console.log("from task", { n: 1 }));
    await flow({ name: "prints", logPrints: true }, async () => {
      console.log("from flow");
      await loud();
      await quiet();
    })();
    const [run] = await harness.current.flowRuns("prints");
    assert.deepEqual(
      (await harness.current.logs(run.id)).map((l) => l.message),
      ["from flow", "from task { n: 1 }"],
    );
  });
});

describe("artifacts", () => {
  test("markdown, table, link, image and an updatable progress artifact", async () => {
    await flow({ name: "artifacts" }, async () => {
      createMarkdownArtifact("# Report", { key: "daily-report", description: "the report" });
      createTableArtifact([{ a: 1 }, { a: 2 }]);
      createTableArtifact([[1, 2]], { columns: ["x", "y"] });
      createLinkArtifact("https://example.com", { linkText: "example" });
      createImageArtifact("https://example.com/chart.png");
      const progress = createProgressArtifact(10);
      updateProgressArtifact(progress, 150);
      assert.throws(() => createMarkdownArtifact("x", { key: "Bad Key" }), /only lowercase letters/);
    })();
    const [run] = await harness.current.flowRuns("artifacts");
    const artifacts = await harness.current.artifacts(run.id);
    assert.deepEqual(
      artifacts.map((a) => [a.type, a.data]),
      [
        ["markdown", "# Report"],
        ["table", { rows: [{ a: 1 }, { a: 2 }] }],
        ["table", { columns: ["x", "y"], rows: [[1, 2]] }],
        ["link", { url: "https://example.com", text: "example" }],
        ["image", { url: "https://example.com/chart.png" }],
        ["progress", 100],
      ],
    );
    assert.equal((await getStore().getArtifactByKey("daily-report"))?.description, "the report");
  });
});

describe("variables and secrets", () => {
  test("Variable get / set / unset with overwrite protection", async () => {
    assert.equal(await Variable.get("region", "eu"), "eu");
    await Variable.set("region", { name: "us-east", zones: 3 });
    assert.deepEqual(await Variable.get("region"), { name: "us-east", zones: 3 });
    await assert.rejects(
      Variable.set("region", 1),
      /already exists; to replace it pass \{ overwrite: true \} \(from the CLI: skein variable set --overwrite\)/,
    );
    await Variable.set("region", 1, { overwrite: true });
    assert.equal(await Variable.unset("region"), true);
    assert.equal(await Variable.get("region"), undefined);
    await assert.rejects(Variable.set("Bad Name", 1), /must contain only lowercase/);
  });

  test("Secret is encrypted at rest with the key file in SKEIN_HOME, and masked in logs and artifacts", async () => {
    await Secret.set("db-password", "hunter2-very-secret");
    assert.equal(await Secret.get("db-password"), "hunter2-very-secret");
    const home = harness.current.home;
    assert.ok(fs.existsSync(path.join(home, "secret.key")));
    const raw = new DatabaseSync(path.join(home, "skein.db"), { readOnly: true });
    const row = raw.prepare("SELECT ciphertext FROM secrets WHERE name = ?").get("db-password") as {
      ciphertext: string;
    };
    raw.close();
    assert.ok(row.ciphertext.startsWith("v2:") && !row.ciphertext.includes("hunter2"));
    await flow({ name: "masking" }, async () => {
      const password = await Secret.get("db-password");
      getRunLogger().info(`connecting with ${password}`);
      createMarkdownArtifact(`password: ${password}`);
    })();
    const [run] = await harness.current.flowRuns("masking");
    assert.equal((await harness.current.logs(run.id))[0].message, "connecting with ****");
    assert.equal((await harness.current.artifacts(run.id))[0].data, "password: ****");
    await assert.rejects(Secret.get("missing"), /No secret named 'missing'/);
  });
});
