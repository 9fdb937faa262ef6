// Stored values read outside the engine (protocol/serialized-values.ts): what engine/results/serialize.ts writes reads
// back as the plain JSON the editor shows for editing a task's recorded inputs.
import assert from "node:assert/strict";
import { test } from "node:test";
import { serialize } from "../../../engine/results/serialize.ts";
import { serializedAsJson } from "../../../protocol/serialized-values.ts";

test("tagged values read as plain JSON: dates, sets, maps, bytes, bigints, non-finite numbers, undefined", () => {
  const text = serialize(
    {
      rows: [1, 2, { nested: true }],
      since: new Date(0),
      tags: new Set(["a", "b"]),
      byName: new Map([["k", 1]]),
      byNumber: new Map([[1, "one"]]),
      bytes: Buffer.from("hi"),
      big: 10n,
      ratio: Number.NaN,
      missing: undefined,
    },
    "test",
    "inputs",
  );
  assert.deepEqual(serializedAsJson(text), {
    rows: [1, 2, { nested: true }],
    since: "1970-01-01T00:00:00.000Z",
    tags: ["a", "b"],
    byName: { k: 1 },
    byNumber: [[1, "one"]],
    bytes: "aGk=",
    big: "10",
    ratio: "NaN",
    missing: null,
  });
});
