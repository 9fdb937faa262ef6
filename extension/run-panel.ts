// The run webview panel: one panel that follows the latest run. Strict CSP with a per-load nonce; the only
// script is our bundle, and messages wait for the webview's `ready` so none are lost during start-up.
import type * as vscodeApi from "vscode";
import { randomBytes } from "node:crypto";
import type { RunEvent } from "../protocol/run-events.ts";
import { isWebviewToExtension, type ExtensionToWebview } from "../protocol/webview-messages.ts";

export class RunPanel {
  private panel: vscodeApi.WebviewPanel | undefined;
  private ready = false;
  private queue: ExtensionToWebview[] = [];

  constructor(
    private readonly vscode: typeof vscodeApi,
    private readonly extensionUri: vscodeApi.Uri,
  ) {}

  showRun(title: string): void {
    this.ensurePanel().reveal(undefined, true);
    this.post({ type: "run-started", title });
  }

  addEvents(events: RunEvent[]): void {
    if (this.panel && events.length > 0) this.post({ type: "run-events", events });
  }

  private post(message: ExtensionToWebview): void {
    if (this.ready) void this.panel?.webview.postMessage(message);
    else this.queue.push(message);
  }

  private ensurePanel(): vscodeApi.WebviewPanel {
    if (this.panel) return this.panel;
    const { vscode } = this;
    const scriptRoot = vscode.Uri.joinPath(this.extensionUri, "dist", "webview");
    const panel = vscode.window.createWebviewPanel("skein.run", "Skein Run", vscode.ViewColumn.Beside, {
      enableScripts: true,
      localResourceRoots: [scriptRoot],
    });
    panel.webview.html = runPanelHtml(
      panel.webview.cspSource,
      panel.webview.asWebviewUri(vscode.Uri.joinPath(scriptRoot, "main.js")).toString(),
    );
    panel.webview.onDidReceiveMessage((message: unknown) => {
      if (!isWebviewToExtension(message)) return;
      this.ready = true;
      for (const queued of this.queue.splice(0)) void panel.webview.postMessage(queued);
    });
    panel.onDidDispose(() => {
      this.panel = undefined;
      this.ready = false;
      this.queue = [];
    });
    this.panel = panel;
    return panel;
  }
}

export function runPanelHtml(cspSource: string, scriptUri: string, nonce = randomBytes(16).toString("base64")): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src ${cspSource} data:; style-src 'nonce-${nonce}'; script-src 'nonce-${nonce}';">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<style nonce="${nonce}">
  body { font-family: var(--vscode-font-family); color: var(--vscode-foreground); }
  table { border-collapse: collapse; width: 100%; }
  td { padding: 2px 8px; border-bottom: 1px solid var(--vscode-panel-border); }
  tr[data-kind="flow"] { font-weight: bold; }
  tr[data-state-type="COMPLETED"] td:last-child { color: var(--vscode-testing-iconPassed); }
  tr[data-state-type="FAILED"] td:last-child, tr[data-state-type="CRASHED"] td:last-child { color: var(--vscode-testing-iconFailed); }
</style>
</head>
<body>
<h2 id="title">Skein run</h2>
<table><tbody id="runs"></tbody></table>
<script nonce="${nonce}" src="${scriptUri}"></script>
</body>
</html>`;
}
