// The run view webview's entry: starts the shell, hands it the extension's messages, and says `ready` so the
// extension replays the run's snapshot (on first open, each time the panel is shown again, after a reload).
import "./common/lit-nonce.ts";
import "@vscode-elements/elements/dist/vscode-tabs/index.js";
import "@vscode-elements/elements/dist/vscode-tab-header/index.js";
import "@vscode-elements/elements/dist/vscode-tab-panel/index.js";
import "@vscode-elements/elements/dist/vscode-button/index.js";
import "@vscode-elements/elements/dist/vscode-textfield/index.js";
import "@vscode-elements/elements/dist/vscode-single-select/index.js";
import "@vscode-elements/elements/dist/vscode-option/index.js";
import "./run-view/run-view.css";
import type { RunViewMessage } from "../protocol/webview/run-view.ts";
import { adoptStateBadgeStyles } from "./common/state-badges.ts";
import { runViewApi } from "./common/vscode-api.ts";
import { RunViewApp } from "./run-view/run-view-app.ts";

adoptStateBadgeStyles(document);
const root = document.getElementById("run-view") ?? document.body;
const api = runViewApi();
const app = new RunViewApp(root, api, root.dataset.workerUrl ?? "");

window.addEventListener("message", (event: MessageEvent<RunViewMessage>) => {
  // Only the extension posts to this page; anything without a known type is ignored.
  if (typeof event.data === "object" && event.data !== null && typeof event.data.type === "string")
    app.receive(event.data);
});

api.post({ type: "ready" });
