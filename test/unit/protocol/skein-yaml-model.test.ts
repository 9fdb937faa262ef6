// The one model of skein.yaml (protocol/skein-yaml): what Prefect's own files write is accepted, what Prefect
// drops silently or refuses is reported at its place, and each deployment becomes the spec `skein deploy` sends.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { readSkeinYaml, scheduleForStore } from "../../../protocol/skein-yaml/model.ts";
import { locate } from "../../../protocol/skein-yaml/document.ts";

const codes = (text: string) =>
  readSkeinYaml("/w/skein.yaml", text).findings.map((f) => `${f.range.start.line} ${f.code}`);

describe("the skein.yaml model", () => {
  it("accepts null optional fields, `schedule: {}`, templates, anchors and merge keys", () => {
    const text = [
      "name: null",
      "skein-version: null",
      "definitions:",
      "  pool: &pool { name: '{{ $POOL }}', job_variables: { image: '{{ build.image }}' } }",
      "  tags: &tags [a, b]",
      "build: null",
      "pull:",
      "  - prefect.deployments.steps.git_clone: { repository: '{{ repo }}' }",
      "deployments:",
      "  - name: nightly",
      "    entrypoint: flows/etl.ts:etl",
      "    version: null",
      "    description: null",
      "    schedule: {}",
      "    concurrency_limit: null",
      "    tags: *tags",
      "    work_pool:",
      "      <<: *pool",
      "      work_queue_name: null",
      "    parameters: { date: '{{ today }}' }",
    ].join("\n");
    const model = readSkeinYaml("/w/skein.yaml", text);
    assert.deepEqual(model.findings, []);
    const [spec] = model.deployments;
    assert.deepEqual(spec.tags, ["a", "b"]);
    assert.equal(spec.workPool?.name, "{{ $POOL }}");
    assert.deepEqual(spec.schedules, [], "schedule: {} means no schedule");
  });

  it("warns on the deprecated singular schedule and refuses it beside `schedules`", () => {
    const base = "deployments:\n  - name: a\n    entrypoint: f.ts:a\n";
    assert.deepEqual(codes(`${base}    schedule: { cron: '0 3 * * *' }\n`), ["3 deprecated-schedule"]);
    assert.deepEqual(codes(`${base}    schedule: { cron: '0 3 * * *' }\n    schedules: []\n`), [
      "3 schedule-and-schedules",
    ]);
  });

  it("reports keys Prefect drops silently: deployment-level job_variables, unknown schedule keys", () => {
    const text = [
      "deployments:",
      "  - name: a",
      "    entrypoint: f.ts:a",
      "    job_variables: { env: { A: '1' } }",
      "    schedules:",
      "      - { cron: '0 3 * * *', catchup: false }",
    ].join("\n");
    const model = readSkeinYaml("/w/skein.yaml", text);
    assert.deepEqual(
      model.findings.map((f) => `${f.range.start.line} ${f.code} ${f.severity}`),
      ["5 schema-additionalProperties error", "3 deployment-job-variables error"],
    );
    assert.match(model.findings[1].message, /move it under `work_pool:`/);
    assert.equal(locate("/w/skein.yaml", model.findings[1]), "/w/skein.yaml:4:5");
  });

  it("reads schedules: cron in its zone, steps that do not divide, six fields refused", () => {
    const schedule = (cron: string) =>
      codes(
        `deployments:\n  - name: a\n    entrypoint: f.ts:a\n    schedules:\n      - cron: "${cron}"\n        timezone: Europe/Paris\n`,
      );
    assert.deepEqual(schedule("*/45 * * * *"), ["4 cron-uneven-step"]);
    assert.deepEqual(schedule("*/15 * * * *"), []);
    assert.deepEqual(schedule("0 0 3 * * *"), ["4 invalid-cron"]);
    assert.deepEqual(schedule("* * 31 2 *"), ["4 cron-never-fires"]);
  });

  it("turns deployments into specs", () => {
    const model = readSkeinYaml(
      "/w/skein.yaml",
      [
        "deployments:",
        "  - name: a",
        "    entrypoint: f.ts:a",
        "    concurrency_limit: { limit: 2, collision_strategy: CANCEL_NEW }",
        "    work_pool: { name: p, work_queue_name: q }",
        "    paused: true",
        "    schedules: [{ interval: 60 }]",
      ].join("\n"),
    );
    const [spec] = model.deployments;
    assert.deepEqual(
      [
        spec.name,
        spec.entrypoint,
        spec.concurrencyLimit,
        spec.workPool?.workQueueName,
        spec.paused,
        spec.schedules[0].interval,
      ],
      ["a", "f.ts:a", { limit: 2, collisionStrategy: "CANCEL_NEW" }, "q", true, 60],
    );
  });

  it("stores each schedule's anchor_date (in UTC) and slug, as the scheduler reads them", () => {
    const model = readSkeinYaml(
      "/w/skein.yaml",
      [
        "deployments:",
        "  - name: a",
        "    entrypoint: f.ts:a",
        "    schedules:",
        "      - { interval: 3600, anchor_date: '2026-01-01T09:30:00+01:00', slug: hourly }",
        "      - { cron: '0 3 * * *', day_or: false, active: false }",
      ].join("\n"),
    );
    assert.deepEqual(model.findings, []);
    assert.deepEqual(model.deployments[0].schedules.map(scheduleForStore), [
      { interval: 3600, anchorDate: "2026-01-01T08:30:00.000Z", slug: "hourly", active: true, parameters: {} },
      { cron: "0 3 * * +*", active: false, parameters: {} },
    ]);
  });

  it("refuses two schedules of one deployment with the same slug, at the second, naming the first's line", () => {
    const text = [
      "deployments:",
      "  - name: a",
      "    entrypoint: f.ts:a",
      "    schedules:",
      "      - { interval: 60, slug: fast }",
      "      - cron: '0 3 * * *'",
      "        slug: fast",
      "  - name: b",
      "    entrypoint: f.ts:b",
      "    schedules: [{ interval: 60, slug: fast }]",
    ].join("\n");
    const findings = readSkeinYaml("/w/skein.yaml", text).findings;
    assert.deepEqual(
      findings.map((f) => `${locate("/w/skein.yaml", f)} ${f.code} ${f.severity}`),
      ["/w/skein.yaml:7:15 duplicate-schedule-slug error"],
      "slugs are unique per deployment, not across deployments",
    );
    assert.match(findings[0].message, /Schedule slug 'fast' is already used on line 5/);
  });
});
