// "Deploy": adds a deployment for the flow to the workspace's skein.yaml (creating the file when missing) and
// opens it, so the user picks a schedule and work pool with the language server's completion and checks.
import type * as vscodeApi from "vscode";
import path from "node:path";
import { parseDocument, YAMLSeq, isMap } from "yaml";
import type { FlowLensArgs } from "../protocol/lsp.ts";

export async function addDeploymentToSkeinYaml(vscode: typeof vscodeApi, args: FlowLensArgs): Promise<vscodeApi.Uri> {
  const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(args.file));
  const root = folder?.uri.fsPath ?? path.dirname(args.file);
  const yamlUri = vscode.Uri.file(path.join(root, "skein.yaml"));
  const existing = await readText(vscode, yamlUri);
  const updated = withDeployment(existing ?? `name: ${path.basename(root)}\n`, args);
  await vscode.workspace.fs.writeFile(yamlUri, Buffer.from(updated, "utf8"));
  await vscode.window.showTextDocument(yamlUri);
  return yamlUri;
}

/**
 * The skein.yaml text with a deployment for the flow appended; comments and formatting elsewhere are kept. The
 * skein.yaml goes in the workspace folder, which is what the lens's entrypoint is relative to.
 */
export function withDeployment(yamlText: string, args: FlowLensArgs): string {
  const document = parseDocument(yamlText);
  if (!isMap(document.contents)) throw new Error("skein.yaml must be a mapping at the top level.");
  const { entrypoint } = args;
  const deployments =
    document.get("deployments") instanceof YAMLSeq ? (document.get("deployments") as YAMLSeq) : new YAMLSeq();
  const taken = new Set(deployments.items.map((item) => (isMap(item) ? String(item.get("name")) : "")));
  let name = args.flowName;
  for (let n = 2; taken.has(name); n++) name = `${args.flowName}-${n}`;
  deployments.add(document.createNode({ name, entrypoint, parameters: {}, work_pool: { name: "default" } }));
  document.set("deployments", deployments);
  return document.toString();
}

async function readText(vscode: typeof vscodeApi, uri: vscodeApi.Uri): Promise<string | undefined> {
  try {
    return Buffer.from(await vscode.workspace.fs.readFile(uri)).toString("utf8");
  } catch {
    return undefined;
  }
}
