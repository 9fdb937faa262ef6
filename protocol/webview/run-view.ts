// Messages between the extension and one run view (the webview panel of one flow run). The webview says `ready`
// each time its script starts (first open, shown again after being hidden, restored after a reload); the extension
// answers with the whole snapshot it keeps for that run, then sends event batches. Messages from the webview are
// untrusted input: `parseRunViewRequest` checks each one at the boundary and drops anything else.
import type { RunEvent } from "../run-events.ts";
import type { RunSnapshot, SnapshotArtifact } from "../run-snapshot.ts";

/** The panel's view type, also its serializer's (package.json activationEvents: onWebviewPanel:skein.run). */
export const RUN_VIEW_TYPE = "skein.run";

export type RunViewTab = "graph" | "logs" | "artifacts" | "details" | "compare";
export const RUN_VIEW_TABS: readonly RunViewTab[] = ["graph", "logs", "artifacts", "details", "compare"];

/** Another run of the same flow, offered for comparison. */
export interface CompareCandidate {
  flowRunId: string;
  name: string;
  flowName: string;
  createdAt: string;
  stateName: string;
}

/** One artifact of a key's history across runs, with the name of the run that made it. */
export interface KeyedArtifact extends SnapshotArtifact {
  flowRunName: string;
}

/** How many of a key's artifacts the History action lists. */
export const ARTIFACT_HISTORY_LIMIT = 50;

export type RunViewMessage =
  /** Everything known about the run: sent on every `ready`, replacing what the webview shows. */
  | { type: "snapshot"; flowRunId: string; snapshot: RunSnapshot }
  /** New events of the run (and its subflows), in the order they happened. */
  | { type: "events"; events: RunEvent[] }
  /** Bring a tab to the front (e.g. the Compare command). */
  | { type: "show-tab"; tab: RunViewTab }
  | { type: "compare-candidates"; candidates: CompareCandidate[] }
  | { type: "compare-snapshot"; flowRunId: string; snapshot: RunSnapshot }
  /** The artifacts of a key across runs, newest first (answers list-artifact-history). */
  | { type: "artifact-history"; key: string; artifacts: KeyedArtifact[] }
  /** A request of the webview failed; shown in the view. */
  | { type: "error"; message: string };

/** Persisted by VS Code with the panel (webview setState), read back by the serializer after a reload. */
export interface RunViewState {
  flowRunId: string;
}

export type RunViewRequest =
  | { type: "ready" }
  /** The user clicked a link: the extension opens http(s) links only. */
  | { type: "open-link"; url: string }
  | { type: "go-to-source"; taskRunId: string }
  | { type: "run-again" }
  | { type: "list-compare-candidates" }
  | { type: "load-compare"; flowRunId: string }
  | { type: "list-artifact-history"; key: string };

const MAX_ID = 200;
const MAX_URL = 8192;
const MAX_KEY = 1000;

/** The request a webview message stands for, or undefined when it is not a well-formed one. */
export function parseRunViewRequest(message: unknown): RunViewRequest | undefined {
  if (typeof message !== "object" || message === null || Array.isArray(message)) return undefined;
  const fields = message as Record<string, unknown>;
  switch (fields.type) {
    case "ready":
    case "run-again":
    case "list-compare-candidates":
      return { type: fields.type };
    case "open-link":
      return boundedString(fields.url, MAX_URL) ? { type: "open-link", url: fields.url } : undefined;
    case "go-to-source":
      return boundedString(fields.taskRunId, MAX_ID)
        ? { type: "go-to-source", taskRunId: fields.taskRunId }
        : undefined;
    case "load-compare":
      return boundedString(fields.flowRunId, MAX_ID)
        ? { type: "load-compare", flowRunId: fields.flowRunId }
        : undefined;
    case "list-artifact-history":
      return boundedString(fields.key, MAX_KEY) ? { type: "list-artifact-history", key: fields.key } : undefined;
    default:
      return undefined;
  }
}

/** The saved state of a restored panel, or undefined when it is not one of ours. */
export function parseRunViewState(state: unknown): RunViewState | undefined {
  if (typeof state !== "object" || state === null) return undefined;
  const { flowRunId } = state as Record<string, unknown>;
  return boundedString(flowRunId, MAX_ID) ? { flowRunId } : undefined;
}

/** Only web links leave the editor: no javascript:, file:, command: or vscode: URLs from a run's content. */
export function isOpenableLink(url: string): boolean {
  try {
    const protocol = new URL(url).protocol;
    return protocol === "http:" || protocol === "https:";
  } catch {
    return false;
  }
}

function boundedString(value: unknown, max: number): value is string {
  return typeof value === "string" && value.length > 0 && value.length <= max;
}
