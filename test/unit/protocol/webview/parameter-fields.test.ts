// The parameter form's fields from the JSON Schema the language server makes of a flow's signature, and the
// parameters read back from what the user typed: types, enums, defaults, required fields and errors per field;
// the form's requests and saved state checked at the boundary.
import { test } from "node:test";
import assert from "node:assert/strict";
import { analyseSource } from "../../../../language-server/discovery.ts";
import { parameterForm, readParameters } from "../../../../protocol/webview/parameter-fields.ts";

const [flow] = analyseSource(
  "/ws/flows.ts",
  `import { flow } from "skein";
type Mode = "fast" | "full";
export const etl = flow(async (date: string, region: "eu" | "us" = "eu", limit = 10, ratio: number,
  dry?: boolean, tags: string[] = [], opts?: { a: number }, at?: Date, mode: Mode | null = null, n?: 1 | 2) => 1);`,
).declarations;
const form = parameterForm(flow.parameterSchema);
const fields = Object.fromEntries(form.fields.map((field) => [field.name, field]));

test("each parameter gets the field its type calls for, required ones marked", () => {
  assert.deepEqual(
    form.fields.map((field) => [field.name, field.kind, field.required]),
    [
      ["date", "text", true],
      ["region", "select", false],
      ["limit", "number", false],
      ["ratio", "number", true],
      ["dry", "boolean", false],
      ["tags", "json", false],
      ["opts", "json", false],
      ["at", "text", false],
      ["mode", "select", false],
      ["n", "select", false],
    ],
  );
  assert.equal(fields.at.kind === "text" && fields.at.format, "date-time");
  assert.deepEqual(fields.mode.kind === "select" && fields.mode.options.map((option) => option.value), [
    '"fast"',
    '"full"',
    "null",
  ]);
  assert.deepEqual(fields.n.kind === "select" && fields.n.options.map((option) => option.value), ["1", "2"]);
  assert.equal(fields.tags.kind === "json" && fields.tags.hint, "array");
});

test("defaults are filled in, as text (JSON for selects and JSON fields)", () => {
  assert.deepEqual(form.values, {
    date: "",
    region: '"eu"',
    limit: "10",
    ratio: "",
    dry: false,
    tags: "[]",
    opts: "",
    at: "",
    mode: "null",
    n: "",
  });
});

test("given defaults (a deployment's parameters) win over the schema's", () => {
  const values = parameterForm(flow.parameterSchema, { region: "us", date: "2026-01-01", dry: true }).values;
  assert.deepEqual([values.region, values.date, values.dry, values.limit], ['"us"', "2026-01-01", true, "10"]);
});

test("values read back as parameters; empty optional fields are left out", () => {
  const read = readParameters(form.fields, {
    ...form.values,
    date: "2026-11-30",
    ratio: " 0.5 ",
    n: "2",
    opts: '{"a": 1}',
  });
  assert.deepEqual(read, {
    ok: true,
    parameters: { date: "2026-11-30", region: "eu", limit: 10, ratio: 0.5, tags: [], opts: { a: 1 }, mode: null, n: 2 },
  });
  assert.deepEqual(readParameters(form.fields, { ...form.values, date: "d", ratio: "1", dry: true }), {
    ok: true,
    parameters: { date: "d", region: "eu", limit: 10, ratio: 1, dry: true, tags: [], mode: null },
  });
});

test("wrong values give an error per field", () => {
  const read = readParameters(form.fields, {
    ...form.values,
    ratio: "lots",
    tags: "[1,",
    region: '"mars"',
  });
  assert.equal(read.ok, false);
  assert.deepEqual(Object.keys(!read.ok ? read.errors : {}), ["date", "region", "ratio", "tags"]);
  assert.deepEqual(!read.ok && [read.errors.date, read.errors.region, read.errors.ratio], [
    "Required.",
    "Not one of the choices.",
    "Not a number.",
  ]);
  assert.match(!read.ok ? read.errors.tags : "", /^Not JSON/);
  const integer = parameterForm({ type: "object", properties: { count: { type: "integer" } }, required: ["count"] });
  assert.deepEqual(readParameters(integer.fields, { count: "1.5" }), {
    ok: false,
    errors: { count: "Must be a whole number." },
  });
});

test("the form's requests are checked at the boundary", async () => {
  const { parseParameterFormRequest } = await import("../../../../protocol/webview/parameter-form.ts");
  assert.deepEqual(parseParameterFormRequest({ type: "ready", extra: 1 }), { type: "ready" });
  assert.deepEqual(parseParameterFormRequest({ type: "submit", values: { a: "1", b: true } }), {
    type: "submit",
    values: { a: "1", b: true },
  });
  const polluted = parseParameterFormRequest(JSON.parse('{"type":"submit","values":{"__proto__":"x"}}'));
  assert.equal(Object.getPrototypeOf(polluted && "values" in polluted ? polluted.values : {}), Object.prototype);
  for (const message of [
    null,
    [],
    { type: "submit" },
    { type: "submit", values: [] },
    { type: "submit", values: { a: 1 } },
    { type: "submit", values: { "": "x" } },
    { type: "submit", values: { a: "x".repeat(1_000_001) } },
    { type: "run" },
  ]) {
    assert.equal(parseParameterFormRequest(message), undefined, JSON.stringify(message)?.slice(0, 80));
  }
});

test("the page's saved state (a form's origin and values) is checked at the boundary", async () => {
  const { parseParameterFormState } = await import("../../../../protocol/webview/parameter-form.ts");
  const origin = {
    action: { kind: "debug", file: "/ws/flows.ts", exportPath: "etl" },
    title: "etl",
    parameterSchema: flow.parameterSchema,
  };
  const state = { origin, values: { date: "2026-01-01", dry: true } };
  assert.deepEqual(parseParameterFormState(state), state);
  const deployment = { ...origin, action: { kind: "deployment", deploymentId: "d-1" } };
  assert.deepEqual(parseParameterFormState({ origin: deployment, values: {} })?.origin.action, deployment.action);
  const schema = (change: Record<string, unknown>) => ({
    ...origin,
    parameterSchema: { ...flow.parameterSchema, ...change },
  });
  for (const bad of [
    undefined,
    { date: "2026-01-01" }, // the values alone, as pages saved them before forms were restored
    { origin, values: { a: 1 } },
    { origin: { ...origin, action: { kind: "deploy", file: "/ws/flows.ts", exportPath: "etl" } }, values: {} },
    { origin: { ...origin, action: { kind: "run", file: "", exportPath: "etl" } }, values: {} },
    { origin: { ...origin, action: { kind: "run", file: "/ws/flows.ts" } }, values: {} },
    { origin: { ...origin, action: { kind: "deployment" } }, values: {} },
    { origin: { ...origin, title: 42 }, values: {} },
    { origin: schema({ type: "array" }), values: {} },
    { origin: schema({ properties: [] }), values: {} },
    { origin: schema({ required: "date" }), values: {} },
    { origin: schema({ unsupported: [{ name: "x" }] }), values: {} },
    { origin: schema({ description: "x".repeat(1_000_001) }), values: {} },
  ]) {
    assert.equal(parseParameterFormState(bad), undefined, JSON.stringify(bad)?.slice(0, 120));
  }
});
