import { test } from "node:test";
import assert from "node:assert/strict";
import { RunEventReader } from "../../../../extension/runs/run-event-reader.ts";

const event = {
  kind: "log",
  id: "1",
  timestamp: "2026-01-01T00:00:00.000Z",
  flowRunId: "f",
  level: "info",
  logger: "x",
  message: "hi",
};

test("lines split across chunks are joined before parsing", () => {
  const reader = new RunEventReader();
  const line = JSON.stringify(event);
  assert.deepEqual(reader.push(line.slice(0, 10)), []);
  assert.deepEqual(reader.push(`${line.slice(10)}\nplain`), [{ event }]);
  assert.deepEqual(reader.end(), [{ text: "plain" }]);
});

test("JSON that is not a run event, and broken JSON, stay text", () => {
  const reader = new RunEventReader();
  assert.deepEqual(reader.push('{"kind":"mine"}\n{"kind":\n'), [{ text: '{"kind":"mine"}' }, { text: '{"kind":' }]);
});
