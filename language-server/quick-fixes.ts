// "Did you mean…?" diagnostics carry their suggestions as replacement texts for their own range; the editor
// offers each as a quick fix.
import { CodeActionKind, TextEdit, type CodeAction, type Diagnostic } from "vscode-languageserver";

interface ReplacementData {
  replacements: string[];
}

/** Attaches replacement texts (for the diagnostic's range) to a diagnostic. */
export function withReplacements(diagnostic: Diagnostic, replacements: string[]): Diagnostic {
  if (replacements.length) diagnostic.data = { replacements } satisfies ReplacementData;
  return diagnostic;
}

function replacementsOf(diagnostic: Diagnostic): string[] {
  const replacements = (diagnostic.data as Partial<ReplacementData> | undefined)?.replacements;
  return Array.isArray(replacements) ? replacements.filter((text): text is string => typeof text === "string") : [];
}

export function quickFixes(uri: string, diagnostics: Diagnostic[]): CodeAction[] {
  return diagnostics.flatMap((diagnostic) =>
    replacementsOf(diagnostic).map(
      (text, i): CodeAction => ({
        title: `Change to '${text}'`,
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        isPreferred: i === 0,
        edit: { changes: { [uri]: [TextEdit.replace(diagnostic.range, text)] } },
      }),
    ),
  );
}
