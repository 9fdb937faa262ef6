// The pure text rules of the log view: ANSI colours to classes, URL detection (http and https only), search
// matches, and how a message is cut into display lines and runs.
import { test } from "node:test";
import assert from "node:assert/strict";
import { paletteColour, parseAnsi, stripAnsi } from "../../../webview/logs/ansi.ts";
import { findUrls, isDataImageUrl, safeHttpUrl } from "../../../webview/common/links.ts";
import { findMatches, lineCount, messageLines } from "../../../webview/logs/message-runs.ts";

const ESC = "\u001b";

test("SGR colour codes become classes; 256-colour and true-colour codes an exact colour; codes vanish", () => {
  const segments = parseAnsi(`plain ${ESC}[31mred${ESC}[1;44m bold on blue${ESC}[0m ${ESC}[92mbright${ESC}[0m`);
  assert.deepEqual(
    segments.map((segment) => [segment.text, segment.classes]),
    [
      ["plain ", []],
      ["red", ["ansi-fg-red"]],
      [" bold on blue", ["ansi-fg-red", "ansi-bg-blue", "ansi-bold"]],
      [" ", []],
      ["bright", ["ansi-fg-bright-green"]],
    ],
  );
  const [exact] = parseAnsi(`${ESC}[38;2;10;20;30mtrue${ESC}[0m`);
  assert.equal(exact.color, "rgb(10, 20, 30)");
  const [palette] = parseAnsi(`${ESC}[48;5;196mhot${ESC}[0m`);
  assert.equal(palette.background, "rgb(255, 0, 0)");
  assert.equal(paletteColour(232), "rgb(8, 8, 8)");
  assert.equal(stripAnsi(`a${ESC}[33mb${ESC}[0mc`), "abc");
  assert.deepEqual(parseAnsi("no codes"), [{ text: "no codes", classes: [] }]);
});

test("only absolute http and https URLs are links; data: images are the only images", () => {
  assert.equal(safeHttpUrl("https://example.com/a?b=1"), "https://example.com/a?b=1");
  assert.equal(safeHttpUrl(" HTTP://Example.com "), "http://example.com/");
  for (const unsafe of ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,<script>", "file:///etc/passwd"])
    assert.equal(safeHttpUrl(unsafe), undefined, unsafe);
  assert.equal(safeHttpUrl("command:workbench.action.quit"), undefined);
  assert.equal(safeHttpUrl("/relative"), undefined);
  assert.equal(isDataImageUrl("data:image/png;base64,AAAA"), true);
  assert.equal(isDataImageUrl("data:text/html;base64,AAAA"), false);
  assert.equal(isDataImageUrl("https://example.com/x.png"), false);
});

test("URLs in text lose trailing punctuation and unbalanced brackets, keep balanced ones", () => {
  const text = "see https://example.com/a_(b). and (http://x.test/y), not javascript:alert(1) or ftp://z";
  assert.deepEqual(
    findUrls(text).map((range) => [text.slice(range.start, range.end), range.url]),
    [
      ["https://example.com/a_(b)", "https://example.com/a_(b)"],
      ["http://x.test/y", "http://x.test/y"],
    ],
  );
  assert.deepEqual(findUrls("no links here"), []);
});

test("search matches are case-insensitive substrings, never patterns", () => {
  assert.deepEqual(findMatches("Error: error ERROR", "error"), [
    { start: 0, end: 5 },
    { start: 7, end: 12 },
    { start: 13, end: 18 },
  ]);
  assert.deepEqual(findMatches("a.b axb", "a.b"), [{ start: 0, end: 3 }]);
  assert.deepEqual(findMatches("(a+)+$", "(a+)+$"), [{ start: 0, end: 6 }]);
  assert.deepEqual(findMatches("anything", ""), []);
});

test("a message is cut at colours, links, matches and line breaks; each run carries all that applies", () => {
  const lines = messageLines(`${ESC}[31mfailed at https://ci.test/run/7${ESC}[0m\n  retry`, "RUN");
  assert.equal(lines.length, 2);
  assert.deepEqual(
    lines[0].map((run) => [run.text, run.classes.join(" "), run.link ?? "", run.match ?? false]),
    [
      ["failed at ", "ansi-fg-red", "", false],
      ["https://ci.test/", "ansi-fg-red", "https://ci.test/run/7", false],
      ["run", "ansi-fg-red", "https://ci.test/run/7", true],
      ["/7", "ansi-fg-red", "https://ci.test/run/7", false],
    ],
  );
  assert.deepEqual(
    lines[1].map((run) => [run.text, run.classes.join(" ")]),
    [["  retry", ""]],
  );
  assert.equal(lineCount("a\nb\n"), 3);
  assert.equal(messageLines("a\nb\n", "").length, 3);
  assert.deepEqual(messageLines("", ""), [[{ text: "", classes: [] }]]);
});
