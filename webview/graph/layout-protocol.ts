// What the task graph asks its layout worker and what it answers, and the one function that answers it (run in
// the worker, or on the main thread when no worker can be started). Typed arrays cross as transferables.
import { layeredLayout, type NodePositions } from "./layered-layout.ts";
import { timelineLayout } from "./timeline-layout.ts";

export type LayoutRequest =
  | {
      id: number;
      kind: "dependency";
      count: number;
      edges: Int32Array;
      /** The frames' member lists (see LayeredInput): the layout keeps other nodes out of their rectangles. */
      frameStart: Int32Array;
      frameNodes: Int32Array;
    }
  | { id: number; kind: "timeline"; start: Float64Array; end: Float64Array };

export interface LayoutResult extends NodePositions {
  /** Each frame's rectangle [x, y, width, height] (the dependency layout; zeros in the timeline, which has none). */
  frameBounds: Float32Array;
  id: number;
  kind: LayoutRequest["kind"];
  /** Timeline only: the time at x = 0 and the scale. */
  originMs: number;
  pxPerMs: number;
  /** How long the layout itself took, for the debug accessor and the bench. */
  layoutMs: number;
}

export function computeLayout(request: LayoutRequest): LayoutResult {
  const started = performance.now();
  if (request.kind === "dependency") {
    const positions = layeredLayout(request);
    return { id: request.id, kind: request.kind, ...positions, originMs: 0, pxPerMs: 0, layoutMs: elapsed(started) };
  }
  const positions = timelineLayout(request);
  const frameBounds = new Float32Array(0);
  return { id: request.id, kind: request.kind, ...positions, frameBounds, layoutMs: elapsed(started) };
}

function elapsed(started: number): number {
  return performance.now() - started;
}

export function transferablesOf(result: LayoutResult): ArrayBuffer[] {
  return [result.x.buffer, result.y.buffer, result.width.buffer, result.frameBounds.buffer] as ArrayBuffer[];
}
