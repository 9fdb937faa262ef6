// Component styles under the webview's strict CSP (style-src only by nonce): a <style> element made by script would
// be blocked, but a constructed stylesheet adopted by the document is not markup and is allowed, the same way the
// @vscode-elements components style themselves. Each sheet is adopted once per document.
const adopted = new WeakMap<Document, Set<string>>();

export function adoptStyles(document: Document, css: string): void {
  const sheets = adopted.get(document) ?? new Set<string>();
  adopted.set(document, sheets);
  if (sheets.has(css)) return;
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(css);
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
  sheets.add(css);
}
