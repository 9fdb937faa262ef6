import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { analyseSource } from "../../../language-server/discovery.ts";
import { changeRange, IncrementalParser } from "../../../language-server/incremental-parser.ts";
import { flowFile } from "../../fixtures/language-server/generate-workspace.ts";

const comparable = (text: string, parse?: IncrementalParser["parse"]) => {
  const analysis = analyseSource("/w/f.ts", text, parse);
  return JSON.stringify({ ...analysis, imports: [...analysis.imports] });
};

describe("incremental parsing of open documents", () => {
  it("finds the changed span", () => {
    assert.deepEqual(changeRange("abcdef", "abXYef"), { span: { start: 2, length: 2 }, newLength: 2 });
    assert.deepEqual(changeRange("aaa", "aaaa"), { span: { start: 3, length: 0 }, newLength: 1 });
    assert.deepEqual(changeRange("same", "same"), { span: { start: 4, length: 0 }, newLength: 0 });
  });

  it("gives the same analysis as a full parse through a long series of edits", () => {
    const parser = new IncrementalParser();
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const pieces = [
      " ",
      "x",
      "(",
      ")",
      "{",
      "}",
      "\n",
      "flow(",
      "task({ retries: -1 }, async (a: string) => a)",
      ";",
      '"',
      "//",
      "export const q = ",
    ];
    let text = flowFile(1, 100);
    for (let edit = 0; edit < 300; edit++) {
      const at = Math.floor(next() * text.length);
      text =
        next() < 0.5
          ? text.slice(0, at) + pieces[Math.floor(next() * pieces.length)] + text.slice(at)
          : text.slice(0, at) + text.slice(at + 1 + Math.floor(next() * 5));
      assert.equal(comparable(text, parser.parse), comparable(text), `edit ${edit} diverged`);
    }
  });
});
