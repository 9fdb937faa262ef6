// The run webview: shows the flow run and its task runs with their current states as events arrive.
// Rendering uses textContent only, so nothing a run prints can inject markup.
import type { ExtensionToWebview, WebviewToExtension } from "../protocol/webview-messages.ts";
import { RunModel } from "./run-model.ts";

declare function acquireVsCodeApi(): { postMessage(message: WebviewToExtension): void };

const vscode = acquireVsCodeApi();
const title = document.getElementById("title")!;
const body = document.getElementById("runs")!;
let model = new RunModel();

window.addEventListener("message", (event: MessageEvent<ExtensionToWebview>) => {
  const message = event.data;
  if (message.type === "run-started") {
    model = new RunModel();
    title.textContent = message.title;
  } else if (message.type === "run-events") {
    for (const runEvent of message.events) model.apply(runEvent);
  }
  render();
});

function render(): void {
  const rows = model.list().map((row) => {
    const tr = document.createElement("tr");
    tr.dataset.kind = row.kind;
    tr.dataset.stateType = row.state.type;
    for (const text of [row.kind === "flow" ? `Flow run ${row.name}` : row.name, row.state.name]) {
      const td = document.createElement("td");
      td.textContent = text;
      tr.append(td);
    }
    return tr;
  });
  body.replaceChildren(...rows);
}

vscode.postMessage({ type: "ready" });
