// The task graph's state palette: which VS Code theme colour shows each state type, and the index of each state
// type that nodes carry (so the renderer batches every node of one colour into one path). Pure, no DOM.
import type { StateType } from "../../protocol/states.ts";

export const STATE_COLOURS: Record<StateType, { variable: string; fallback: string }> = {
  COMPLETED: { variable: "--vscode-testing-iconPassed", fallback: "#73c991" },
  FAILED: { variable: "--vscode-testing-iconFailed", fallback: "#f14c4c" },
  CRASHED: { variable: "--vscode-testing-iconErrored", fallback: "#f14c4c" },
  RUNNING: { variable: "--vscode-charts-blue", fallback: "#3794ff" },
  PENDING: { variable: "--vscode-testing-iconQueued", fallback: "#cca700" },
  SCHEDULED: { variable: "--vscode-charts-yellow", fallback: "#cca700" },
  PAUSED: { variable: "--vscode-charts-orange", fallback: "#d18616" },
  CANCELLING: { variable: "--vscode-testing-iconSkipped", fallback: "#848484" },
  CANCELLED: { variable: "--vscode-testing-iconSkipped", fallback: "#848484" },
};

export const STATE_ORDER = Object.keys(STATE_COLOURS) as StateType[];
export const STATE_INDEX = new Map(STATE_ORDER.map((type, index) => [type, index]));
