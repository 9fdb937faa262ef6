// The webview's side of the extension's API (acquireVsCodeApi), typed with the run view's messages. Only
// requests of protocol/webview/run-view.ts can be posted; the extension checks them again on arrival.
import type { RunViewRequest, RunViewState } from "../../protocol/webview/run-view.ts";

export interface RunViewApi {
  post(request: RunViewRequest): void;
  /** Saved with the panel, so the serializer can restore the view after a window reload. */
  setState(state: RunViewState): void;
}

declare function acquireVsCodeApi(): { postMessage(message: unknown): void; setState(state: unknown): void };

export function runViewApi(): RunViewApi {
  const api = acquireVsCodeApi();
  return {
    post: (request) => api.postMessage(request),
    setState: (state) => api.setState(state),
  };
}
