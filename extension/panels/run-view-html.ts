// The HTML of a run view: a strict Content Security Policy with a fresh nonce per load. Nothing but our own
// bundle runs and nothing but our own stylesheet styles the page; images may come from our folder or data: URLs
// (artifact images), workers from our folder (the graph's layout worker, through a blob: URL). No network access
// beyond our own folder: links leave
// through the extension (RunViewRequest "open-link").
import { randomBytes } from "node:crypto";

export interface RunViewAssets {
  /** The webview's cspSource (its resource origin). */
  cspSource: string;
  scriptUri: string;
  styleUri: string;
  /** The graph's layout worker (dist/webview/graph-layout-worker.js). */
  workerUri: string;
}

export function runViewHtml(assets: RunViewAssets, nonce = randomBytes(16).toString("base64")): string {
  const csp = [
    "default-src 'none'",
    `img-src ${assets.cspSource} data:`,
    `style-src 'nonce-${nonce}'`,
    `font-src ${assets.cspSource}`,
    `script-src 'nonce-${nonce}'`,
    // The graph's layout worker: its script is fetched from our folder and started from a blob: URL, since a
    // webview's resource origin differs from the page's and a Worker must be same-origin.
    `worker-src ${assets.cspSource} blob:`,
    `connect-src ${assets.cspSource}`,
  ].join("; ");
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp};">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" nonce="${nonce}" href="${escapeAttribute(assets.styleUri)}">
</head>
<body>
<div id="run-view" data-worker-url="${escapeAttribute(assets.workerUri)}"></div>
<script nonce="${nonce}" src="${escapeAttribute(assets.scriptUri)}"></script>
</body>
</html>`;
}

function escapeAttribute(value: string): string {
  return value.replaceAll("&", "&amp;").replaceAll('"', "&quot;").replaceAll("<", "&lt;");
}
