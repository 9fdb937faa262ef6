// docs/engine.md shows the state table the code enforces: it must be what `npm run docs` generates now.
import assert from "node:assert/strict";
import fs from "node:fs";
import { test } from "node:test";
import { ENGINE_DOC, withStateTable } from "../../../scripts/state-table.ts";

test("docs/engine.md holds the state table generated from protocol/states.ts (run `npm run docs`)", () => {
  const doc = fs.readFileSync(ENGINE_DOC, "utf8");
  assert.equal(doc, withStateTable(doc));
});
