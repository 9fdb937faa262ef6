// The colours of the run view's state badges (`stateClass` in format.ts: .state-completed, .state-failed, ...), made
// from the one table of state colours (protocol/state-colours.ts) the task graph, the run explorer and the inline
// states use too. A constructed stylesheet: the webview's nonce-only style-src allows it (adopt-styles.ts).
import { STATE_THEME_COLOURS, themeColourVariable } from "../../protocol/state-colours.ts";
import { adoptStyles } from "./adopt-styles.ts";

const STATE_BADGE_STYLES = Object.entries(STATE_THEME_COLOURS)
  .map(
    ([type, { id, fallback }]) =>
      `.state-${type.toLowerCase()} { background: var(${themeColourVariable(id)}, ${fallback}); color: var(--vscode-editor-background); }`,
  )
  .join("\n");

export function adoptStateBadgeStyles(document: Document): void {
  adoptStyles(document, STATE_BADGE_STYLES);
}
