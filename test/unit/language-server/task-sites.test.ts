import assert from "node:assert/strict";
import { test } from "node:test";
import { analyseSource } from "../../../language-server/discovery.ts";
import { taskSites } from "../../../language-server/task-sites.ts";
import { WorkspaceIndex } from "../../../language-server/workspace-index.ts";

test("task sites: each task declared in the file, and each call to a task, also one imported from another file", () => {
  const index = new WorkspaceIndex();
  index.set(
    analyseSource(
      "/w/lib/tasks.ts",
      `import { task } from "skein";\nexport const fetchRows = task({ name: "extract" }, async () => [1]);\n`,
    ),
  );
  index.set(
    analyseSource(
      "/w/flows/etl.ts",
      [
        `import { flow, task } from "skein";`,
        `import { fetchRows } from "../lib/tasks";`,
        `export const load = task(async (rows: number[]) => rows.length);`,
        `export const etl = flow(async () => {`,
        `  const rows = await fetchRows();`,
        `  return load(rows);`,
        `});`,
      ].join("\n"),
    ),
  );
  const sites = taskSites(index, "/w/flows/etl.ts");
  assert.deepEqual(
    sites.map(({ kind, taskName, declarationFile, declarationLine, line }) => [
      kind,
      taskName,
      declarationFile,
      declarationLine,
      line,
    ]),
    [
      ["definition", "load", "/w/flows/etl.ts", 2, 2],
      ["call", "extract", "/w/lib/tasks.ts", 1, 4],
      ["call", "load", "/w/flows/etl.ts", 2, 5],
    ],
  );
  assert.deepEqual(taskSites(index, "/w/unknown.ts"), []);
});
