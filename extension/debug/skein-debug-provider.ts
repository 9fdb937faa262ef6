// The `skein` launch type (package.json `debuggers`): a launch.json entry
// `{ "type": "skein", "request": "launch", "flow": "flows/etl.ts:etl", "parameters": {...}, "env": {...}, "args": [] }`
// debugs that flow exactly as the lens's Debug does (back-channel, run view, cancel on stop), with the given
// environment and CLI arguments.
import type * as vscodeApi from "vscode";
import { debugFlow } from "../runs/flow-commands.ts";
import type { RunCommandDeps } from "../runs/run-commands.ts";
import { checkSkeinLaunch } from "./launch-configuration.ts";

export function registerSkeinDebugProvider(deps: RunCommandDeps): vscodeApi.Disposable {
  const { vscode } = deps;
  return vscode.debug.registerDebugConfigurationProvider("skein", {
    provideDebugConfigurations: () => [
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a VS Code variable, substituted by VS Code
      { type: "skein", request: "launch", name: "Debug flow", flow: "${relativeFile}:flowExportName" },
    ],
    async resolveDebugConfiguration(folder, config) {
      let checked: ReturnType<typeof checkSkeinLaunch>;
      try {
        checked = checkSkeinLaunch(config, folder?.uri.fsPath);
      } catch (error) {
        void vscode.window.showErrorMessage(`Skein launch configuration "${config.name}": ${(error as Error).message}`);
        return undefined;
      }
      await debugFlow(
        deps,
        { file: checked.file, exportPath: checked.exportPath, flowName: checked.exportPath },
        checked.parameters,
        { env: checked.env, args: checked.args },
      );
      // The run's own node session is started above; this `skein` one has nothing left to launch.
      return undefined;
    },
  });
}
