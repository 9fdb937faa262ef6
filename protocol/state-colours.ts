// Which VS Code theme colour shows each state type, wherever Skein shows a state: the run explorer's icons, the
// inline states in the editor, the run view's badges and its task graph. One table, so a Failed run is the same red
// in all of them. `id` is VS Code's theme colour id (`new ThemeColor(id)` in the extension); a webview reads the same
// colour as the CSS variable VS Code defines for it (`themeColourVariable`), or `fallback` when the theme has none.
import type { StateType } from "./states.ts";

export interface StateColour {
  id: string;
  fallback: string;
}

/** In this order the task graph indexes its per-state batches. */
export const STATE_THEME_COLOURS: Record<StateType, StateColour> = {
  COMPLETED: { id: "testing.iconPassed", fallback: "#73c991" },
  FAILED: { id: "testing.iconFailed", fallback: "#f14c4c" },
  CRASHED: { id: "testing.iconErrored", fallback: "#f14c4c" },
  RUNNING: { id: "charts.blue", fallback: "#3794ff" },
  PENDING: { id: "testing.iconQueued", fallback: "#cca700" },
  SCHEDULED: { id: "charts.purple", fallback: "#b180d7" },
  PAUSED: { id: "charts.orange", fallback: "#d18616" },
  CANCELLING: { id: "testing.iconSkipped", fallback: "#848484" },
  CANCELLED: { id: "testing.iconSkipped", fallback: "#848484" },
};

/** The CSS variable VS Code gives a webview for a theme colour id: `testing.iconPassed` → `--vscode-testing-iconPassed`. */
export function themeColourVariable(id: string): string {
  return `--vscode-${id.replaceAll(".", "-")}`;
}
