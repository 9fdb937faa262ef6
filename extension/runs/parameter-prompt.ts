// "Run with parameters…" and "Debug with parameters…" (and a deployment's Run with parameters…): the parameter
// form, a webview generated from the JSON Schema of the flow's signature (the language server's for a lens, the
// stored one for a deployment; protocol/webview/parameter-fields.ts). Submitted
// values are read and checked again here (they come from a webview), then against the schema; the form shows
// errors per field until the parameters are valid. Resolves with them, or undefined when the form is cancelled
// or closed.
import type * as vscodeApi from "vscode";
import type { FlowLensArgs } from "../../protocol/lsp.ts";
import { parameterForm, readParameters } from "../../protocol/webview/parameter-fields.ts";
import {
  PARAMETER_FORM_VIEW_TYPE,
  type ParameterFormMessage,
  parseParameterFormRequest,
} from "../../protocol/webview/parameter-form.ts";
import { webviewHtml } from "../panels/webview-html.ts";

/** What the form needs of a flow: its name for the title and its parameters' schema. */
export type ParameterTarget = Pick<FlowLensArgs, "flowName" | "parameterSchema">;

/** `defaults` (a deployment's parameters) fill the fields before the schema's own defaults. */
export async function promptForParameters(
  vscode: typeof vscodeApi,
  extensionUri: vscodeApi.Uri,
  args: ParameterTarget,
  defaults: Record<string, unknown> = {},
): Promise<Record<string, unknown> | undefined> {
  // Loaded on first use: Ajv would weigh on every activation for a command most sessions never run.
  const { parameterValidator, parameterErrorsByName } = await import("../../protocol/parameter-validation.ts");
  const validate = parameterValidator(args.parameterSchema);
  const form = parameterForm(args.parameterSchema, defaults);
  const root = vscode.Uri.joinPath(extensionUri, "dist", "webview");
  const panel = vscode.window.createWebviewPanel(
    PARAMETER_FORM_VIEW_TYPE,
    `Parameters: ${args.flowName}`,
    vscode.ViewColumn.Active,
    { enableScripts: true, localResourceRoots: [root] },
  );
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
          title: args.flowName,
          ...form,
          unsupported: args.parameterSchema.unsupported ?? [],
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
