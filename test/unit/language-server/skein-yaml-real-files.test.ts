// Real prefect.yaml files from public repositories and Prefect's own template and recipes, renamed skein.yaml
// with entrypoints pointed at TypeScript flows (test/fixtures/skein-yaml-real, README there names each source).
// Each file gets exactly the diagnostics listed, with the reason: an error only where Prefect would refuse the
// file or silently drop a key, a warning where Prefect warns or `skein deploy` would need more, nothing else.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import { analyseSource } from "../../../language-server/discovery.ts";
import { WorkspaceIndex } from "../../../language-server/workspace-index.ts";
import { validateSkeinYaml } from "../../../language-server/yaml/skein-yaml-validation.ts";

const root = path.join(import.meta.dirname, "../../fixtures/skein-yaml-real");
const yamlFile = path.join(root, "workspace", "skein.yaml");

const recipe = [
  "incomplete-deployment: Prefect's template leaves name and entrypoint empty for `prefect deploy` to ask",
];
/** File → the expected `line code` of each diagnostic (1-based lines), and why. */
const expected: Record<string, { diagnostics: string[]; why: string }> = {
  "3commacapital-schedule-extra-keys.yaml": {
    diagnostics: [40, 41, 59, 60, 78, 79, 97, 98].map((line) => `${line} schema-additionalProperties`),
    why: "max_active_runs and catchup are not schedule keys: Prefect builds the schedule without them, silently",
  },
  "camonprefect-step-45-cron.yaml": {
    diagnostics: ["33 deprecated-schedule", "34 cron-uneven-step", "48 deprecated-schedule"],
    why: "singular `schedule:` is deprecated; */45 fires at :00 and :45, not every 45 minutes",
  },
  "ccdi-huge-legacy-steps.yaml": {
    diagnostics: [],
    why: "51 deployments with `schedule: null`, per-deployment pull steps and legacy step names: all accepted",
  },
  "dataos-null-name-and-entrypoint.yaml": {
    diagnostics: ["22 incomplete-deployment"],
    why: "the first deployment is the template's empty one (schedule: {}, nulls everywhere); the second is complete",
  },
  "ingest-aws-s3-anchors-templates.yaml": {
    diagnostics: [],
    why: "a `definitions:` anchor merged as work_pool, `{{ $VAR }}` templates and null parameters are all valid",
  },
  "labour-market-au-deployment-job-variables.yaml": {
    diagnostics: [
      "55 deprecated-schedule",
      "58 deployment-job-variables",
      "76 deprecated-schedule",
      "79 deployment-job-variables",
    ],
    why: "job_variables beside work_pool (not in it) is dropped by Prefect without a word",
  },
  "lightning-containers-deployments-mapping.yaml": {
    diagnostics: ["2 schema-type"],
    why: "`deployments:` is a mapping, not a list: Prefect refuses the file",
  },
  "prefect-trading-deprecated-schedule.yaml": {
    diagnostics: ["14 deprecated-schedule", "28 deprecated-schedule", "42 deprecated-schedule"],
    why: "singular `schedule:`; `flow_name` is a key Prefect accepts",
  },
  "prefecthq-recipes-azure.yaml": { diagnostics: ["26 incomplete-deployment"], why: recipe[0] },
  "prefecthq-recipes-docker-azure.yaml": { diagnostics: ["43 incomplete-deployment"], why: recipe[0] },
  "prefecthq-recipes-docker-gcs.yaml": { diagnostics: ["42 incomplete-deployment"], why: recipe[0] },
  "prefecthq-recipes-docker-git.yaml": { diagnostics: ["35 incomplete-deployment"], why: recipe[0] },
  "prefecthq-recipes-docker-s3.yaml": { diagnostics: ["42 incomplete-deployment"], why: recipe[0] },
  "prefecthq-recipes-docker.yaml": { diagnostics: ["34 incomplete-deployment"], why: recipe[0] },
  "prefecthq-recipes-gcs.yaml": { diagnostics: ["26 incomplete-deployment"], why: recipe[0] },
  "prefecthq-recipes-git.yaml": { diagnostics: ["15 incomplete-deployment"], why: recipe[0] },
  "prefecthq-recipes-local.yaml": { diagnostics: ["13 incomplete-deployment"], why: recipe[0] },
  "prefecthq-recipes-s3.yaml": { diagnostics: ["26 incomplete-deployment"], why: recipe[0] },
  "prefecthq-templates.yaml": { diagnostics: ["11 incomplete-deployment"], why: recipe[0] },
};

function workspaceIndex(): WorkspaceIndex {
  const index = new WorkspaceIndex();
  const walk = (dir: string): string[] =>
    fs
      .readdirSync(dir, { withFileTypes: true })
      .flatMap((entry) => (entry.isDirectory() ? walk(path.join(dir, entry.name)) : [path.join(dir, entry.name)]));
  for (const file of walk(path.join(root, "workspace"))) index.set(analyseSource(file, fs.readFileSync(file, "utf8")));
  return index;
}

describe("real deployment files", () => {
  const index = workspaceIndex();
  const poolNames: string[] = JSON.parse(fs.readFileSync(path.join(root, "pools.json"), "utf8"));
  const pools = { names: async () => poolNames, unavailableReason: "" };

  it("has an expectation for every file of the corpus", () => {
    assert.deepEqual(fs.readdirSync(path.join(root, "files")).sort(), Object.keys(expected).sort());
  });

  for (const [file, { diagnostics, why }] of Object.entries(expected)) {
    it(`${file}: ${why}`, async () => {
      const text = fs.readFileSync(path.join(root, "files", file), "utf8");
      const report = await validateSkeinYaml(yamlFile, text, index, pools);
      const found = report.diagnostics
        .map((d) => `${d.range.start.line + 1} ${String(d.code)}`)
        .sort((a, b) => Number.parseInt(a, 10) - Number.parseInt(b, 10));
      assert.deepEqual(found, diagnostics, report.diagnostics.map((d) => d.message).join("\n"));
      const errors = report.diagnostics.filter((d) => d.severity === 1).length;
      assert.equal(errors > 0, /schema-|job-variables/.test(diagnostics.join(" ")));
    });
  }

  it("holds entrypoint diagnostics until the workspace index is ready", async () => {
    const text = "deployments:\n  - name: a\n    entrypoint: main.ts:eod_process_flow\n";
    const empty = new WorkspaceIndex(); // as during the start-up scan: the flow's file is not indexed yet
    const during = await validateSkeinYaml(yamlFile, text, empty, pools, false);
    assert.deepEqual(during.diagnostics, []);
    const after = await validateSkeinYaml(yamlFile, text, index, pools, true);
    assert.deepEqual(after.diagnostics, []);
    const wrong = await validateSkeinYaml(yamlFile, text.replace("eod_", "eodd_"), index, pools, true);
    assert.deepEqual(
      wrong.diagnostics.map((d) => d.code),
      ["invalid-entrypoint"],
    );
  });
});
