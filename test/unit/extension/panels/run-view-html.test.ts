// The run view's page: nothing runs or styles it but our nonce-carrying bundle, nothing loads from the network.
import { test } from "node:test";
import assert from "node:assert/strict";
import { runViewHtml } from "../../../../extension/panels/run-view-html.ts";

const assets = {
  cspSource: "https://webview.test",
  scriptUri: "https://webview.test/ext/dist/webview/main.js",
  styleUri: "https://webview.test/ext/dist/webview/main.css",
  workerUri: "https://webview.test/ext/dist/webview/graph-layout-worker.js",
};

test("the CSP allows nothing by default, scripts and styles by nonce, images and workers from the webview only", () => {
  const html = runViewHtml(assets, "NONCE123");
  const csp = /Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1] ?? "";
  const directives = Object.fromEntries(
    csp
      .split(";")
      .map((part) => part.trim())
      .filter(Boolean)
      .map((part) => {
        const [name, ...values] = part.split(/\s+/);
        return [name, values.join(" ")];
      }),
  );
  assert.deepEqual(directives, {
    "default-src": "'none'",
    "img-src": "https://webview.test data:",
    "style-src": "'nonce-NONCE123'",
    "font-src": "https://webview.test",
    "script-src": "'nonce-NONCE123'",
    "worker-src": "https://webview.test blob:",
    "connect-src": "https://webview.test",
  });
  assert.match(html, /<script nonce="NONCE123" src="https:\/\/webview.test\/ext\/dist\/webview\/main.js"><\/script>/);
  assert.match(html, /<link rel="stylesheet" nonce="NONCE123" href="[^"]+main.css">/);
  assert.doesNotMatch(html, /unsafe-inline|unsafe-eval|https?:\/\/(?!webview\.test)/);
});

test("each page load gets a fresh nonce", () => {
  const nonce = (html: string) => /'nonce-([^']+)'/.exec(html)?.[1];
  assert.notEqual(nonce(runViewHtml(assets)), nonce(runViewHtml(assets)));
});
