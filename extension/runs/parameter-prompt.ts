// "Run with parameters…" and "Debug with parameters…" (and a deployment's Run with parameters…): the parameter
// form, a webview generated from the JSON Schema of the flow's signature (the language server's for a lens, the
// stored one for a deployment; protocol/webview/parameter-fields.ts). Submitted
// values are read and checked again here (they come from a webview), then against the schema; the form shows
// errors per field until the parameters are valid. Resolves with them, or undefined when the form is cancelled
// or closed. The form's origin goes to the page, which keeps it in its state: after a window reload the
// serializer (parameter-form-serializer.ts) hands the restored panel back here.
import type * as vscodeApi from "vscode";
import { parameterForm, readParameters } from "../../protocol/webview/parameter-fields.ts";
import {
  PARAMETER_FORM_VIEW_TYPE,
  type ParameterFormMessage,
  type ParameterFormOrigin,
  parseParameterFormRequest,
} from "../../protocol/webview/parameter-form.ts";
import { webviewHtml } from "../panels/webview-html.ts";

/**
 * `defaults` (a deployment's parameters) fill the fields before the schema's own defaults. `restored` is a panel
 * VS Code brought back after a reload: the form moves into it (the page still holds the values typed).
 */
export async function promptForParameters(
  vscode: typeof vscodeApi,
  extensionUri: vscodeApi.Uri,
  origin: ParameterFormOrigin,
  defaults: Record<string, unknown> = {},
  restored?: vscodeApi.WebviewPanel,
): Promise<Record<string, unknown> | undefined> {
  // Loaded on first use: Ajv would weigh on every activation for a command most sessions never run.
  const { parameterValidator, parameterErrorsByName } = await import("../../protocol/parameter-validation.ts");
  const validate = parameterValidator(origin.parameterSchema);
  const form = parameterForm(origin.parameterSchema, defaults);
  const root = vscode.Uri.joinPath(extensionUri, "dist", "webview");
  const options = { enableScripts: true, localResourceRoots: [root] };
  const title = `Parameters: ${origin.title}`;
  const panel =
    restored ?? vscode.window.createWebviewPanel(PARAMETER_FORM_VIEW_TYPE, title, vscode.ViewColumn.Active, options);
  if (restored) {
    restored.title = title;
    restored.webview.options = options;
  }
  const uri = (file: string) => panel.webview.asWebviewUri(vscode.Uri.joinPath(root, file)).toString();
  panel.webview.html = webviewHtml(
    { cspSource: panel.webview.cspSource, scriptUri: uri("parameter-form.js"), styleUri: uri("parameter-form.css") },
    "parameter-form",
  );
  const post = (message: ParameterFormMessage) => void panel.webview.postMessage(message);
  return new Promise((resolve) => {
    let answered = false;
    const answer = (parameters: Record<string, unknown> | undefined) => {
      if (answered) return;
      answered = true;
      resolve(parameters);
      panel.dispose();
    };
    panel.onDidDispose(() => answer(undefined));
    panel.webview.onDidReceiveMessage((message: unknown) => {
      const request = parseParameterFormRequest(message);
      if (request?.type === "ready") {
        post({
          type: "form",
          title: origin.title,
          ...form,
          unsupported: origin.parameterSchema.unsupported ?? [],
          origin,
        });
      } else if (request?.type === "cancel") answer(undefined);
      else if (request?.type === "submit") {
        const read = readParameters(form.fields, request.values);
        if (read.ok && validate(read.parameters)) answer(read.parameters);
        else post({ type: "errors", errors: read.ok ? parameterErrorsByName(validate.errors) : read.errors });
      }
    });
  });
}
