// The log view's filter (minimum level, one task, search text without colour codes) and the table artifact's model
// and sort order.
import { test } from "node:test";
import assert from "node:assert/strict";
import type { SnapshotLog } from "../../../protocol/run-snapshot.ts";
import { stripAnsi } from "../../../webview/logs/ansi.ts";
import { LogMatcher, NO_LOG_FILTER } from "../../../webview/logs/log-filter.ts";
import { cellText, nextSort, sortedRowOrder, tableModel } from "../../../webview/artifacts/table-model.ts";

const logs: SnapshotLog[] = [
  { level: "debug", message: "connecting", taskRunId: "t1" },
  { level: "info", message: "loaded \u001b[32m42\u001b[0m rows", taskRunId: "t1" },
  { level: "warning", message: "slow query", taskRunId: "t2" },
  { level: "error", message: "Query FAILED", taskRunId: "t2" },
  { level: "critical", message: "flow gave up" },
].map((partial, index) => ({
  id: `l${index}`,
  flowRunId: "f",
  logger: "skein",
  timestamp: "2026-11-30T10:00:00.000Z",
  ...partial,
})) as SnapshotLog[];

function shown(filter: Partial<typeof NO_LOG_FILTER> & { taskRunId?: string }): string[] {
  const matcher = new LogMatcher({ ...NO_LOG_FILTER, ...filter }, (index) =>
    stripAnsi(logs[index].message).toLowerCase(),
  );
  return logs.filter((log, index) => matcher.matches(log, index)).map((log) => log.id);
}

test("the log filter combines minimum level, task run and search text", () => {
  assert.deepEqual(shown({}), ["l0", "l1", "l2", "l3", "l4"]);
  assert.deepEqual(shown({ minimumLevel: "warning" }), ["l2", "l3", "l4"]);
  assert.deepEqual(shown({ taskRunId: "t2" }), ["l2", "l3"]);
  assert.deepEqual(shown({ text: "query" }), ["l2", "l3"]);
  assert.deepEqual(shown({ text: "query", minimumLevel: "error" }), ["l3"]);
  // Search sees the text, not the escape codes around it.
  assert.deepEqual(shown({ text: "loaded 42 rows" }), ["l1"]);
  assert.deepEqual(shown({ text: "[32m" }), []);
  assert.deepEqual(shown({ text: ".*" }), []);
});

test("tables come from rows as objects or as arrays with columns", () => {
  assert.deepEqual(
    tableModel({
      rows: [
        { a: 1, b: "x" },
        { b: "y", c: true },
      ],
    }),
    {
      columns: ["a", "b", "c"],
      rows: [
        [1, "x", undefined],
        [undefined, "y", true],
      ],
    },
  );
  assert.deepEqual(
    tableModel({
      columns: ["name", "n"],
      rows: [
        ["a", 1],
        ["b", 2, "extra"],
      ],
    }),
    {
      columns: ["name", "n", "3"],
      rows: [
        ["a", 1],
        ["b", 2, "extra"],
      ],
    },
  );
  assert.deepEqual(tableModel("not a table"), { columns: [], rows: [] });
  assert.equal(cellText({ nested: [1] }), '{"nested":[1]}');
  assert.equal(cellText(null), "");
  assert.equal(cellText(false), "false");
});

test("sorting is by value (numbers numerically, text naturally), stable, with empty cells last", () => {
  const rows = [[10], ["b"], [2], [null], ["a10"], ["a9"], [2], [""]];
  assert.deepEqual(sortedRowOrder(rows, 0, "ascending"), [2, 6, 0, 5, 4, 1, 3, 7]);
  assert.deepEqual(sortedRowOrder(rows, 0, "descending"), [1, 4, 5, 0, 2, 6, 3, 7]);
  assert.deepEqual(nextSort(undefined, 1), { column: 1, direction: "ascending" });
  assert.deepEqual(nextSort({ column: 1, direction: "ascending" }, 1), { column: 1, direction: "descending" });
  assert.equal(nextSort({ column: 1, direction: "descending" }, 1), undefined);
  assert.deepEqual(nextSort({ column: 1, direction: "descending" }, 0), { column: 0, direction: "ascending" });
});
