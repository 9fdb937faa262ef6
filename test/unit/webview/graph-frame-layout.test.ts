// The layered layout around frames (open groups and subflows): no node outside a frame touches the frame's
// rectangle or the label strip above it, no two nodes overlap, and layers still run left to right by dependency.
// Checked on the run view's sample run (its subflow frame, and with the mapped group opened too), nested frames, a
// frame spanning layers beside nodes outside it, and a large random graph with many nested frames and wide layers.
import assert from "node:assert/strict";
import { test } from "node:test";
import { GraphModel } from "../../../webview/graph/graph-model.ts";
import { type LayeredInput, layeredLayout } from "../../../webview/graph/layered-layout.ts";
import { FRAME_LABEL, NODE_HEIGHT } from "../../../webview/graph/layout-geometry.ts";
import { sampleRunSnapshot } from "../../fixtures/webview/graph-snapshots.ts";

/** Member lists as the layout takes them. */
function frameInput(count: number, edges: number[], frames: number[][]): LayeredInput {
  const frameStart = new Int32Array(frames.length + 1);
  frames.forEach((nodes, f) => (frameStart[f + 1] = frameStart[f] + nodes.length));
  return { count, edges: Int32Array.from(edges), frameStart, frameNodes: Int32Array.from(frames.flat()) };
}

/** Lays out and checks every property; names the first broken one (`names` labels nodes in messages). */
function assertFrameLayout(input: LayeredInput, frames: number[][], names?: string[]): void {
  const { x, y, width, frameBounds } = layeredLayout(input);
  const name = (i: number) => names?.[i] ?? `node ${i}`;
  const { count, edges } = input;
  for (let k = 0; k < edges.length; k += 2)
    assert.ok(x[edges[k]] < x[edges[k + 1]], `${name(edges[k])} is left of ${name(edges[k + 1])}`);
  // Nodes sorted by x: only nodes whose x ranges meet can overlap.
  const byX = Array.from({ length: count }, (_, i) => i).sort((a, b) => x[a] - x[b]);
  for (let a = 0; a < byX.length; a++)
    for (let b = a + 1; b < byX.length && x[byX[b]] < x[byX[a]] + width[byX[a]]; b++) {
      const [i, j] = [byX[a], byX[b]];
      assert.ok(y[i] + NODE_HEIGHT <= y[j] || y[j] + NODE_HEIGHT <= y[i], `${name(i)} and ${name(j)} overlap`);
    }
  frames.forEach((nodes, f) => {
    const [left, top, w, h] = frameBounds.subarray(4 * f, 4 * f + 4);
    const members = new Set(nodes);
    for (const i of nodes)
      assert.ok(
        x[i] >= left && x[i] + width[i] <= left + w && y[i] >= top && y[i] + NODE_HEIGHT <= top + h,
        `frame ${f} surrounds its member ${name(i)}`,
      );
    for (let i = 0; i < count; i++) {
      if (members.has(i)) continue;
      const apart =
        x[i] + width[i] <= left || x[i] >= left + w || y[i] + NODE_HEIGHT <= top - FRAME_LABEL || y[i] >= top + h;
      assert.ok(apart, `${name(i)} is outside frame ${f} and its label`);
    }
  });
}

function assertModelLayout(model: GraphModel): void {
  const graph = model.structure();
  const frames = graph.frames.map((frame) => frame.nodes);
  const input = frameInput(graph.nodes.length, [...graph.edges], frames);
  assertFrameLayout(
    input,
    frames,
    graph.nodes.map((node) => node.label),
  );
}

test("the sample run's subflow frame holds only its own nodes, with the mapped group closed and open", () => {
  const model = new GraphModel();
  const snapshot = sampleRunSnapshot();
  model.sync(snapshot);
  assert.equal(model.frames.length, 1);
  assertModelLayout(model);
  model.toggle("group:flow-root:transform@flow.ts:1", snapshot);
  assert.equal(model.frames.length, 2);
  assertModelLayout(model);
});

test("nested frames: the inner frame's nodes are inside both, the outer frame's others only in the outer", () => {
  // 0 -> 1 (outer's header) -> 2 (inner's header) -> 3, 4 -> 5; 1 -> 6 -> 5; and 0 -> 7 -> 8 -> 9, 0 -> 10 outside.
  const edges = [0, 1, 1, 2, 2, 3, 2, 4, 3, 5, 4, 5, 1, 6, 6, 5, 0, 7, 7, 8, 8, 9, 0, 10];
  const inner = [2, 3, 4];
  const outer = [1, 2, 3, 4, 5, 6];
  assertFrameLayout(frameInput(11, edges, [outer, inner]), [outer, inner]);
  // Inner frames listed before their outer one, and two frames side by side inside it.
  const twins = [[3], [4], outer];
  assertFrameLayout(frameInput(11, edges, twins), twins);
});

test("a frame spanning several layers keeps the nodes outside it in those layers above or below it", () => {
  // A spine 0 -> 1 -> ... -> 5; frame members 1..4 share layers with siblings that hang off the spine and with a
  // parallel chain 6 -> 7 -> 8 -> 9 that wants the same rows.
  const edges = [0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 0, 6, 6, 7, 7, 8, 8, 9, 1, 10, 2, 11, 3, 12, 0, 13, 13, 14, 14, 15];
  const frame = [1, 2, 3, 4];
  assertFrameLayout(frameInput(16, edges, [frame]), [frame]);
  // A frame whose nodes skip a layer (an edge from its first layer to its third): the middle layer is inside too.
  const skip = [0, 1, 1, 2, 0, 3, 3, 4, 4, 5, 0, 6, 6, 7, 7, 8];
  assertFrameLayout(frameInput(9, skip, [[3, 5]]), [[3, 5]]);
});

test("a large random graph with many nested frames and wrapped layers", () => {
  let seed = 11;
  const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
  const count = 4000;
  const edges: number[] = [];
  for (let i = 1; i < count; i++) {
    // A third of the nodes fan out from node 0 (one layer too tall for a column: it wraps); the rest are layered.
    if (i % 3 === 0) edges.push(0, i);
    else for (let k = 0; k < 1 + Math.floor(random() * 2); k++) edges.push(Math.floor(random() * i), i);
  }
  // 400 frames in a random forest; each node is in one frame's own nodes (or none), and so in its ancestors too.
  const parent = Array.from({ length: 400 }, (_, f) => (f > 0 && random() < 0.4 ? Math.floor(random() * f) : -1));
  const frames: number[][] = parent.map(() => []);
  for (let i = 0; i < count; i++) {
    if (random() < 0.4) continue;
    for (let f = Math.floor(random() * parent.length); f >= 0; f = parent[f]) frames[f].push(i);
  }
  const nonEmpty = frames.filter((nodes) => nodes.length > 0);
  assertFrameLayout(frameInput(count, edges, nonEmpty), nonEmpty);
});
