// The HTML of a Skein webview page (run views, the parameter form): a strict Content Security Policy with a fresh
// nonce per load. Nothing but our own bundle runs and nothing but our own stylesheet styles the page; images may
// come from our folder or data: URLs (artifact images); workers, when the page has one, from our folder (the
// graph's layout worker, through a blob: URL). No network access beyond our own folder: links leave through the
// extension.
import { randomBytes } from "node:crypto";

export interface WebviewAssets {
  /** The webview's cspSource (its resource origin). */
  cspSource: string;
  scriptUri: string;
  styleUri: string;
  /** A Web Worker's script the page starts (data-worker-url on the root element). */
  workerUri?: string;
}

/** A page whose script mounts itself on the element with id `rootId`. */
export function webviewHtml(assets: WebviewAssets, rootId: string, nonce = randomBytes(16).toString("base64")): string {
  const csp = [
    "default-src 'none'",
    `img-src ${assets.cspSource} data:`,
    `style-src 'nonce-${nonce}'`,
    `font-src ${assets.cspSource}`,
    `script-src 'nonce-${nonce}'`,
    // A worker's script is fetched from our folder and started from a blob: URL, since a webview's resource
    // origin differs from the page's and a Worker must be same-origin.
    ...(assets.workerUri ? [`worker-src ${assets.cspSource} blob:`, `connect-src ${assets.cspSource}`] : []),
  ].join("; ");
  const worker = assets.workerUri ? ` data-worker-url="${escapeAttribute(assets.workerUri)}"` : "";
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp};">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" nonce="${nonce}" href="${escapeAttribute(assets.styleUri)}">
</head>
<body>
<div id="${escapeAttribute(rootId)}"${worker}></div>
<script nonce="${nonce}" src="${escapeAttribute(assets.scriptUri)}"></script>
</body>
</html>`;
}

function escapeAttribute(value: string): string {
  return value.replaceAll("&", "&amp;").replaceAll('"', "&quot;").replaceAll("<", "&lt;");
}
