// Which edges of the task graph a frame strokes. Built once per layout: each edge's bounding box (world units)
// and, per node, the edges that touch it. A frame scans the boxes only until it knows whether the edges crossing
// the view fit the budget; when they do not (the usual case close up in a large graph, where thousands of long
// edges cross the view), it takes the edges of the nodes on screen from the per-node lists instead of testing
// every edge's ends (at 50,000 nodes that test was ~0.9 ms of a 7.8 ms frame).
import type { GraphStructure } from "./graph-model.ts";
import { NODE_HEIGHT } from "./layered-layout.ts";
import type { LayoutResult } from "./layout-protocol.ts";

/** The view in world units. */
export interface WorldRect {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

export class EdgeIndex {
  /** Per edge [left, top, right, bottom] in world units. */
  private readonly boxes: Float32Array;
  /** The edges touching node n: incident[start[n]] up to incident[start[n + 1]] (edge numbers, not offsets). */
  private readonly start: Int32Array;
  private readonly incident: Int32Array;
  /** Scratch for one frame: the edges picked, and the frame stamp that marks an edge as already picked. */
  private readonly picked: Int32Array;
  private readonly stamp: Uint32Array;
  private frame = 0;

  constructor(
    readonly layout: LayoutResult,
    private readonly edges: Int32Array,
  ) {
    const { x, y, width: w } = layout;
    const count = edges.length / 2;
    this.boxes = new Float32Array(count * 4);
    this.start = new Int32Array(x.length + 1);
    for (let e = 0; e < count; e++) {
      const from = edges[2 * e];
      const to = edges[2 * e + 1];
      this.boxes[4 * e] = Math.min(x[from] + w[from], x[to]);
      this.boxes[4 * e + 1] = Math.min(y[from], y[to]);
      this.boxes[4 * e + 2] = Math.max(x[from] + w[from], x[to]);
      this.boxes[4 * e + 3] = Math.max(y[from], y[to]) + NODE_HEIGHT;
      this.start[from + 1]++;
      if (to !== from) this.start[to + 1]++;
    }
    for (let n = 0; n < x.length; n++) this.start[n + 1] += this.start[n];
    this.incident = new Int32Array(this.start[x.length]);
    const filled = this.start.slice(0, x.length);
    for (let e = 0; e < count; e++) {
      const from = edges[2 * e];
      const to = edges[2 * e + 1];
      this.incident[filled[from]++] = e;
      if (to !== from) this.incident[filled[to]++] = e;
    }
    this.picked = new Int32Array(count);
    this.stamp = new Uint32Array(count);
  }

  static of(graph: GraphStructure, layout: LayoutResult, previous: EdgeIndex | undefined): EdgeIndex {
    return previous?.layout === layout ? previous : new EdgeIndex(layout, graph.edges);
  }

  /**
   * Calls `draw` for the edges crossing `view`, in edge order. Stroking is what costs (a long line touches a
   * thousand pixels), so when more than `budget` cross it, only edges with an end among `onScreen` (the nodes
   * inside the view) are drawn, and at most `budget` of them. Returns how many were drawn.
   */
  forVisible(
    view: WorldRect,
    onScreen: readonly number[],
    budget: number,
    draw: (from: number, to: number) => void,
  ): number {
    const { boxes, edges, picked } = this;
    const { minX, minY, maxX, maxY } = view;
    const crosses = (e: number) =>
      boxes[4 * e + 2] >= minX && boxes[4 * e] <= maxX && boxes[4 * e + 3] >= minY && boxes[4 * e + 1] <= maxY;
    const count = edges.length / 2;
    let found = 0;
    for (let e = 0; e < count && found <= budget; e++) if (crosses(e)) picked[found++] = e;
    if (found > budget) {
      // Over budget: the edges of the nodes on screen, each once, back in edge order.
      const stamp = ++this.frame;
      found = 0;
      for (const node of onScreen)
        for (let i = this.start[node]; i < this.start[node + 1]; i++) {
          const e = this.incident[i];
          if (this.stamp[e] === stamp || !crosses(e)) continue;
          this.stamp[e] = stamp;
          picked[found++] = e;
        }
      picked.subarray(0, found).sort();
    }
    const drawn = Math.min(found, budget);
    for (let i = 0; i < drawn; i++) draw(edges[2 * picked[i]], edges[2 * picked[i] + 1]);
    return drawn;
  }
}

/** The part of the world a view of `width` × `height` CSS pixels shows. */
export function worldRect(view: { scale: number; tx: number; ty: number }, width: number, height: number): WorldRect {
  return {
    minX: -view.tx / view.scale,
    minY: -view.ty / view.scale,
    maxX: (width - view.tx) / view.scale,
    maxY: (height - view.ty) / view.scale,
  };
}
