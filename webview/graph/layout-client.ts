// Runs layouts for the task graph in a Web Worker, answering only the latest request (a graph that grows while a
// layout runs asks again; stale answers are dropped). VS Code serves webview resources from another origin than
// the webview's document, where `new Worker(url)` is refused, so the worker's script is fetched and started from a
// blob: URL (the panel's CSP needs `worker-src blob:` and `connect-src` for its own resources). When no worker can
// be started, layouts run on the main thread: slower to first paint, but never a blank graph.
import { computeLayout, type LayoutRequest, type LayoutResult } from "./layout-protocol.ts";

type Request = LayoutRequest extends infer R ? (R extends unknown ? Omit<R, "id"> : never) : never;

export class LayoutClient {
  private worker: Promise<Worker | undefined>;
  private latest = 0;
  private disposed = false;
  /** Whether layouts run in the worker (false until it started, and when it could not). */
  inWorker = false;

  constructor(
    workerUrl: string,
    private readonly onResult: (result: LayoutResult) => void,
  ) {
    this.worker = startWorker(workerUrl).then((worker) => {
      if (!worker) return undefined;
      this.inWorker = true;
      worker.onmessage = (event: MessageEvent<LayoutResult>) => this.deliver(event.data);
      if (this.disposed) worker.terminate();
      return worker;
    });
  }

  request(request: Request): void {
    const id = ++this.latest;
    const message = { ...request, id } as LayoutRequest;
    void this.worker.then((worker) => {
      if (this.disposed || id !== this.latest) return;
      if (worker) worker.postMessage(message, transferablesOfRequest(message));
      else this.deliver(computeLayout(message));
    });
  }

  dispose(): void {
    this.disposed = true;
    void this.worker.then((worker) => worker?.terminate());
  }

  private deliver(result: LayoutResult): void {
    if (!this.disposed && result.id === this.latest) this.onResult(result);
  }
}

async function startWorker(url: string): Promise<Worker | undefined> {
  try {
    const response = await fetch(url);
    if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
    const blob = new Blob([await response.text()], { type: "text/javascript" });
    return new Worker(URL.createObjectURL(blob));
  } catch (error) {
    console.warn("task graph: layout worker unavailable, laying out on the main thread:", error);
    return undefined;
  }
}

function transferablesOfRequest(request: LayoutRequest): ArrayBuffer[] {
  const arrays =
    request.kind === "dependency"
      ? [request.edges, request.frameStart, request.frameNodes]
      : [request.start, request.end];
  return arrays.map((array) => array.buffer as ArrayBuffer);
}
