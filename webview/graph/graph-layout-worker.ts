// The task graph's layout worker (built to dist/webview/graph-layout-worker.js): lays out off the main thread so
// a 50,000-node graph never blocks panning, logs or input. Answers each request with positions as transferables.
import { computeLayout, type LayoutRequest, transferablesOf } from "./layout-protocol.ts";

const scope = self as unknown as {
  onmessage: ((event: MessageEvent<LayoutRequest>) => void) | null;
  postMessage(message: unknown, transfer: Transferable[]): void;
};
scope.onmessage = (event) => {
  const result = computeLayout(event.data);
  scope.postMessage(result, transferablesOf(result));
};
