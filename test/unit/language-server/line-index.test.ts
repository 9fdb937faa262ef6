import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { analyseSource } from "../../../language-server/discovery.ts";
import { LineIndex } from "../../../protocol/line-index.ts";

describe("line index", () => {
  it("breaks lines at \\n, \\r\\n and \\r like an editor", () => {
    const lines = new LineIndex("a\nbc\r\nd\re");
    assert.deepEqual(
      [0, 1, 2, 4, 6, 8, 9, 99].map((offset) => lines.positionAt(offset)),
      [
        { line: 0, character: 0 },
        { line: 0, character: 1 },
        { line: 1, character: 0 },
        { line: 1, character: 2 },
        { line: 2, character: 0 },
        { line: 3, character: 0 },
        { line: 3, character: 1 },
        { line: 3, character: 1 },
      ],
    );
  });

  it("does not break lines at U+2028 in TypeScript ranges", () => {
    const [flow] = analyseSource(
      "/w/f.ts",
      `import { flow } from "skein"; const s = "\u2028";\nexport const f = flow(async () => 1);`,
    ).declarations;
    assert.deepEqual(flow.nameRange.start, { line: 1, character: 13 });
  });
});
