// The Markdown shown when hovering a flow or task (in TypeScript or on a skein.yaml entrypoint): its
// signature, its options, and for flows the tasks it calls.
import path from "node:path";
import { formatEntrypoint } from "../protocol/entrypoints.ts";
import type { Declaration } from "./model.ts";
import type { WorkspaceIndex } from "./workspace-index.ts";

export function signatureOf(declaration: Declaration): string {
  const parameters = declaration.parameters.map((parameter) => {
    const optional = parameter.optional && !parameter.defaultText ? "?" : "";
    const type = parameter.typeText ? `: ${parameter.typeText}` : "";
    const fallback = parameter.defaultText ? ` = ${parameter.defaultText}` : "";
    return `${parameter.name}${optional}${type}${fallback}`;
  });
  const returns = declaration.returnType ? `: ${declaration.returnType}` : "";
  return `${declaration.kind} ${declaration.localName}(${parameters.join(", ")})${returns}`;
}

export function declarationMarkdown(index: WorkspaceIndex, file: string, declaration: Declaration): string {
  const lines = ["```ts", signatureOf(declaration), "```"];
  const title = declaration.kind === "flow" ? "Flow" : "Task";
  const where = `${path.basename(file)}:${declaration.nameRange.start.line + 1}`;
  lines.push(
    `**${title} \`${declaration.name}\`** — ${where}${declaration.exportPath ? `, entrypoint \`${formatEntrypoint({ file: path.basename(file), exportPath: declaration.exportPath })}\`` : " (not exported)"}`,
  );
  const options = Object.entries(declaration.options).filter(([name]) => name !== "name");
  if (options.length) {
    lines.push(
      "",
      "| option | value |",
      "|---|---|",
      ...options.map(
        ([name, option]) => `| ${name} | \`${option.text.replace(/\s+/g, " ").replace(/\|/g, "\\|").slice(0, 80)}\` |`,
      ),
    );
  }
  if (declaration.kind === "flow") {
    const tasks = index.tasksCalledBy(file, declaration).map((task) => `\`${task.declaration.name}\``);
    if (tasks.length) lines.push("", `Calls ${tasks.join(" → ")}`);
  }
  const unsupported = declaration.parameterSchema.unsupported ?? [];
  if (unsupported.length) {
    lines.push(
      "",
      ...unsupported.map((parameter) => `⚠ \`${parameter.name}\` has no parameter schema: ${parameter.reason}`),
    );
  }
  return lines.join("\n");
}
