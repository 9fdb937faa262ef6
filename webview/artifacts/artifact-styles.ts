// The artifacts list's styles, in VS Code's theme variables so light, dark and high-contrast themes look native.
export const ARTIFACT_STYLES = `
.skein-artifacts { color: var(--vscode-foreground); font-family: var(--vscode-font-family);
  font-size: var(--vscode-font-size, 13px); padding: 8px; display: flex; flex-direction: column; gap: 10px;
  overflow: auto; height: 100%; box-sizing: border-box; }
.skein-artifacts-empty { color: var(--vscode-descriptionForeground); }
.artifact-card { border: 1px solid var(--vscode-panel-border, var(--vscode-contrastBorder, transparent));
  background: var(--vscode-editorWidget-background, var(--vscode-editor-background)); border-radius: 3px;
  padding: 8px 10px; min-width: 0; }
.artifact-header { display: flex; flex-wrap: wrap; gap: 4px 10px; align-items: baseline; margin-bottom: 6px; }
.artifact-key { font-weight: bold; }
.artifact-key.no-key { font-weight: normal; font-style: italic; color: var(--vscode-descriptionForeground); }
.artifact-type { font-size: 0.85em; padding: 0 6px; border-radius: 2px; color: var(--vscode-badge-foreground);
  background: var(--vscode-badge-background); }
.artifact-task { color: var(--vscode-textLink-foreground); cursor: pointer; background: none; border: none;
  padding: 0; font: inherit; }
.artifact-task:hover { text-decoration: underline; }
.artifact-task:focus, .artifact-table-header .artifact-table-cell:focus {
  outline: 1px solid var(--vscode-focusBorder); }
.artifact-time { color: var(--vscode-descriptionForeground); margin-left: auto; }
.artifact-description { color: var(--vscode-descriptionForeground); margin-bottom: 6px; white-space: pre-wrap; }
.skein-artifacts a[href] { color: var(--vscode-textLink-foreground); cursor: pointer; }
.skein-artifacts a[href]:hover { color: var(--vscode-textLink-activeForeground); }
.artifact-unsafe-link { color: var(--vscode-descriptionForeground); text-decoration: line-through; }
.artifact-link { display: flex; gap: 10px; align-items: baseline; flex-wrap: wrap; }
.artifact-link-url { color: var(--vscode-descriptionForeground); font-size: 0.9em; word-break: break-all; }
.artifact-markdown { overflow-wrap: anywhere; }
.artifact-markdown > :first-child { margin-top: 0; }
.artifact-markdown > :last-child { margin-bottom: 0; }
.artifact-markdown code, .artifact-markdown pre { font-family: var(--vscode-editor-font-family, monospace);
  background: var(--vscode-textCodeBlock-background); }
.artifact-markdown pre { padding: 6px; overflow: auto; }
.artifact-markdown table { border-collapse: collapse; }
.artifact-markdown th, .artifact-markdown td { border: 1px solid var(--vscode-panel-border, transparent);
  padding: 2px 6px; }
.artifact-markdown .align-left { text-align: left; }
.artifact-markdown .align-right { text-align: right; }
.artifact-markdown .align-center { text-align: center; }
.artifact-markdown blockquote { margin: 0; padding-left: 8px;
  border-left: 3px solid var(--vscode-textBlockQuote-border); background: var(--vscode-textBlockQuote-background); }
.artifact-markdown img, .artifact-image img { max-width: 100%; max-height: 480px; }
.artifact-table { overflow-x: auto; font-family: var(--vscode-editor-font-family, monospace);
  font-size: var(--vscode-editor-font-size, 12px); }
.artifact-table-row { display: grid; grid-template-columns: repeat(var(--artifact-table-columns), minmax(12ch, 1fr));
  min-width: calc(var(--artifact-table-columns) * 12ch); height: 24px; line-height: 24px; box-sizing: border-box;
  border-bottom: 1px solid var(--vscode-panel-border, transparent); }
.artifact-table-cell { overflow: hidden; text-overflow: ellipsis; white-space: pre; padding: 0 6px; }
.artifact-table-header { font-weight: bold; position: relative; }
.artifact-table-header .artifact-table-cell { cursor: pointer; user-select: none; }
.artifact-table-header .artifact-table-cell:hover { background: var(--vscode-list-hoverBackground); }
.artifact-table-body { max-height: 400px; overflow-y: auto; }
.artifact-table-body:not(.virtualised) .artifact-table-row:hover { background: var(--vscode-list-hoverBackground); }
.artifact-table-canvas { position: relative; }
.artifact-table-body.virtualised .artifact-table-row { position: absolute; top: 0; left: 0; right: 0; }
.artifact-progress { display: flex; gap: 10px; align-items: center; }
.artifact-progress-track { flex: 1; height: 8px; border-radius: 4px; overflow: hidden;
  background: var(--vscode-progressBar-background, var(--vscode-focusBorder)); background-clip: content-box;
  border: 1px solid var(--vscode-contrastBorder, transparent); position: relative; }
.artifact-progress-track::before { content: ""; position: absolute; inset: 0;
  background: var(--vscode-editor-background); opacity: 0.75; }
.artifact-progress-bar { position: relative; height: 100%;
  background: var(--vscode-progressBar-background, var(--vscode-button-background)); transition: width 0.2s; }
.artifact-progress-label { min-width: 5ch; text-align: right; font-variant-numeric: tabular-nums; }
.artifact-history-button { background: none; border: 1px solid var(--vscode-button-border, var(--vscode-panel-border));
  color: var(--vscode-textLink-foreground); cursor: pointer; font: inherit; font-size: 0.9em; padding: 0 6px;
  border-radius: 2px; }
.artifact-history-button:hover { background: var(--vscode-list-hoverBackground); }
.artifact-history-button:focus, .artifact-history-row:focus, .artifact-history-close:focus {
  outline: 1px solid var(--vscode-focusBorder); }
.artifact-history { border: 1px solid var(--vscode-focusBorder); border-radius: 3px; padding: 8px 10px;
  background: var(--vscode-editorWidget-background, var(--vscode-editor-background)); }
.artifact-history-header { display: flex; align-items: baseline; gap: 10px; margin-bottom: 6px; }
.artifact-history-title { font-weight: bold; flex: 1; overflow-wrap: anywhere; }
.artifact-history-close { background: none; border: none; color: var(--vscode-textLink-foreground); cursor: pointer;
  font: inherit; }
.artifact-history-list { display: flex; flex-direction: column; max-height: 200px; overflow-y: auto;
  margin-bottom: 8px; border-bottom: 1px solid var(--vscode-panel-border, transparent); }
.artifact-history-row { display: grid; grid-template-columns: 1fr auto auto; gap: 10px; text-align: left;
  background: none; border: none; color: inherit; font: inherit; padding: 2px 6px; cursor: pointer; }
.artifact-history-row:hover { background: var(--vscode-list-hoverBackground); }
/* The mark on the picked row does not rely on a selection colour: high-contrast themes have none. */
.artifact-history-row[aria-selected="true"] { background: var(--vscode-list-activeSelectionBackground);
  color: var(--vscode-list-activeSelectionForeground, inherit); font-weight: bold;
  box-shadow: inset 3px 0 var(--vscode-focusBorder, var(--vscode-textLink-foreground)); }
.artifact-history-type, .artifact-history-row time { color: var(--vscode-descriptionForeground); }
.artifact-history-row[aria-selected="true"] time, .artifact-history-row[aria-selected="true"] .artifact-history-type {
  color: inherit; }
.artifact-history-note { color: var(--vscode-descriptionForeground); padding: 2px 6px; }
`;
