// The task graph's colours, read from the CSS custom properties VS Code sets on the webview (so light, dark and
// high-contrast themes look native), re-read when the theme changes (VS Code swaps the body's class).
import { STATE_COLOURS, STATE_ORDER } from "./state-palette.ts";

export interface GraphTheme {
  /** By STATE_ORDER index. */
  state: string[];
  background: string;
  nodeBackground: string;
  foreground: string;
  muted: string;
  edge: string;
  frame: string;
  selection: string;
  match: string;
  font: string;
  /** High-contrast themes: outline every node, like the workbench does. */
  contrastBorder?: string;
}

export function readTheme(element: HTMLElement): GraphTheme {
  const style = getComputedStyle(element);
  const read = (variable: string, fallback: string) => style.getPropertyValue(variable).trim() || fallback;
  const family = read("--vscode-font-family", "system-ui, sans-serif");
  const contrastBorder = style.getPropertyValue("--vscode-contrastBorder").trim();
  return {
    state: STATE_ORDER.map((type) => read(STATE_COLOURS[type].variable, STATE_COLOURS[type].fallback)),
    background: read("--vscode-editor-background", "#1e1e1e"),
    nodeBackground: read("--vscode-editorWidget-background", "#252526"),
    foreground: read("--vscode-editor-foreground", "#cccccc"),
    muted: read("--vscode-descriptionForeground", "#9d9d9d"),
    edge: read("--vscode-editorIndentGuide-activeBackground1", "#707070"),
    frame: read("--vscode-editorIndentGuide-background1", "#404040"),
    selection: read("--vscode-focusBorder", "#007fd4"),
    match: read("--vscode-editor-findMatchBorder", read("--vscode-editor-findMatchHighlightBackground", "#ea5c00")),
    font: family,
    contrastBorder: contrastBorder || undefined,
  };
}

/** Calls `onChange` when VS Code switches theme (it changes the body's class and the style variables). */
export function watchTheme(onChange: () => void): () => void {
  const observer = new MutationObserver(onChange);
  observer.observe(document.body, { attributes: true, attributeFilter: ["class", "style"] });
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ["class", "style"] });
  return () => observer.disconnect();
}
