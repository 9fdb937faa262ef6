// The parameter form webview's entry: builds the form page, hands it the extension's messages, and says `ready`
// so the extension sends the form (on first open and each time the panel is shown again).
import "../common/lit-nonce.ts";
import "@vscode-elements/elements/dist/vscode-button/index.js";
import "@vscode-elements/elements/dist/vscode-checkbox/index.js";
import "@vscode-elements/elements/dist/vscode-label/index.js";
import "@vscode-elements/elements/dist/vscode-option/index.js";
import "@vscode-elements/elements/dist/vscode-single-select/index.js";
import "@vscode-elements/elements/dist/vscode-textarea/index.js";
import "@vscode-elements/elements/dist/vscode-textfield/index.js";
import "./parameter-form.css";
import type { ParameterFormMessage } from "../../protocol/webview/parameter-form.ts";
import { parameterFormApi } from "../common/vscode-api.ts";
import { ParameterFormView } from "./form-view.ts";

const root = document.getElementById("parameter-form") ?? document.body;
const api = parameterFormApi();
const view = new ParameterFormView(root, api);

window.addEventListener("message", (event: MessageEvent<ParameterFormMessage>) => {
  // Only the extension posts to this page; anything without a known type is ignored.
  if (typeof event.data === "object" && event.data !== null && typeof event.data.type === "string")
    view.receive(event.data);
});

api.post({ type: "ready" });
