// Malformed and hostile inputs for the language server, generated from a fixed seed so failures reproduce.
import { seededRandom } from "../../seeded-random.ts";

export interface HostileInput {
  name: string;
  kind: "yaml" | "ts";
  text: string;
}

const validYaml = `name: shop
definitions:
  common: &common
    work_pool: { name: default-pool }
    tags: [nightly]
deployments:
  - name: nightly-etl
    <<: *common
    entrypoint: flows/etl.ts:etl
    parameters:
      date: "2026-01-01"
      window: { from: "2026-01-01T00:00:00Z", region: eu }
    schedules:
      - cron: "0 3 * * *"
        timezone: Europe/Paris
      - interval: 3600
    concurrency_limit: { limit: 2, collision_strategy: ENQUEUE }
  - name: sync
    entrypoint: flows/pipelines.ts:Pipelines.sync
    parameters: { target: prod }
`;

const validTs = `import { flow, task } from "skein";
import * as sk from "skein";

export interface Window { from: Date; to?: Date; region: "eu" | "us" }

export const extract = task({ name: "extract", retries: 3, retryDelaySeconds: [1, 5, 10] }, async (date: string) => [date]);

export const etl = flow({ name: "etl", flowRunName: "etl-{date}" }, async (date: string, window: Window) => {
  const rows = await extract(date);
  return rows.length;
});

export class Pipelines {
  @sk.task({ retries: 2 }) static async load(rows: string[]) { return rows.length; }
  @sk.flow() static async nightly(date: string) { await Pipelines.load(await extract(date)); }
}
`;

function junk(next: () => number, length: number): string {
  let text = "";
  for (let i = 0; i < length; i++) text += String.fromCharCode(Math.floor(next() * 0x3000));
  return text;
}

function mutate(next: () => number, text: string, edits: number): string {
  const pieces = [
    "{",
    "}",
    "[",
    "]",
    ":",
    "- ",
    "\n",
    "  ",
    "*",
    "&",
    "!",
    '"',
    "'",
    "@",
    "(",
    ")",
    "=>",
    "\t",
    "\u0000",
    "#",
    "<<: ",
    "skein",
  ];
  for (let i = 0; i < edits; i++) {
    const at = Math.floor(next() * text.length);
    const roll = next();
    if (roll < 0.4) text = text.slice(0, at) + text.slice(at + 1 + Math.floor(next() * 8));
    else text = text.slice(0, at) + pieces[Math.floor(next() * pieces.length)] + text.slice(at);
  }
  return text;
}

export function hostileCorpus(): HostileInput[] {
  const next = seededRandom(20261121);
  const inputs: HostileInput[] = [];
  const add = (kind: "yaml" | "ts", name: string, text: string) => inputs.push({ kind, name, text });

  // Half-typed files: every prefix length in steps, as while typing.
  for (let cut = 0; cut <= validYaml.length; cut += 7) add("yaml", `yaml truncated at ${cut}`, validYaml.slice(0, cut));
  for (let cut = 0; cut <= validTs.length; cut += 13) add("ts", `ts truncated at ${cut}`, validTs.slice(0, cut));

  for (let i = 0; i < 50; i++) add("yaml", `yaml mutation ${i}`, mutate(next, validYaml, 1 + Math.floor(next() * 12)));
  for (let i = 0; i < 30; i++) add("ts", `ts mutation ${i}`, mutate(next, validTs, 1 + Math.floor(next() * 12)));

  // Wrong types at every level.
  const wrongTypes = [
    "deployments: 5",
    'deployments: [1, "x", null, true]',
    "deployments: {}",
    "- just\n- a list",
    '"a string"',
    "42",
    "null",
    "~",
    "",
    "deployments:\n  - name: 5\n    entrypoint: 7",
    "deployments:\n  - name: a\n    entrypoint: flows/etl.ts:etl\n    parameters: [1, 2]",
    "deployments:\n  - name: a\n    entrypoint: flows/etl.ts:etl\n    schedules: 3",
    "deployments:\n  - name: a\n    entrypoint: flows/etl.ts:etl\n    schedules: [1, null, { cron: 5 }]",
    "deployments:\n  - name: a\n    entrypoint: flows/etl.ts:etl\n    schedule: { cron: [1] , timezone: 9 }",
    "deployments:\n  - name: a\n    entrypoint: flows/etl.ts:etl\n    work_pool: gpu",
    "deployments:\n  - name: a\n    entrypoint: flows/etl.ts:etl\n    work_pool: { name: [x] }",
    "deployments:\n  - name: a\n    entrypoint: flows/etl.ts:etl\n    concurrency_limit: { limit: -1, collision_strategy: MAYBE }",
    'deployments:\n  - name: a\n    entrypoint: ":"',
    'deployments:\n  - name: a\n    entrypoint: "flows/etl.ts:"',
    'deployments:\n  - name: a\n    entrypoint: "../../../../etc/passwd:x"',
    "deployments:\n  - entrypoint: flows/etl.ts:etl\n    parameters: { date: { nested: [1, { deeper: true }] } }",
    "? [complex, key]\n: value",
    "!!binary aGVsbG8=",
    "deployments: !!set { a, b }",
    'deployments:\n  - name: a\n    entrypoint: flows/etl.ts:etl\n    schedules:\n      - cron: "0 3 * * *"\n        interval: 5\n        rrule: "FREQ=NOPE"',
    'deployments:\n  - name: a\n    entrypoint: flows/etl.ts:etl\n    schedules:\n      - rrule: "FREQ=DAILY;BYHOUR=99"\n        timezone: ""',
    "%YAML 1.1\n---\ndeployments: []\n...\n---\nsecond: doc",
    "deployments: &d [*d]",
    "a: *undefined_alias",
    "a: &x 1\na: 2",
  ];
  wrongTypes.forEach((text, i) => add("yaml", `yaml wrong type ${i}`, text));

  // Alias bombs of growing fan-out and depth ("billion laughs").
  for (let depth = 2; depth <= 12; depth++) {
    const lines = ["l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"];
    for (let level = 1; level <= depth; level++)
      lines.push(
        `l${level}: &l${level} [${Array(9)
          .fill(`*l${level - 1}`)
          .join(", ")}]`,
      );
    lines.push(`deployments:\n  - name: bomb\n    entrypoint: flows/etl.ts:etl\n    parameters: { date: *l${depth} }`);
    add("yaml", `yaml alias bomb depth ${depth}`, lines.join("\n"));
  }

  // Deep nesting, flow and block style.
  for (const depth of [100, 1000, 5000, 20000]) {
    add("yaml", `yaml flow nesting ${depth}`, `deployments: ${"[".repeat(depth)}${"]".repeat(depth)}`);
    add("yaml", `yaml unclosed flow nesting ${depth}`, `deployments: ${"[{a: ".repeat(depth)}`);
    add(
      "ts",
      `ts paren nesting ${depth}`,
      `import { flow } from "skein";\nexport const f = flow(async () => ${"(".repeat(depth)}1${")".repeat(depth)});`,
    );
    add(
      "ts",
      `ts unclosed nesting ${depth}`,
      `import { flow } from "skein";\nexport const f = flow(async () => ${"[{a: ".repeat(depth)}`,
    );
  }
  for (const depth of [50, 200, 500]) {
    add(
      "yaml",
      `yaml block nesting ${depth}`,
      `${Array.from({ length: depth }, (_, i) => `${" ".repeat(i * 2)}k${i}:`).join("\n")} leaf`,
    );
  }

  // Enormous files.
  const manyDeployments = ["deployments:"];
  for (let i = 0; i < 3000; i++)
    manyDeployments.push(
      `  - name: d${i}\n    entrypoint: flows/etl.ts:etl\n    parameters: { date: "2026-01-01" }\n    schedules: [{ cron: "0 ${i % 24} * * *" }]`,
    );
  add("yaml", "yaml 3000 deployments", manyDeployments.join("\n"));
  add("yaml", "yaml one 3 MB line", `name: ${"x".repeat(3_000_000)}`);
  add(
    "ts",
    "ts 3 MB file (over the analysis limit)",
    `import { flow } from "skein";\n${`export const x = 1;\n`.repeat(160_000)}`,
  );
  add(
    "ts",
    "ts 5000 flows",
    `import { flow, task } from "skein";\n${Array.from({ length: 5000 }, (_, i) => `export const f${i} = flow({ name: "f${i % 100}" }, async (a${i}: string) => a${i});`).join("\n")}`,
  );
  add(
    "ts",
    "ts one long line",
    `import { flow } from "skein"; export const f = flow(async () => "${"y".repeat(1_000_000)}");`,
  );

  // Binary junk, with and without the word that makes the server parse it.
  for (let i = 0; i < 15; i++) add("yaml", `yaml binary junk ${i}`, junk(next, 50 + Math.floor(next() * 5000)));
  for (let i = 0; i < 15; i++)
    add(
      "ts",
      `ts binary junk ${i}`,
      (i % 2 ? 'import { flow } from "skein";\n' : "") + junk(next, 50 + Math.floor(next() * 5000)),
    );
  add("yaml", "yaml NUL bytes", "\u0000".repeat(1000));
  add("ts", "ts NUL bytes", `skein${"\u0000".repeat(1000)}`);
  add("yaml", "yaml BOM and CRLF", "\uFEFFdeployments:\r\n  - name: a\r\n    entrypoint: flows/etl.ts:etl\r\n");
  add("yaml", "yaml lone surrogates", "name: \uD800\uDC00\uDFFF\uD800");

  // Broken TypeScript that still mentions skein.
  const brokenTs = [
    `import { flow } from "skein"\nexport const f = flow(`,
    `import { flow } from "skein"\nexport const f = flow({ name: }, async () => {`,
    `import { flow } from "skein"\nexport const f = flow(42)`,
    `import { flow } from "skein"\nexport const f = flow()`,
    `import { flow } from "skein"\nexport const f = flow({}, {}, {})`,
    `import { flow, task } from "skein"\nclass { @flow( static x() {} }`,
    `import { flow } from "skein"\n@flow() class Weird {}`,
    `import { flow } from "skein"\nexport const f = flow({ ...spread, [computed]: 1, name }, async function* () {})`,
    `import { task } from "skein"\nexport const t = task({ taskRunName: \`t-\${x}\` }, async () => 1)\nt(); t.submit(); t.map(); new t();`,
    `import * as sk from "skein"\nexport const f = sk.flow(sk.flow(sk.flow(async () => 1)))`,
    `import { flow } from "skein"\nexport const f = flow(async (a: A<B<C<D>>>[] | typeof x | keyof Y | Z[number]) => 1)`,
    `import { flow } from "skein"\nexport const f = flow(async (a: { [k: string]: (x: number) => void }) => 1)`,
    `import { flow } from "skein"\nenum E { A = f(), B }\nexport const f = flow(async (e: E) => 1)`,
    `import { flow } from "skein"\ntype T = T[];\nexport const f = flow(async (t: T) => 1)`,
    `import { flow } from "skein"\ninterface I extends I {}\nexport const f = flow(async (i: I) => 1)`,
    `import { flow } from "skein"\ntype A = B; type B = A;\nexport const f = flow(async (a: A) => 1)`,
    `import { flow } from "skein"\nexport const f = flow({ retryDelaySeconds: [${"1,".repeat(5000)}] }, async () => 1)`,
    `import { flow } from "skein"\nexport const f = flow({ flowRunName: "{{{{}}}}{${"a".repeat(5000)}}" }, async () => 1)`,
    `import { flow } from "skein"\nexport default flow`,
    `<div>import { flow } from "skein"</div>`,
    `import { flow } from "skein"\n/* unterminated comment`,
    `import { flow } from "skein"\nconst s = "unterminated`,
  ];
  brokenTs.forEach((text, i) => add("ts", `ts broken ${i}`, text));
  return inputs;
}
