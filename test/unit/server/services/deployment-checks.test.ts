// The deployment checks a JSON schema cannot express, as the API answers them: schedules (protocol/schedules.ts),
// located by index and field, and parameters against an enforced parameter schema (required ones left to the run).
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { parameterProblem, scheduleProblem } from "../../../../server/services/deployment-checks.ts";

const schedule = (fields: Record<string, unknown>) => ({ active: true, parameters: {}, ...fields });

describe("deployment checks", () => {
  test("schedules: the first bad one is named with its index and field", () => {
    assert.equal(
      scheduleProblem([
        schedule({ cron: "*/5 * * * *", timezone: "Asia/Tokyo" }),
        schedule({ interval: 30 }),
        schedule({ rrule: "FREQ=DAILY" }),
      ]),
      undefined,
    );
    assert.match(
      scheduleProblem([schedule({ interval: 30 }), schedule({ cron: "0 25 * * *" })])!,
      /^schedules\[1\]\.cron: invalid cron expression '0 25 \* \* \*'/,
    );
    // OCPS keeps impossible dates valid (the editor warns that they never fire); `?` outside the day fields is not.
    assert.equal(scheduleProblem([schedule({ cron: "0 0 30 2 *" })]), undefined);
    assert.match(
      scheduleProblem([schedule({ cron: "? 0 * * *" })])!,
      /^schedules\[0\]\.cron: invalid cron expression '\? 0/,
    );
    assert.match(
      scheduleProblem([schedule({ interval: 30, timezone: "Nowhere/Town" })])!,
      /^schedules\[0\]\.timezone: unknown time zone 'Nowhere\/Town'/,
    );
    assert.match(
      scheduleProblem([schedule({ rrule: "FREQ=NEVER" })])!,
      /^schedules\[0\]\.rrule: invalid rrule 'FREQ=NEVER'/,
    );
  });

  test("anchor dates are times with an offset; slugs are unique within the deployment", () => {
    assert.equal(scheduleProblem([schedule({ interval: 60, anchorDate: "2026-01-01T09:00:00+01:00" })]), undefined);
    assert.match(
      scheduleProblem([schedule({ interval: 60, anchorDate: "2026-01-01T09:00:00" })])!,
      /^schedules\[0\]\.anchorDate: invalid anchor date '2026-01-01T09:00:00': write an ISO time with its offset/,
    );
    assert.match(
      scheduleProblem([schedule({ interval: 60, anchorDate: "2026-02-30T00:00:00Z" })])!,
      /^schedules\[0\]\.anchorDate: invalid anchor date/,
    );
    assert.equal(
      scheduleProblem([schedule({ interval: 60, slug: "a" }), schedule({ interval: 90, slug: "b" })]),
      undefined,
    );
    assert.equal(
      scheduleProblem([
        schedule({ interval: 60, slug: "a" }),
        schedule({ interval: 90 }),
        schedule({ cron: "0 3 * * *", slug: "a" }),
      ]),
      "schedules[2].slug: 'a' is already the slug of schedules[0]; slugs are unique per deployment",
    );
  });

  test("parameters: checked only when enforced, without demanding required ones", () => {
    const schema = { type: "object", properties: { rows: { type: "integer", minimum: 1 } }, required: ["rows"] };
    const sets = (parameters: Record<string, unknown>) => [{ where: "parameters", parameters }];
    assert.equal(parameterProblem(schema, true, sets({})), undefined, "a required parameter may come with the run");
    assert.equal(
      parameterProblem(schema, true, sets({ rows: 0 })),
      "parameters/rows does not fit the parameter schema: must be >= 1",
    );
    assert.equal(
      parameterProblem(schema, true, sets({ rows: 2, nope: 1 })),
      "parameters/nope does not fit the parameter schema: the flow has no such parameter",
    );
    assert.equal(parameterProblem(schema, false, sets({ rows: 0 })), undefined);
    assert.equal(parameterProblem(null, true, sets({ rows: "anything" })), undefined);
    assert.match(
      parameterProblem({ type: "nonsense" }, false, sets({}))!,
      /^parameterSchema is not a valid JSON Schema/,
    );
  });
});
