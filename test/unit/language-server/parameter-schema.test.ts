import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { analyseSource } from "../../../language-server/discovery.ts";

/** The parameter schema of the only flow declared by `prelude` + a flow with `signature`. */
function schemaOf(signature: string, prelude = "") {
  const analysis = analyseSource(
    "/w/f.ts",
    `import { flow } from "skein";\n${prelude}\nexport const f = flow(async (${signature}) => 1);\n`,
  );
  assert.equal(analysis.declarations.length, 1);
  return analysis.declarations[0].parameterSchema;
}

const property = (signature: string, prelude = "") => Object.values(schemaOf(signature, prelude).properties)[0];

describe("parameter schemas from TypeScript signatures", () => {
  it("maps primitives, and marks required parameters", () => {
    assert.deepEqual(schemaOf("a: string, b: number, c: boolean, d: unknown, e: null"), {
      type: "object",
      properties: { a: { type: "string" }, b: { type: "number" }, c: { type: "boolean" }, d: {}, e: { type: "null" } },
      required: ["a", "b", "c", "d", "e"],
    });
  });

  it("keeps optional parameters and literal defaults out of required", () => {
    assert.deepEqual(schemaOf(`a?: string, b = 3, c: "x" | "y" = "x", d: number | undefined`), {
      type: "object",
      properties: {
        a: { type: "string" },
        b: { type: "number", default: 3 },
        c: { enum: ["x", "y"], default: "x" },
        d: { type: "number" },
      },
    });
  });

  it("maps literal unions, enums and mixed unions", () => {
    assert.deepEqual(property(`level: 1 | 2 | 3`), { enum: [1, 2, 3] });
    assert.deepEqual(property(`mode: Mode`, `enum Mode { A, B = 5, C }`), { enum: [0, 5, 6] });
    assert.deepEqual(property(`mode: Mode`, `enum Mode { A = "a", B = "b" }`), { enum: ["a", "b"] });
    assert.deepEqual(property(`v: string | number`), { anyOf: [{ type: "string" }, { type: "number" }] });
  });

  it("maps arrays and tuples", () => {
    assert.deepEqual(property(`xs: string[]`), { type: "array", items: { type: "string" } });
    assert.deepEqual(property(`xs: Array<number>`), { type: "array", items: { type: "number" } });
    assert.deepEqual(property(`xs: readonly boolean[]`), { type: "array", items: { type: "boolean" } });
    assert.deepEqual(property(`t: [string, number?]`), {
      type: "array",
      prefixItems: [{ type: "string" }, { type: "number" }],
      minItems: 1,
      maxItems: 2,
      items: false,
    });
  });

  it("maps object types, interfaces (with extends) and type aliases, Date as date-time", () => {
    assert.deepEqual(property(`w: { from: Date; to?: Date }`), {
      type: "object",
      properties: { from: { type: "string", format: "date-time" }, to: { type: "string", format: "date-time" } },
      required: ["from"],
    });
    assert.deepEqual(
      property(`w: Child`, `interface Base { id: string }\ninterface Child extends Base { n: number }`),
      {
        allOf: [
          { type: "object", properties: { id: { type: "string" } }, required: ["id"] },
          { type: "object", properties: { n: { type: "number" } }, required: ["n"] },
        ],
      },
    );
    assert.deepEqual(property(`r: Rows`, `type Row = { k: string }\ntype Rows = Row[]`), {
      type: "array",
      items: { type: "object", properties: { k: { type: "string" } }, required: ["k"] },
    });
    assert.deepEqual(property(`m: Record<string, number>`), {
      type: "object",
      additionalProperties: { type: "number" },
    });
  });

  it("reports what it cannot express instead of dropping it", () => {
    const schema = schemaOf(
      `cb: (n: number) => void, user: User, big: bigint, tree: Tree, other: Imported, m: Map<string, number>`,
      `class User {}\ninterface Tree { children: Tree[] }`,
    );
    assert.deepEqual(Object.keys(schema.properties), []);
    assert.deepEqual(
      schema.unsupported?.map((p) => p.name),
      ["cb", "user", "big", "tree", "other", "m"],
    );
    const reasons = Object.fromEntries(schema.unsupported!.map((p) => [p.name, p.reason]));
    assert.match(reasons.cb, /function/);
    assert.match(reasons.user, /instance of class User/);
    assert.match(reasons.big, /bigint/);
    assert.match(reasons.tree, /recursive/);
    assert.match(reasons.other, /neither declared in this file nor imported from a relative module/);
    assert.match(reasons.m, /Map instance/);
  });

  it("marks functions and class instances as unable to cross a process boundary, but not other gaps", () => {
    const analysis = analyseSource(
      "/w/f.ts",
      `import { flow } from "skein";\nclass User {}\nexport const f = flow(async (cb: () => void, u: User, b: bigint) => 1);\n`,
    );
    assert.deepEqual(
      analysis.declarations[0].parameters.map((p) => !!p.notSerializable),
      [true, true, false],
    );
  });

  it("reports destructured and rest parameters", () => {
    const schema = schemaOf(`{ a }: { a: string }, ...rest: string[]`);
    assert.deepEqual(
      schema.unsupported?.map((p) => p.name),
      ["{ a }", "rest"],
    );
  });

  describe("types imported from other files", () => {
    let directory: string;
    const write = (name: string, text: string) => fs.writeFileSync(path.join(directory, name), text);
    const analyse = (text: string) =>
      analyseSource(path.join(directory, "flow.ts"), `import { flow } from "skein";\n${text}`);
    before(() => {
      directory = fs.mkdtempSync(path.join(os.tmpdir(), "skein-schema-"));
      write(
        "types.ts",
        `import { Region } from "./regions";\nexport interface Window { from: Date; region: Region }\nexport class Client {}\nexport type Loop = import("./types").Loop;\n`,
      );
      write("regions.ts", `export enum Region { Eu = "eu", Us = "us" }\n`);
      write("a.ts", `import type { B } from "./b";\nexport type A = B;\n`);
      write("b.ts", `import type { A } from "./a";\nexport type B = A;\n`);
    });
    after(() => fs.rmSync(directory, { recursive: true, force: true }));

    it("follows relative imports, type-only ones included, through several files", () => {
      const analysis = analyse(
        `import type { Window as W } from "./types.js";\nexport const f = flow(async (w: W) => 1);`,
      );
      assert.deepEqual(analysis.declarations[0].parameterSchema.properties.w, {
        type: "object",
        properties: { from: { type: "string", format: "date-time" }, region: { enum: ["eu", "us"] } },
        required: ["from", "region"],
      });
      assert.deepEqual(analysis.typeDependencies.sort(), [
        path.join(directory, "regions.ts"),
        path.join(directory, "types.ts"),
      ]);
    });

    it("marks imported classes as unable to cross a process boundary, and stops at import cycles", () => {
      const [flowDeclaration] = analyse(
        `import { Client } from "./types";\nimport type { A } from "./a";\nexport const f = flow(async (c: Client, a: A) => 1);`,
      ).declarations;
      assert.match(flowDeclaration.parameters[0].notSerializable ?? "", /class Client/);
      assert.match(flowDeclaration.parameterSchema.unsupported![1].reason, /recursive type A/);
    });

    it("reports imports it cannot read", () => {
      const [flowDeclaration] = analyse(
        `import type { Gone } from "./missing";\nexport const f = flow(async (g: Gone) => 1);`,
      ).declarations;
      assert.match(flowDeclaration.parameterSchema.unsupported![0].reason, /Gone/);
    });
  });
});
