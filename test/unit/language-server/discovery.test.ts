import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { analyseSource, mayDeclareFlows } from "../../../language-server/discovery.ts";

const summary = (text: string) =>
  analyseSource("/w/f.ts", text).declarations.map((d) => `${d.kind} ${d.name} ${d.exportPath ?? "-"}`);

describe("discovery of flows and tasks", () => {
  it("skips files that never mention skein without parsing them", () => {
    assert.equal(mayDeclareFlows(`export const x = flow(async () => 1);`), false);
    assert.deepEqual(
      analyseSource("/w/f.ts", `import { flow } from "other";\nexport const x = flow(async () => 1);`).declarations,
      [],
    );
  });

  it("finds wrapper declarations with and without options", () => {
    assert.deepEqual(
      summary(`import { flow, task } from "skein";
      export const t = task(async () => 1);
      export const f = flow({ name: "nightly" }, async () => t());
      const hidden = flow(async () => 1);`),
      ["task t t", "flow nightly f", "flow hidden -"],
    );
  });

  it("recognises renamed and namespace imports, and ignores look-alikes", () => {
    assert.deepEqual(
      summary(`import { flow as f, task as t } from "skein";
      import * as sk from "skein";
      import { flow } from "./my-own-flow";
      export const a = f(async () => 1);
      export const b = sk.task({ retries: 1 }, async () => 1);
      export const c = flow(async () => 1);
      export const d = other.flow(async () => 1);`),
      ["flow a a", "task b b"],
    );
  });

  it("finds decorated static and instance methods, with export paths", () => {
    assert.deepEqual(
      summary(`import { flow, task } from "skein";
      import * as sk from "skein";
      export class P {
        @task static async load() {}
        @flow({ name: "n" }) static async nightly() {}
        @sk.flow() async sync() {}
        plain() {}
      }
      class Hidden { @flow() static run() {} }
      export default class { @flow() static main() {} }`),
      ["task load P.load", "flow n P.nightly", "flow sync P.sync", "flow run -", "flow main default.main"],
    );
  });

  it("follows export lists, export default and function references", () => {
    assert.deepEqual(
      summary(`import { flow } from "skein";
      async function body(n: number) { return n; }
      const a = flow(body);
      const b = flow(async () => 1);
      export { a, b as renamed };
      export default flow(async (x: string) => x);`),
      ["flow body a", "flow renamed renamed", "flow default default"],
    );
    const [a] = analyseSource(
      "/w/f.ts",
      `import { flow } from "skein";\nasync function body(n: number) { return n; }\nexport const a = flow(body);`,
    ).declarations;
    assert.deepEqual(a.parameterSchema.required, ["n"]);
  });

  it("reads options, parameters, return type and the calls a flow makes", () => {
    const [t, f] = analyseSource(
      "/w/f.ts",
      `import { flow, task, submit } from "skein";
      export const t = task({ retries: 3, tags: ["io"], cacheExpiration: 60 }, async (x: string): Promise<number> => 1);
      export const f = flow(async (xs: string[]) => { t.map(xs); await submit(t, "a"); t.fn("bare"); return helper(); });`,
    ).declarations;
    assert.deepEqual(Object.fromEntries(Object.entries(t.options).map(([k, v]) => [k, v.value])), {
      retries: 3,
      tags: ["io"],
      cacheExpiration: 60,
    });
    assert.equal(t.returnType, "Promise<number>");
    assert.deepEqual(
      f.calls.map((c) => c.localName),
      ["t", "t", "t.fn", "helper"],
    );
  });

  it("reports a flow without a function", () => {
    const analysis = analyseSource("/w/f.ts", `import { flow } from "skein";\nexport const f = flow({ name: "x" });`);
    assert.deepEqual(
      analysis.diagnostics.map((d) => d.code),
      ["missing-function"],
    );
  });

  it("checks option values and run-name templates", () => {
    const analysis = analyseSource(
      "/w/f.ts",
      `import { flow, task } from "skein";
      export const t = task({ retries: 1.5, retryDelaySeconds: [${Array(51).fill(1).join(",")}], taskRunName: "t-{x}-{y}" }, async (x: string) => x);
      export const f = flow({ retryDelaySeconds: [1, -2], timeoutSeconds: -1, flowRunName: "{ n }" }, async (n: number) => n);`,
    );
    assert.deepEqual(
      analysis.diagnostics.map((d) => d.code),
      [
        "invalid-retries",
        "too-many-retry-delays",
        "unknown-template-parameter",
        "negative-retry-delay",
        "invalid-timeout",
      ],
    );
  });

  it("collects only calls made outside every function as top-level calls", () => {
    const analysis = analyseSource(
      "/w/f.ts",
      `import { task } from "skein";
      export const t = task(async () => 1);
      t();
      function later() { t(); }
      const later2 = () => t();
      class K { m() { t(); } }`,
    );
    assert.deepEqual(
      analysis.topLevelCalls.map((c) => `${c.localName}@${c.range.start.line}`),
      ["t@2"],
    );
  });
});
