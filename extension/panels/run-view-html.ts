// The HTML of a run view (webview-html.ts's page with the run view's root and its graph layout worker).
import { webviewHtml, type WebviewAssets } from "./webview-html.ts";

export interface RunViewAssets extends WebviewAssets {
  /** The graph's layout worker (dist/webview/graph-layout-worker.js). */
  workerUri: string;
}

export function runViewHtml(assets: RunViewAssets, nonce?: string): string {
  return webviewHtml(assets, "run-view", nonce);
}
