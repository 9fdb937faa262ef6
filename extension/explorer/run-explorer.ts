// The "Runs" view of the Skein activity-bar container: the tree model (run-tree.ts) in a TreeView, its commands,
// the active filter in the view's description, and a reload whenever the editor's connection is reset (settings
// changed, other server). The "Deployments" view beside it is wired in deployments/deployment-commands.ts.
import type * as vscodeApi from "vscode";
import type { EditorConnection } from "../connection/editor-connection.ts";
import type { RunFilter } from "./run-data.ts";
import { registerRunCommands, stateLabel } from "./run-commands.ts";
import { RunTreeModel } from "./run-tree.ts";

export const RUNS_VIEW = "skein.runs";

export function describeFilter(filter: RunFilter): string | undefined {
  const parts: string[] = [];
  if (filter.flowName) parts.push(`flow: ${filter.flowName}`);
  if (filter.states.length > 0) parts.push(`state: ${filter.states.map(stateLabel).join(", ")}`);
  return parts.length > 0 ? parts.join(" · ") : undefined;
}

export function registerRunExplorer(
  vscode: typeof vscodeApi,
  editorConnection: EditorConnection,
): { tree: RunTreeModel; disposables: vscodeApi.Disposable[] } {
  const source = editorConnection.connection;
  const tree = new RunTreeModel({ vscode, source });
  const view = vscode.window.createTreeView(RUNS_VIEW, { treeDataProvider: tree, showCollapseAll: true });
  const showFilter = () => {
    view.description = describeFilter(tree.filter);
    void vscode.commands.executeCommand("setContext", "skein.runsFiltered", Boolean(view.description));
  };
  showFilter();
  return {
    tree,
    disposables: [
      tree,
      view,
      tree.onDidChangeTreeData(showFilter),
      editorConnection.onDidReset(() => tree.reload()),
      ...registerRunCommands({ vscode, source, tree }),
    ],
  };
}
