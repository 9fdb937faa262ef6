// "Deploy", first half: makes sure the workspace's skein.yaml (created when missing) has a deployment for the flow
// and shows it, so the user can pick a schedule and work pool with the language server's completion and checks.
// Keeping the file as the source of truth is how Prefect users work; registering it is deployments/deploy-flow.ts.
import type * as vscodeApi from "vscode";
import path from "node:path";
import { parseDocument, YAMLSeq, isMap } from "yaml";
import type { FlowLensArgs } from "../protocol/lsp.ts";

/** Where the flow's deployment entry is: the skein.yaml, its folder and the deployment's name. */
export interface DeploymentEntry {
  yamlUri: vscodeApi.Uri;
  folder: string;
  name: string;
}

export async function ensureDeploymentInSkeinYaml(
  vscode: typeof vscodeApi,
  args: FlowLensArgs,
): Promise<DeploymentEntry> {
  const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(args.file));
  const root = folder?.uri.fsPath ?? path.dirname(args.file);
  const yamlUri = vscode.Uri.file(path.join(root, "skein.yaml"));
  const existing = await readText(vscode, yamlUri);
  const { text, name, added } = withDeployment(existing ?? `name: ${path.basename(root)}\n`, args);
  if (added) await vscode.workspace.fs.writeFile(yamlUri, Buffer.from(text, "utf8"));
  await vscode.window.showTextDocument(yamlUri);
  return { yamlUri, folder: root, name };
}

/**
 * The skein.yaml text with a deployment of the flow: the first one whose entrypoint is the flow's is kept as it is
 * (deploying twice must not pile up copies), else one is appended under a free name. Comments and formatting
 * elsewhere are kept. The skein.yaml goes in the workspace folder, which the lens's entrypoint is relative to.
 */
export function withDeployment(yamlText: string, args: FlowLensArgs): { text: string; name: string; added: boolean } {
  const document = parseDocument(yamlText);
  if (!isMap(document.contents)) throw new Error("skein.yaml must be a mapping at the top level.");
  const { entrypoint } = args;
  const deployments =
    document.get("deployments") instanceof YAMLSeq ? (document.get("deployments") as YAMLSeq) : new YAMLSeq();
  const entries = deployments.items.filter(isMap);
  const same = entries.find((item) => item.get("entrypoint") === entrypoint && typeof item.get("name") === "string");
  if (same) return { text: yamlText, name: String(same.get("name")), added: false };
  const taken = new Set(entries.map((item) => String(item.get("name"))));
  let name = args.flowName;
  for (let n = 2; taken.has(name); n++) name = `${args.flowName}-${n}`;
  deployments.add(document.createNode({ name, entrypoint, parameters: {}, work_pool: { name: "default" } }));
  document.set("deployments", deployments);
  return { text: document.toString(), name, added: true };
}

async function readText(vscode: typeof vscodeApi, uri: vscodeApi.Uri): Promise<string | undefined> {
  try {
    return Buffer.from(await vscode.workspace.fs.readFile(uri)).toString("utf8");
  } catch {
    return undefined;
  }
}
