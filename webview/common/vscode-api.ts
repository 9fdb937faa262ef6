// The webview's side of the extension's API (acquireVsCodeApi), typed with each page's messages. Only requests
// of protocol/webview/ can be posted; the extension checks them again on arrival.
import type { ParameterFormRequest, ParameterFormState } from "../../protocol/webview/parameter-form.ts";
import type { RunViewRequest, RunViewState } from "../../protocol/webview/run-view.ts";

export interface RunViewApi {
  post(request: RunViewRequest): void;
  /** Saved with the panel, so the serializer can restore the view after a window reload. */
  setState(state: RunViewState): void;
}

declare function acquireVsCodeApi(): {
  postMessage(message: unknown): void;
  setState(state: unknown): void;
  getState(): unknown;
};

export function runViewApi(): RunViewApi {
  const api = acquireVsCodeApi();
  return {
    post: (request) => api.postMessage(request),
    setState: (state) => api.setState(state),
  };
}

/**
 * The parameter form's side of the extension's API: its requests, and its state (the form's origin and the values
 * typed), kept while the panel is hidden and handed to the extension's serializer after a window reload.
 */
export interface ParameterFormApi {
  post(request: ParameterFormRequest): void;
  setState(state: ParameterFormState): void;
  getState(): unknown;
}

export function parameterFormApi(): ParameterFormApi {
  const api = acquireVsCodeApi();
  return {
    post: (request) => api.postMessage(request),
    setState: (state) => api.setState(state),
    getState: () => api.getState(),
  };
}
