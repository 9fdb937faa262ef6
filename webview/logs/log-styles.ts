// The log view's styles, in VS Code's theme variables (the webview gets them from the editor), so light, dark and
// high-contrast themes look native. ANSI colours use the terminal's own palette (--vscode-terminal-ansi*).
const ANSI_COLOURS = ["Black", "Red", "Green", "Yellow", "Blue", "Magenta", "Cyan", "White"];

function ansiRules(): string {
  const rules: string[] = [];
  for (const colour of ANSI_COLOURS) {
    for (const bright of [false, true]) {
      const name = `${bright ? "bright-" : ""}${colour.toLowerCase()}`;
      const variable = `--vscode-terminal-ansi${bright ? "Bright" : ""}${colour}`;
      rules.push(`.skein-logs .ansi-fg-${name} { color: var(${variable}); }`);
      rules.push(`.skein-logs .ansi-bg-${name} { background-color: var(${variable}); }`);
    }
  }
  return rules.join("\n");
}

/** Every row has this height, in pixels: a fixed height is what lets 100,000 lines scroll without measuring. */
export const LOG_ROW_HEIGHT = 20;

export const LOG_STYLES = `
.skein-logs { display: flex; flex-direction: column; height: 100%; min-height: 0; color: var(--vscode-foreground);
  font-family: var(--vscode-font-family); font-size: var(--vscode-font-size, 13px); }
.skein-logs-toolbar { display: flex; flex-wrap: wrap; gap: 6px 12px; align-items: center; padding: 4px 8px;
  border-bottom: 1px solid var(--vscode-panel-border, var(--vscode-contrastBorder, transparent)); }
.skein-logs-toolbar select, .skein-logs-toolbar input[type=search] { color: var(--vscode-input-foreground);
  background: var(--vscode-input-background); border: 1px solid var(--vscode-input-border, transparent);
  font: inherit; padding: 2px 4px; }
.skein-logs-toolbar input[type=search] { min-width: 16em; }
.skein-logs-toolbar input:focus, .skein-logs-toolbar select:focus, .skein-logs-toolbar button:focus {
  outline: 1px solid var(--vscode-focusBorder); outline-offset: -1px; }
.skein-logs-toolbar button { color: var(--vscode-button-secondaryForeground); font: inherit; cursor: pointer;
  background: var(--vscode-button-secondaryBackground); border: 1px solid var(--vscode-button-border, transparent);
  padding: 2px 8px; }
.skein-logs-toolbar button[aria-pressed=true] { color: var(--vscode-button-foreground);
  background: var(--vscode-button-background); outline: 1px solid var(--vscode-contrastActiveBorder, transparent); }
.skein-logs-count { color: var(--vscode-descriptionForeground); margin-left: auto; }
.skein-logs-task-chip { display: inline-flex; gap: 4px; align-items: center; padding: 0 0 0 6px;
  color: var(--vscode-badge-foreground); background: var(--vscode-badge-background); border-radius: 2px; }
.skein-logs-task-chip[hidden] { display: none; }
.skein-logs-task-chip button { padding: 0 6px; background: transparent; color: inherit; border: none; }
.skein-logs-scroller { flex: 1; min-height: 0; overflow: auto; position: relative; contain: strict;
  background: var(--vscode-editor-background); }
.skein-logs-canvas { position: relative; }
.skein-log-row { position: absolute; top: 0; left: 0; min-width: 100%; height: ${LOG_ROW_HEIGHT}px;
  line-height: ${LOG_ROW_HEIGHT}px; display: flex; white-space: pre; box-sizing: border-box; padding: 0 8px;
  font-family: var(--vscode-editor-font-family, monospace); font-size: var(--vscode-editor-font-size, 12px); }
.skein-log-row:hover { background: var(--vscode-list-hoverBackground); }
.skein-log-row > span { flex: none; }
.skein-logs.hide-timestamps .log-time { display: none; }
.log-time { width: 13ch; color: var(--vscode-descriptionForeground); }
.log-level { width: 9ch; text-transform: uppercase; }
.log-level.level-debug { color: var(--vscode-descriptionForeground); }
.log-level.level-info { color: var(--vscode-foreground); }
.log-level.level-warning { color: var(--vscode-editorWarning-foreground); }
.log-level.level-error, .log-level.level-critical { color: var(--vscode-errorForeground); font-weight: bold; }
.log-task { width: 18ch; overflow: hidden; text-overflow: ellipsis; padding-right: 1ch; }
.log-task.is-task { color: var(--vscode-textLink-foreground); cursor: pointer; }
.log-task.is-task:hover { text-decoration: underline; }
.log-task.is-flow { color: var(--vscode-descriptionForeground); }
.log-message { flex: 1 0 auto; }
.log-link { color: var(--vscode-textLink-foreground); text-decoration: underline; cursor: pointer; }
.log-link:hover { color: var(--vscode-textLink-activeForeground); }
.log-match { color: inherit; background: var(--vscode-editor-findMatchHighlightBackground);
  outline: 1px solid var(--vscode-editor-findMatchHighlightBorder, transparent); }
.skein-logs-empty { padding: 8px; color: var(--vscode-descriptionForeground); }
.skein-logs .ansi-bold { font-weight: bold; }
.skein-logs .ansi-dim { opacity: 0.7; }
.skein-logs .ansi-italic { font-style: italic; }
.skein-logs .ansi-underline { text-decoration: underline; }
.skein-logs .ansi-strikethrough { text-decoration: line-through; }
.skein-logs .ansi-hidden { visibility: hidden; }
${ansiRules()}
`;
