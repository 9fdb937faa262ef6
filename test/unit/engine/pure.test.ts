// Pure units: state machine, result serialization, parameter parsing, run names, retry delays.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { assertTransition, formatState, makeState, InvalidTransitionError } from "../../../engine/states.ts";
import { deserialize, serialize } from "../../../engine/results/serialize.ts";
import {
  argumentsFromParameters,
  bindParameters,
  checkDefaultTypes,
  parameterInfo,
  validateParameters,
} from "../../../engine/parameters.ts";
import { renderRunName, generateRunName } from "../../../engine/names.ts";
import { exponentialBackoff, retryDelayMs } from "../../../engine/retries.ts";
import { newId } from "../../../protocol/ids.ts";

describe("state machine", () => {
  test("allows Pending -> Running -> Completed and refuses Completed -> Running", () => {
    const pending = makeState("Pending");
    const running = makeState("Running");
    assertTransition(undefined, pending);
    assertTransition(pending, running);
    assertTransition(running, makeState("Completed"));
    assert.throws(() => assertTransition(makeState("Completed"), running), InvalidTransitionError);
    assert.throws(() => assertTransition(undefined, running), InvalidTransitionError);
    assert.throws(
      () => assertTransition(makeState("Cached"), makeState("Crashed")),
      /^InvalidTransitionError: Skein engine bug: Cached -> Crashed is not an allowed transition: Cached is final$/,
    );
  });

  test("named states carry their type, and print like Prefect", () => {
    assert.equal(makeState("Cached").type, "COMPLETED");
    assert.equal(makeState("TimedOut").type, "FAILED");
    assert.equal(makeState("AwaitingRetry").type, "SCHEDULED");
    assert.equal(formatState(makeState("Failed", "boom")), "Failed('boom')");
    assert.equal(formatState(makeState("Completed")), "Completed()");
  });
});

describe("result serialization", () => {
  test("round-trips JSON plus Date, Map, Set, bigint, Buffer, undefined and non-finite numbers", () => {
    const value = {
      when: new Date("2024-01-02T03:04:05.000Z"),
      map: new Map<unknown, unknown>([
        ["a", 1],
        [2, new Set([3n])],
      ]),
      big: 12345678901234567890n,
      bytes: Buffer.from("hi"),
      nothing: undefined,
      list: [1, "two", null, Infinity],
      nested: { ok: true },
    };
    const back = deserialize(serialize(value, "Task 't'")) as typeof value;
    assert.deepEqual(back, value);
    assert.ok(back.when instanceof Date && Buffer.isBuffer(back.bytes) && back.map instanceof Map);
  });

  test("refuses functions and class instances with the task name and the path", () => {
    class Connection {}
    assert.throws(
      () => serialize({ rows: [1, { conn: new Connection() }] }, "Task 'load'"),
      /Task 'load'.*result\.rows\[1\]\.conn is an instance of Connection/,
    );
    assert.throws(() => serialize(() => 1, "Task 'f'"), /Task 'f'.*a function/);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    assert.throws(
      () => serialize(cyclic, "Task 'c'"),
      /result\.self is a reference back to result: the value contains a cycle/,
    );
  });
});

describe("parameters", () => {
  test("reads names, defaults' types and rest parameters from the source", () => {
    const fn = (date: string, limit = 10, { deep }: { deep: boolean } = { deep: true }, ...rest: number[]) => [
      date,
      limit,
      deep,
      rest,
    ];
    assert.deepEqual(
      parameterInfo(fn).map((p) => [p.name, p.defaultType ?? null, p.rest]),
      [
        ["date", null, false],
        ["limit", "number", false],
        ["arg2", "object", false],
        ["rest", null, true],
      ],
    );
    assert.deepEqual(
      parameterInfo(async function named(a = "x,(y)") {
        return a;
      }).map((p) => p.name),
      ["a"],
    );
    assert.deepEqual(
      parameterInfo((x: number) => x).map((p) => p.name),
      ["x"],
    );
  });

  test("binds positional arguments to names and back; an unknown name is an error naming it", () => {
    const fn = (a: number, b = 2) => a + b;
    assert.deepEqual(bindParameters(fn, [1]), { a: 1, b: 2 }, "literal defaults are filled in");
    assert.deepEqual(
      bindParameters((s = "it's", t = 'say "hi"') => s + t, []),
      { s: "it's", t: 'say "hi"' },
    );
    assert.deepEqual(argumentsFromParameters(fn, "f", { b: 5, a: 1 }), [1, 5]);
    assert.throws(
      () => argumentsFromParameters(fn, "f", { c: 1 }),
      /Flow 'f' has no parameter 'c' \(parameters: a, b\)/,
    );
  });

  test("checks types implied by literal defaults, and a given JSON Schema with Ajv", async () => {
    const fn = (name = "world", count = 1) => `${name}${count}`;
    checkDefaultTypes("hello", fn, { name: "Ada" });
    assert.throws(() => checkDefaultTypes("hello", fn, { count: "three" }), /parameter 'count' must be number/);
    const schema = { type: "object", properties: { date: { type: "string", format: "date" } }, required: ["date"] };
    await validateParameters("etl", schema, { date: "2024-01-01" });
    await assert.rejects(
      validateParameters("etl", schema, { date: "yesterday" }),
      /parameter 'date' must match format "date"/,
    );
    await assert.rejects(validateParameters("etl", schema, {}), /parameter 'date' is required/);
  });

  test("no parameters need no validator only where every schema keyword accepts an empty object", async () => {
    const optional = { type: "object", properties: { date: { type: "string" } }, additionalProperties: false };
    await validateParameters("etl", optional, {});
    await validateParameters("etl", optional, { date: undefined });
    await assert.rejects(
      validateParameters("etl", { ...optional, minProperties: 1 }, {}),
      /parameter '\(parameters\)' must NOT have fewer than 1 properties/,
    );
    await assert.rejects(validateParameters("etl", { type: "array" }, {}), /parameter '\(parameters\)' must be array/);
  });
});

describe("run names and ids", () => {
  test("templates fill parameters; an unknown placeholder names itself", () => {
    assert.equal(renderRunName("process-{date}", { date: "2024-01-01" }, "Flow 'etl' run"), "process-2024-01-01");
    assert.equal(
      renderRunName((p) => `n-${p.n}`, { n: 3 }, "x"),
      "n-3",
    );
    assert.throws(
      () => renderRunName("x-{missing}", { date: 1 }, "Flow 'etl' run"),
      /uses \{missing\}, which is not a parameter \(parameters: date\)/,
    );
    assert.match(generateRunName(), /^[a-z]+-[a-z]+$/);
  });

  test("ids are UUIDv7 and increase within the process", () => {
    const ids = Array.from({ length: 5000 }, newId);
    assert.ok(ids.every((id) => /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(id)));
    assert.ok(ids.every((id, i) => i === 0 || ids[i - 1] < id));
  });
});

describe("retry delays", () => {
  test("number, list whose last value repeats, function, exponential backoff", () => {
    assert.equal(retryDelayMs({ retryDelaySeconds: 2 }, 3), 2000);
    assert.deepEqual(
      [1, 2, 3, 4].map((n) => retryDelayMs({ retryDelaySeconds: [1, 5, 10] }, n)),
      [1000, 5000, 10000, 10000],
    );
    assert.equal(retryDelayMs({ retryDelaySeconds: (n) => n * 3 }, 2), 6000);
    assert.deepEqual(
      [1, 2, 3].map((n) => retryDelayMs({ retryDelaySeconds: exponentialBackoff(1.5) }, n)),
      [1500, 3000, 6000],
    );
  });

  test("jitter really spreads delays within ±factor", () => {
    const delays = Array.from({ length: 200 }, () =>
      retryDelayMs({ retryDelaySeconds: 10, retryJitterFactor: 0.5 }, 1),
    );
    assert.ok(delays.every((d) => d >= 5000 && d <= 15000));
    assert.ok(new Set(delays).size > 100, "delays vary");
    assert.ok(delays.some((d) => d < 9000) && delays.some((d) => d > 11000));
  });
});
