// Messages between the extension and the run webview. The webview says `ready` once its script runs; the
// extension holds everything until then, so nothing sent during start-up is lost.
import type { RunEvent } from "./run-events.ts";

export type ExtensionToWebview =
  /** Starts showing a new run. */
  | { type: "run-started"; title: string }
  /** Events of the shown run, in the order the engine emitted them. */
  | { type: "run-events"; events: RunEvent[] };

export type WebviewToExtension = { type: "ready" };

export function isWebviewToExtension(message: unknown): message is WebviewToExtension {
  return typeof message === "object" && message !== null && (message as { type?: unknown }).type === "ready";
}
