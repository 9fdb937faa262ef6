// The frame-aware parts of the layered layout (layered-layout.ts): the tree of frames (open groups and subflows,
// nested), the order of a layer that keeps each frame's nodes together, and the y of every node, placed level by
// level of that tree so that each frame becomes one block the nodes outside it never enter.
//
// A level is a frame, or the whole graph. Its items are its own nodes and the frames directly inside it; a frame
// item spans the layers from its first node's to its last node's and is as tall as its laid-out inside plus the
// room for its rectangle's padding and label. Levels are placed innermost first, each in its own coordinates, so
// an inner frame is a rigid block by the time its outer level places it. Within a level, the items that start in
// one layer are placed as the whole layout places a layer (each wants the mean y of its predecessors already
// placed in the level, pushed apart in order, the batch shifted back by its mean drift), then pushed down past the
// blocks of earlier layers that span into theirs. Items sharing a layer therefore never share a y range, and a
// frame's rectangle lies inside its block: a node outside the frame is in another item of some common level, so it
// is either above or below the block, or in a layer the block does not span (then a layer gap away).
// Cost: each node is moved, and its predecessors read, once per frame it is in (so linear for a flat graph, and
// times the nesting depth otherwise); 50,000 nodes in 10,000 nested frames lay out in about 0.2 s.
import type { Adjacency } from "./layered-layout.ts";
import {
  FRAME_LABEL,
  FRAME_MAX_SIDE,
  FRAME_NESTED_PADDING,
  FRAME_PADDING,
  FRAME_PADDING_TOP,
  NODE_HEIGHT,
  NODE_WIDTH,
  ROW_GAP,
} from "./layout-geometry.ts";

/** From the top of a frame's block to its first row of nodes: the label, then the rectangle's padding. */
const FRAME_TOP = FRAME_LABEL + FRAME_PADDING_TOP;
const STEP = NODE_HEIGHT + ROW_GAP;
/** The item that stands for a level's nodes in a wrapped layer (one grid, see placeRows). */
const GRID = -0x80000000;

export interface FrameTree {
  count: number;
  /** Frame f's nodes (its inner frames' nodes included) are nodes[start[f] .. start[f + 1]). */
  start: Int32Array;
  nodes: Int32Array;
  /** The frame a frame is directly inside, or -1. */
  parent: Int32Array;
  depth: Int32Array;
  /** The innermost frame each node is in, or -1. */
  innermost: Int32Array;
  /** Frames, innermost (deepest) first. */
  deepestFirst: number[];
}

export function frameTree(
  nodeCount: number,
  start: Int32Array = new Int32Array(1),
  nodes: Int32Array = new Int32Array(0),
): FrameTree {
  const count = start.length - 1;
  const parent = new Int32Array(count).fill(-1);
  const depth = new Int32Array(count);
  const innermost = new Int32Array(nodeCount).fill(-1);
  // Frames nest, so an outer frame holds more nodes than any frame inside it: taken largest first, a frame's
  // parent is the innermost frame its nodes were in so far, and each node ends up with its innermost frame.
  const size = (f: number) => start[f + 1] - start[f];
  const largestFirst = Array.from({ length: count }, (_, f) => f).sort((a, b) => size(b) - size(a));
  for (const f of largestFirst) {
    if (size(f) === 0) continue;
    parent[f] = innermost[nodes[start[f]]];
    depth[f] = parent[f] < 0 ? 0 : depth[parent[f]] + 1;
    for (let k = start[f]; k < start[f + 1]; k++) innermost[nodes[k]] = f;
  }
  const deepestFirst = Array.from({ length: count }, (_, f) => f).sort((a, b) => depth[b] - depth[a]);
  return { count, start, nodes, parent, depth, innermost, deepestFirst };
}

/** Whether `node` is inside frame `frame` (at any depth). */
function inside(tree: FrameTree, node: number, frame: number): boolean {
  let f = tree.innermost[node];
  while (f >= 0 && tree.depth[f] > tree.depth[frame]) f = tree.parent[f];
  return f === frame;
}

/**
 * Orders one layer by `key` so that each frame's nodes are contiguous: at each level of the tree, its own nodes
 * and its frames (keyed by the mean key of their nodes in this layer) are sorted, and each frame is expanded in
 * place. `sum` and `seen` are zeroed scratch arrays of one entry per frame, left zeroed.
 */
export function orderNested(tree: FrameTree, nodes: number[], key: Float64Array, sum: Float64Array, seen: Int32Array) {
  const touched: number[] = [];
  for (const node of nodes)
    for (let f = tree.innermost[node]; f >= 0; f = tree.parent[f]) {
      if (seen[f]++ === 0) touched.push(f);
      sum[f] += key[node];
    }
  const children = new Map<number, number[]>([[-1, []]]);
  for (const f of touched) children.set(f, []);
  for (const node of nodes) children.get(tree.innermost[node])!.push(node);
  for (const f of touched) children.get(tree.parent[f])!.push(~f);
  const itemKey = (item: number) => (item >= 0 ? key[item] : sum[~item] / seen[~item]);
  let k = 0;
  const emit = (items: number[]) => {
    items.sort((a, b) => itemKey(a) - itemKey(b));
    for (const item of items) {
      if (item >= 0) nodes[k++] = item;
      else emit(children.get(~item)!);
    }
  };
  emit(children.get(-1)!);
  for (const f of touched) {
    sum[f] = 0;
    seen[f] = 0;
  }
}

export interface RowsInput {
  tree: FrameTree;
  /** Each layer's nodes, in order. */
  layers: number[][];
  layer: Int32Array;
  predecessors: Adjacency;
  /** Per layer: its left edge, and its columns (more than one: it is wrapped into a grid). */
  layerLeft: Float64Array;
  layerColumns: Int32Array;
  /** Set here: y of every node, and x of the nodes in wrapped layers (the others are at their layer's left). */
  x: Float32Array;
  y: Float32Array;
}

/** Places every node's y (see the file header); returns each frame's rectangle [x, y, width, height]. */
export function placeRows(input: RowsInput): Float32Array {
  const { tree, layers, layer, predecessors, layerLeft, layerColumns, x, y } = input;
  const frames = tree.count;
  const first = new Int32Array(frames).fill(layers.length);
  const last = new Int32Array(frames).fill(-1);
  for (let f = 0; f < frames; f++)
    for (let k = tree.start[f]; k < tree.start[f + 1]; k++) {
      first[f] = Math.min(first[f], layer[tree.nodes[k]]);
      last[f] = Math.max(last[f], layer[tree.nodes[k]]);
    }
  // Each level's items in layer order (level f + 1; 0 is the whole graph): its nodes, and each frame directly
  // inside it where that frame's first node is met.
  const items: number[][] = Array.from({ length: frames + 1 }, () => []);
  const met = new Uint8Array(frames);
  for (const nodes of layers)
    for (const node of nodes) {
      items[tree.innermost[node] + 1].push(node);
      for (let f = tree.innermost[node]; f >= 0 && !met[f]; f = tree.parent[f]) {
        met[f] = 1;
        items[tree.parent[f] + 1].push(~f);
      }
    }
  const blockTop = new Float64Array(frames);
  const blockHeight = new Float64Array(frames);
  const startOf = (item: number) => (item >= 0 ? layer[item] : first[~item]);
  const lastOf = (item: number) => (item >= 0 ? layer[item] : last[~item]);
  const moveFrame = (f: number, by: number) => {
    for (let k = tree.start[f]; k < tree.start[f + 1]; k++) y[tree.nodes[k]] += by;
  };

  const placeLevel = (level: number) => {
    const own = items[level + 1];
    const low = level < 0 ? 0 : first[level];
    // Per layer of the level: [top, bottom, ...] of the frames placed so far that span into it.
    const reserved: number[][] = [];
    let minTop = Number.POSITIVE_INFINITY;
    let maxBottom = Number.NEGATIVE_INFINITY;
    const predecessorMean = (node: number, before: number, minus: number): [number, number] => {
      let sum = 0;
      let n = 0;
      for (let e = predecessors.start[node]; e < predecessors.start[node + 1]; e++) {
        const from = predecessors.targets[e];
        if (layer[from] < before && (level < 0 || inside(tree, from, level))) {
          sum += y[from] - minus;
          n++;
        }
      }
      return [sum, n];
    };
    const clear = (top: number, height: number, from: number, to: number) => {
      for (let moved = true; moved; ) {
        moved = false;
        for (let l = from; l <= to; l++) {
          const spans = reserved[l - low];
          if (spans)
            for (let k = 0; k < spans.length; k += 2)
              if (spans[k] < top + height + ROW_GAP && spans[k + 1] + ROW_GAP > top) {
                top = spans[k + 1] + ROW_GAP;
                moved = true;
              }
        }
      }
      return top;
    };
    for (let i = 0; i < own.length; ) {
      const l = startOf(own[i]);
      const batch: number[] = [];
      const grid: number[] = [];
      for (; i < own.length && startOf(own[i]) === l; i++) {
        if (own[i] >= 0 && layerColumns[l] > 1) {
          if (grid.length === 0) batch.push(GRID);
          grid.push(own[i]);
        } else batch.push(own[i]);
      }
      const columns = layerColumns[l];
      const rows = Math.ceil(grid.length / columns);
      const heightOf = (item: number) =>
        item === GRID ? rows * STEP - ROW_GAP : item >= 0 ? NODE_HEIGHT : blockHeight[~item];
      const tops = new Float64Array(batch.length);
      let previous = Number.NEGATIVE_INFINITY;
      let drift = 0;
      batch.forEach((item, b) => {
        let sum = 0;
        let n = 0;
        if (item === GRID) [sum, n] = [(-(rows - 1) * STEP) / 2, 1];
        else if (item >= 0) [sum, n] = predecessorMean(item, l, 0);
        else
          for (let k = tree.start[~item]; k < tree.start[~item + 1]; k++) {
            const [s, m] = predecessorMean(tree.nodes[k], l, y[tree.nodes[k]]);
            sum += s;
            n += m;
          }
        const desired = n > 0 ? sum / n : previous === Number.NEGATIVE_INFINITY ? 0 : previous + ROW_GAP;
        tops[b] = Math.max(desired, previous + ROW_GAP);
        drift += desired - tops[b];
        previous = tops[b] + heightOf(item);
      });
      const shift = batch.length > 0 ? drift / batch.length : 0;
      previous = Number.NEGATIVE_INFINITY;
      batch.forEach((item, b) => {
        const height = heightOf(item);
        const to = lastOf(item === GRID ? grid[0] : item);
        const top = clear(Math.max(tops[b] + shift, previous + ROW_GAP), height, l, to);
        previous = top + height;
        minTop = Math.min(minTop, top);
        maxBottom = Math.max(maxBottom, previous);
        for (let s = l + 1; s <= to; s++) (reserved[s - low] ??= []).push(top, previous);
        if (item === GRID)
          grid.forEach((node, k) => {
            x[node] = layerLeft[l] + Math.floor(k / rows) * (NODE_WIDTH + ROW_GAP * 2);
            y[node] = top + (k % rows) * STEP;
          });
        else if (item >= 0) y[item] = top;
        else {
          blockTop[~item] = top;
          moveFrame(~item, top);
        }
      });
    }
    if (level < 0) return;
    // The block starts with the label and the rectangle's top padding; the frames inside move with it.
    const by = FRAME_TOP - minTop;
    moveFrame(level, by);
    for (const item of own) if (item < 0) blockTop[~item] += by;
    blockHeight[level] = FRAME_TOP + (maxBottom - minTop) + FRAME_PADDING;
  };
  for (const f of tree.deepestFirst) if (tree.start[f + 1] > tree.start[f]) placeLevel(f);
  placeLevel(-1);
  return frameRectangles(tree, blockTop, blockHeight, x);
}

/** Each frame's rectangle in the graph's coordinates: its block, less the label, and around its nodes and frames. */
function frameRectangles(tree: FrameTree, blockTop: Float64Array, blockHeight: Float64Array, x: Float32Array) {
  const rects = new Float32Array(tree.count * 4);
  const top = new Float64Array(tree.count);
  for (let d = tree.deepestFirst.length - 1; d >= 0; d--) {
    const f = tree.deepestFirst[d];
    top[f] = blockTop[f] + (tree.parent[f] < 0 ? 0 : top[tree.parent[f]]);
  }
  const left = new Float64Array(tree.count).fill(Number.POSITIVE_INFINITY);
  const right = new Float64Array(tree.count).fill(Number.NEGATIVE_INFINITY);
  for (const f of tree.deepestFirst) {
    if (tree.start[f + 1] === tree.start[f]) continue;
    let [own, ownRight, all, allRight] = [Infinity, -Infinity, Infinity, -Infinity];
    for (let k = tree.start[f]; k < tree.start[f + 1]; k++) {
      const node = tree.nodes[k];
      all = Math.min(all, x[node]);
      allRight = Math.max(allRight, x[node] + NODE_WIDTH);
      if (tree.innermost[node] === f) {
        own = Math.min(own, x[node]);
        ownRight = Math.max(ownRight, x[node] + NODE_WIDTH);
      }
    }
    left[f] = Math.max(Math.min(own - FRAME_PADDING, left[f] - FRAME_NESTED_PADDING), all - FRAME_MAX_SIDE);
    right[f] = Math.min(Math.max(ownRight + FRAME_PADDING, right[f] + FRAME_NESTED_PADDING), allRight + FRAME_MAX_SIDE);
    const parent = tree.parent[f];
    if (parent >= 0) {
      left[parent] = Math.min(left[parent], left[f]);
      right[parent] = Math.max(right[parent], right[f]);
    }
    rects.set([left[f], top[f] + FRAME_LABEL, right[f] - left[f], blockHeight[f] - FRAME_LABEL], 4 * f);
  }
  return rects;
}
