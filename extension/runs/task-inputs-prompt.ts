// "Rerun from task" and "Debug task again" let the user edit a task's inputs first: a quick pick lists each
// parameter with its JSON value (prefilled from the recorded inputs), picking one edits it in an input box, and the
// first item goes ahead with the values as they are.
import type * as vscodeApi from "vscode";

/** The edited inputs (all of them, by parameter name), or undefined when the user dismissed the picker. */
export async function editTaskInputs(
  vscode: typeof vscodeApi,
  title: string,
  recorded: Record<string, unknown>,
  goLabel: string,
): Promise<Record<string, unknown> | undefined> {
  const inputs = { ...recorded };
  for (;;) {
    const go = { label: `$(play) ${goLabel}`, name: undefined as string | undefined };
    const items = [
      go,
      ...Object.entries(inputs).map(([name, value]) => ({ label: name, description: JSON.stringify(value), name })),
    ];
    const picked = await vscode.window.showQuickPick(items, { title, placeHolder: "Pick an input to edit it" });
    if (!picked) return undefined;
    if (picked.name === undefined) return inputs;
    const name = picked.name;
    const text = await vscode.window.showInputBox({
      title: `${title}: ${name}`,
      prompt: "A JSON value",
      value: JSON.stringify(inputs[name]),
      validateInput: jsonError,
    });
    if (text !== undefined) inputs[name] = JSON.parse(text);
  }
}

/** Asks for a JSON object of inputs by parameter name (when none were recorded). */
export async function promptTaskInputs(
  vscode: typeof vscodeApi,
  title: string,
): Promise<Record<string, unknown> | undefined> {
  const text = await vscode.window.showInputBox({
    title,
    prompt:
      'This task run\'s inputs were not recorded: give them as a JSON object by parameter name, e.g. {"date": "2026-01-01"}',
    value: "{}",
    validateInput: (value) => {
      const error = jsonError(value);
      if (error) return error;
      const parsed: unknown = JSON.parse(value);
      return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)
        ? undefined
        : "Inputs must be a JSON object.";
    },
  });
  return text === undefined ? undefined : (JSON.parse(text) as Record<string, unknown>);
}

/** `--input NAME=JSON` flags for the CLI. */
export function inputFlags(inputs: Record<string, unknown>): string[] {
  return Object.entries(inputs).flatMap(([name, value]) => ["--input", `${name}=${JSON.stringify(value)}`]);
}

function jsonError(text: string): string | undefined {
  try {
    JSON.parse(text);
    return undefined;
  } catch (error) {
    return `Not JSON: ${(error as Error).message}`;
  }
}
