// The dependency layout of the task graph: a layered (Sugiyama-style) layout, left to right, written by hand
// because neither layout library named in design.md meets the run view's budgets. Measured on this machine
// (Node 24, the same V8 as the webview's worker; 10,000 nodes with 1-2 upstream each, and a 2,000-deep chain):
//   @dagrejs/dagre 3.1.3:   2,000-deep chain: fails, "Maximum call stack size exceeded" (a recursive DFS);
//                           10,000 nodes: not done after 60 s.
//   elkjs 0.12.1 (layered): 2,000-deep chain: 2.8 s; 10,000 nodes: not done after 60 s.
// (Budgets: chain < 1 s, 10,000 < 1 s, 50,000 < 3 s.) Both spend super-linear time in crossing minimisation and
// coordinate assignment at these sizes. This layout is
// linear apart from sorting each layer: Kahn's topological order, longest-path layering, three barycentre sweeps
// to order each layer, then y from the mean of each node's predecessors with overlaps pushed apart (layers
// taller than about the square root of the node count wrap into several columns). 50,000 nodes
// take tens of milliseconds.
// Frames (open groups and subflows, which nest) are drawn as rectangles around their nodes, so the layout keeps
// every other node out of them (layered-frames.ts): each layer's order keeps a frame's nodes together, and y is
// placed frame by frame, innermost first, each frame then being one block (with room for its label) that the
// items around it in the layers it spans are stacked above or below. The layout returns the rectangles. It does not insert dummy nodes for long edges, so an edge that skips layers may pass
// behind nodes: the renderer draws edges as curves under the nodes, which keeps that readable.
// Pure (no DOM): runs in the layout worker, and on the main thread when no worker can be started.

import { type FrameTree, frameTree, orderNested, placeRows } from "./layered-frames.ts";
import { LAYER_GAP, NODE_WIDTH, ROW_GAP } from "./layout-geometry.ts";

export { NODE_HEIGHT, NODE_WIDTH } from "./layout-geometry.ts";

const SWEEPS = 3;

export interface LayeredInput {
  count: number;
  /** Edge pairs [from, to, from, to, ...] as node indexes: `from` runs before `to`. */
  edges: Int32Array;
  /**
   * Frames as member lists: frame f's nodes are frameNodes[frameStart[f] .. frameStart[f + 1]). Frames nest: an
   * inner frame's nodes are in its outer frame's list too.
   */
  frameStart?: Int32Array;
  frameNodes?: Int32Array;
}

export interface NodePositions {
  x: Float32Array;
  y: Float32Array;
  width: Float32Array;
}

export interface LayeredPositions extends NodePositions {
  /** Each frame's rectangle [x, y, width, height]; its label goes above it, in room the layout left free. */
  frameBounds: Float32Array;
}

export function layeredLayout({ count, edges, frameStart, frameNodes }: LayeredInput): LayeredPositions {
  const predecessors = adjacency(count, edges, 1, 0);
  const successors = adjacency(count, edges, 0, 1);
  const order = topologicalOrder(count, predecessors, successors);
  const layer = new Int32Array(count);
  let layerCount = count > 0 ? 1 : 0;
  for (const node of order) {
    let rank = 0;
    for (let e = predecessors.start[node]; e < predecessors.start[node + 1]; e++) {
      const from = predecessors.targets[e];
      if (from !== node) rank = Math.max(rank, layer[from] + 1);
    }
    layer[node] = rank;
    layerCount = Math.max(layerCount, rank + 1);
  }
  const layers: number[][] = Array.from({ length: layerCount }, () => []);
  for (const node of order) layers[layer[node]].push(node);

  // Position of each node within its layer, as a fraction, so layers of different sizes compare.
  const position = new Float64Array(count);
  const placeLayer = (nodes: number[]) => {
    for (let i = 0; i < nodes.length; i++) position[nodes[i]] = (i + 0.5) / nodes.length;
  };
  for (const nodes of layers) placeLayer(nodes);
  const key = new Float64Array(count);
  const tree = frameTree(count, frameStart, frameNodes);
  const sortLayer = sorter(tree, key);
  const sortByNeighbours = (nodes: number[], neighbours: Adjacency) => {
    for (const node of nodes) {
      let sum = 0;
      let n = 0;
      for (let e = neighbours.start[node]; e < neighbours.start[node + 1]; e++) {
        sum += position[neighbours.targets[e]];
        n++;
      }
      key[node] = n > 0 ? sum / n : position[node];
    }
    sortLayer(nodes);
    placeLayer(nodes);
  };
  for (let sweep = 0; sweep < SWEEPS; sweep++) {
    if (sweep % 2 === 0) for (let l = 1; l < layerCount; l++) sortByNeighbours(layers[l], predecessors);
    else for (let l = layerCount - 2; l >= 0; l--) sortByNeighbours(layers[l], successors);
  }
  // A layer the sweeps never sorted (a graph of one layer) still needs its frames' nodes together.
  if (tree.count > 0 && layerCount === 1) sortByNeighbours(layers[0], predecessors);

  const x = new Float32Array(count);
  const y = new Float32Array(count);
  const width = new Float32Array(count).fill(NODE_WIDTH);
  // A layer taller than this wraps into several columns (50,000 mapped calls would otherwise be one column
  // 2.5 million pixels tall); the bound grows with the graph so the whole stays roughly as wide as tall.
  const maxRows = Math.max(24, Math.ceil(Math.sqrt(count)));
  const layerLeft = new Float64Array(layerCount);
  const layerColumns = new Int32Array(layerCount);
  let left = 0;
  for (let l = 0; l < layerCount; l++) {
    layerLeft[l] = left;
    layerColumns[l] = Math.max(1, Math.ceil(layers[l].length / maxRows));
    for (const node of layers[l]) x[node] = left;
    left += layerColumns[l] * (NODE_WIDTH + ROW_GAP * 2) - ROW_GAP * 2 + LAYER_GAP;
  }
  const frameBounds = placeRows({ tree, layers, layer, predecessors, layerLeft, layerColumns, x, y });
  return { x, y, width, frameBounds };
}

/** Sorts a layer by `key`: plainly, or with each frame's nodes kept together when there are frames. */
function sorter(tree: FrameTree, key: Float64Array): (nodes: number[]) => void {
  if (tree.count === 0) return (nodes) => nodes.sort((a, b) => key[a] - key[b]);
  const sum = new Float64Array(tree.count);
  const seen = new Int32Array(tree.count);
  return (nodes) => orderNested(tree, nodes, key, sum, seen);
}

export interface Adjacency {
  /** Neighbours of node i are targets[start[i] .. start[i + 1]). */
  start: Int32Array;
  targets: Int32Array;
}

/** Compressed adjacency lists: for each edge, `edges[2k + keyOffset]` gets neighbour `edges[2k + valueOffset]`. */
function adjacency(count: number, edges: Int32Array, keyOffset: number, valueOffset: number): Adjacency {
  const start = new Int32Array(count + 1);
  for (let k = 0; k < edges.length; k += 2) start[edges[k + keyOffset] + 1]++;
  for (let i = 0; i < count; i++) start[i + 1] += start[i];
  const fill = start.slice(0, count);
  const targets = new Int32Array(edges.length / 2);
  for (let k = 0; k < edges.length; k += 2) targets[fill[edges[k + keyOffset]]++] = edges[k + valueOffset];
  return { start, targets };
}

/** Kahn's algorithm; nodes on a cycle (which run data should never have) follow in index order. */
function topologicalOrder(count: number, predecessors: Adjacency, successors: Adjacency): number[] {
  const waiting = new Int32Array(count);
  for (let i = 0; i < count; i++) waiting[i] = predecessors.start[i + 1] - predecessors.start[i];
  const order: number[] = [];
  for (let i = 0; i < count; i++) if (waiting[i] === 0) order.push(i);
  for (let head = 0; head < order.length; head++) {
    const node = order[head];
    for (let e = successors.start[node]; e < successors.start[node + 1]; e++) {
      const to = successors.targets[e];
      if (--waiting[to] === 0) order.push(to);
    }
  }
  if (order.length < count) for (let i = 0; i < count; i++) if (waiting[i] > 0) order.push(i);
  return order;
}
