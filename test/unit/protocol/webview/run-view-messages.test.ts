// The run view's messages from the webview are checked at the boundary: only well-formed requests pass, and only
// web links may be opened.
import { test } from "node:test";
import assert from "node:assert/strict";
import { isOpenableLink, parseRunViewRequest, parseRunViewState } from "../../../../protocol/webview/run-view.ts";

test("well-formed requests pass with only their own fields", () => {
  assert.deepEqual(parseRunViewRequest({ type: "ready", extra: "<script>" }), { type: "ready" });
  assert.deepEqual(parseRunViewRequest({ type: "run-again" }), { type: "run-again" });
  assert.deepEqual(parseRunViewRequest({ type: "list-compare-candidates" }), { type: "list-compare-candidates" });
  assert.deepEqual(parseRunViewRequest({ type: "open-link", url: "https://example.com/a?b=1" }), {
    type: "open-link",
    url: "https://example.com/a?b=1",
  });
  assert.deepEqual(parseRunViewRequest({ type: "go-to-source", taskRunId: "t-1", file: "/etc/passwd" }), {
    type: "go-to-source",
    taskRunId: "t-1",
  });
  assert.deepEqual(parseRunViewRequest({ type: "load-compare", flowRunId: "f-2" }), {
    type: "load-compare",
    flowRunId: "f-2",
  });
  assert.deepEqual(parseRunViewRequest({ type: "list-artifact-history", key: "daily report", limit: 1e9 }), {
    type: "list-artifact-history",
    key: "daily report",
  });
});

test("anything else is dropped: unknown types, wrong field types, empty or huge ids, non-objects", () => {
  for (const message of [
    null,
    undefined,
    "ready",
    42,
    [],
    ["ready"],
    {},
    { type: "READY" },
    { type: "run-command", command: "workbench.action.terminal.new" },
    { type: "open-link" },
    { type: "open-link", url: 7 },
    { type: "open-link", url: "x".repeat(9000) },
    { type: "go-to-source", taskRunId: "" },
    { type: "go-to-source", taskRunId: { id: "t" } },
    { type: "load-compare", flowRunId: "f".repeat(201) },
    { type: "list-artifact-history" },
    { type: "list-artifact-history", key: "" },
    { type: "list-artifact-history", key: ["k"] },
    { type: "list-artifact-history", key: "k".repeat(1001) },
    { type: { toString: () => "ready" } },
  ]) {
    assert.equal(parseRunViewRequest(message), undefined, JSON.stringify(message));
  }
});

test("a restored panel's state names a flow run, or it is not ours", () => {
  assert.deepEqual(parseRunViewState({ flowRunId: "abc" }), { flowRunId: "abc" });
  assert.equal(parseRunViewState(undefined), undefined);
  assert.equal(parseRunViewState({ flowRunId: 3 }), undefined);
  assert.equal(parseRunViewState("abc"), undefined);
});

test("only http and https links are openable", () => {
  assert.equal(isOpenableLink("https://example.com"), true);
  assert.equal(isOpenableLink("http://localhost:4200/runs"), true);
  for (const url of [
    "javascript:alert(1)",
    " javascript:alert(1)",
    "JAVASCRIPT:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "file:///etc/passwd",
    "command:workbench.action.terminal.new",
    "vscode://skein/run",
    "//example.com",
    "not a url",
  ]) {
    assert.equal(isOpenableLink(url), false, url);
  }
});
