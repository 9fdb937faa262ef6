// Brings parameter forms (Run / Debug with parameters…, a deployment's Run with parameters…) back after a window
// reload. The form's page keeps its origin (what Submit does, the title, the parameter schema) and the values typed
// in its webview state; VS Code hands that state to this serializer with a new panel. The state comes from a
// webview, so it is parsed at the boundary, and the resumer of its kind may refuse it (a flow file that is gone).
// The form then runs again in the restored panel (promptForParameters), and its Submit does what the original
// command would have done with the parameters. Resumers are registered by the flow commands (run, debug) and the
// Deployments view (deployment), before the serializer itself.
import type * as vscodeApi from "vscode";
import {
  PARAMETER_FORM_VIEW_TYPE,
  type ParameterFormAction,
  type ParameterFormOrigin,
  parseParameterFormState,
} from "../../protocol/webview/parameter-form.ts";
import { promptForParameters } from "./parameter-prompt.ts";

export interface ParameterFormResumer {
  /** Why a form of this origin cannot come back (its flow's file is gone, ...), or undefined when it can. */
  refuse?(origin: ParameterFormOrigin): string | undefined;
  /** What Submit does with the parameters the restored form read and checked. */
  submit(origin: ParameterFormOrigin, parameters: Record<string, unknown>): Promise<unknown>;
}

export class ParameterFormSerializer {
  private readonly resumers = new Map<ParameterFormAction["kind"], ParameterFormResumer>();

  constructor(
    private readonly vscode: typeof vscodeApi,
    private readonly extensionUri: vscodeApi.Uri,
  ) {}

  /** Who carries on the restored forms of these kinds of action. */
  resume(kinds: ParameterFormAction["kind"][], resumer: ParameterFormResumer): void {
    for (const kind of kinds) this.resumers.set(kind, resumer);
  }

  register(): vscodeApi.Disposable {
    return this.vscode.window.registerWebviewPanelSerializer(PARAMETER_FORM_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel, state: unknown) => {
        const saved = parseParameterFormState(state);
        const resumer = saved && this.resumers.get(saved.origin.action.kind);
        const refused = saved && resumer?.refuse?.(saved.origin);
        if (!saved || !resumer || refused) {
          panel.dispose();
          if (refused)
            void this.vscode.window.showWarningMessage(`Skein could not restore a parameter form: ${refused}`);
          return;
        }
        // Not awaited: VS Code waits for the panel to be restored, not for the user to submit the form.
        void this.carryOn(panel, saved.origin, resumer);
      },
    });
  }

  private async carryOn(
    panel: vscodeApi.WebviewPanel,
    origin: ParameterFormOrigin,
    resumer: ParameterFormResumer,
  ): Promise<void> {
    try {
      const parameters = await promptForParameters(this.vscode, this.extensionUri, origin, {}, panel);
      if (parameters) await resumer.submit(origin, parameters);
    } catch (error) {
      // A schema the validator refuses, a server that is gone: said, not left as an unhandled rejection.
      panel.dispose();
      void this.vscode.window.showErrorMessage(`Skein: ${(error as Error).message}`);
    }
  }
}
