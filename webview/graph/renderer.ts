// Draws the task graph on a 2D canvas. Only what is inside the viewport is drawn (culling), and the level of
// detail follows the zoom: close up, cards with names, state and group progress; further out, plain rectangles
// batched into one path per state colour and straight edges; furthest out (the whole of a large graph), one
// cached bitmap of the graph, so panning and zooming stay one drawImage per frame at 50,000 nodes. The bitmap is
// drawn whole only when the layout or the theme changes; a state change repaints just the cells of the bitmap
// under the recoloured nodes (dirty rectangles), so live runs show every change on the next frame. The same
// bitmap feeds the minimap.
import { EdgeIndex, worldRect } from "./edge-index.ts";
import type { GraphNode, GraphStructure } from "./graph-model.ts";
import { NODE_HEIGHT } from "./layered-layout.ts";
import type { LayoutResult } from "./layout-protocol.ts";
import { STATE_INDEX, STATE_ORDER } from "./state-palette.ts";
import type { GraphTheme } from "./theme.ts";

export interface Viewport {
  scale: number;
  /** Screen = world * scale + translate (CSS pixels). */
  tx: number;
  ty: number;
}

export interface Scene {
  graph: GraphStructure;
  /** "Now" for runs still going (the latest time in the snapshot). */
  nowMs: number;
  layout: LayoutResult;
  /** Frame rectangles [x, y, width, height] per graph.frames entry. */
  frameBounds: Float32Array;
  /** [minX, minY, maxX, maxY] of everything. */
  bounds: [number, number, number, number];
  selected?: number;
  matches: Set<number>;
  /** Bumped whenever what the overview bitmap shows changes (states, layout, theme). */
  version: number;
}

/** Below this zoom, names are unreadable: plain rectangles. */
export const LABEL_SCALE = 0.5;
const OVERVIEW_MAX_PX = 2048;
/** How far the overview bitmap is stretched before nodes are drawn one by one (a node is then ~2 pixels high). */
const OVERVIEW_MAGNIFICATION = 2.5;
/**
 * Most edges stroked in one frame (see forVisibleEdges): curves close up, lines further out. A line costs the
 * pixels it crosses, nearly the whole screen for the long edges of a large graph: 800 lines took 8 ms of a plain
 * frame in software raster. Without names, at plain zooms, the lines are a sample of the structure anyway.
 */
const CURVE_BUDGET = 1500;
const LINE_BUDGET = 400;
/**
 * Edges stay one CSS pixel wide until the zoom would make them 2 pixels: in software raster (a webview without
 * GPU, the bench) any stroke over one device pixel leaves Skia's hairline path and costs several times as much
 * (measured: 270 curves at zoom 0.87, 21 ms at 1.04 px against 7 ms at 1 px; 147 curves at zoom 1.39, 4.1 ms at
 * 1.67 px against 0.7 ms at 1 px). From 1.5 px on, a pair of hairlines stands for the wider stroke (drawDetail).
 */
const HAIRLINE_UP_TO = 2;
/** Side of the squares (bitmap pixels) the overview is repainted in after state changes. */
const DIRTY_CELL = 8;
const PLAIN_EDGES_UP_TO = 2500;
const WAITING = new Set([STATE_INDEX.get("PENDING"), STATE_INDEX.get("SCHEDULED"), STATE_INDEX.get("PAUSED")]);
const COMPLETED = STATE_INDEX.get("COMPLETED")!;

/** The overview bitmap: the whole graph at `scale`, for one layout and scene version. */
export interface Overview {
  canvas: HTMLCanvasElement;
  scale: number;
  version: number;
  layout: LayoutResult;
  /** Bumped at every repaint, whole or in part (the minimap shrinks the bitmap again then). */
  revision: number;
}

export class GraphRenderer {
  private theme!: GraphTheme;
  private overview?: Overview;
  /** Nodes recoloured since the overview was last brought up to date. */
  private recoloured: number[] = [];
  /** So many nodes were recoloured that the overview is to be drawn whole at its next use. */
  private wholeDue = false;
  /** Per layout: the edges' bounding boxes and the edges of each node, to pick a frame's edges. */
  private edgeIndex?: EdgeIndex;
  private readonly labels = new Map<number, string>();
  private labelLayout?: LayoutResult;
  /** Counted for the debug accessor: what the last frame drew. */
  lastDrawn = { nodes: 0, edges: 0, mode: "" as "detail" | "plain" | "overview" | "" };
  /** Counted for the debug accessor: how often the overview bitmap was drawn whole and repainted in part. */
  readonly overviewPaints = { whole: 0, partial: 0 };

  constructor(private readonly canvas: HTMLCanvasElement) {}

  setTheme(theme: GraphTheme): void {
    this.theme = theme;
    this.labels.clear();
  }

  /**
   * Nodes of the scene's graph whose state colour changed: repainted into the overview bitmap when it is next
   * used, alone (see repaintOverview). Nothing to do while there is no bitmap for this scene: it will be drawn
   * whole.
   */
  recolour(scene: Scene, nodes: readonly number[]): void {
    if (!this.isCurrent(scene)) return;
    for (const node of nodes) this.recoloured.push(node);
    // Past a quarter of the graph, drawing the bitmap whole is cheaper than finding what to repaint.
    if (this.recoloured.length > scene.graph.nodes.length / 4) {
      this.wholeDue = true;
      this.recoloured.length = 0;
    }
  }

  /** The overview bitmap and its scale, current for this scene (for the minimap). */
  overviewOf(scene: Scene): Overview {
    const current = this.overview;
    if (current && this.isCurrent(scene)) {
      if (this.recoloured.length) this.repaintOverview(current, scene);
      return current;
    }
    this.recoloured.length = 0;
    this.wholeDue = false;
    const [minX, minY, maxX, maxY] = scene.bounds;
    const scale = Math.min(1, OVERVIEW_MAX_PX / Math.max(1, maxX - minX), OVERVIEW_MAX_PX / Math.max(1, maxY - minY));
    const canvas = current?.canvas ?? document.createElement("canvas");
    canvas.width = Math.max(1, Math.ceil((maxX - minX) * scale));
    canvas.height = Math.max(1, Math.ceil((maxY - minY) * scale));
    const ctx = canvas.getContext("2d")!;
    this.paintOverview(ctx, scene, { scale, tx: -minX * scale, ty: -minY * scale }, undefined);
    this.overviewPaints.whole++;
    const revision = (current?.revision ?? 0) + 1;
    this.overview = { canvas, scale, version: scene.version, layout: scene.layout, revision };
    return this.overview;
  }

  private isCurrent(scene: Scene): boolean {
    return !this.wholeDue && this.overview?.version === scene.version && this.overview.layout === scene.layout;
  }

  /**
   * Repaints the squares of the overview under the recoloured nodes: clipped to those squares, the background,
   * the frames and every node touching them, in the order the whole bitmap is drawn, so the pixels come out as
   * a redraw of the whole would make them. One pass over the nodes finds those touching a dirty square.
   */
  private repaintOverview(overview: Overview, scene: Scene): void {
    const { canvas, scale } = overview;
    const view = { scale, tx: -scene.bounds[0] * scale, ty: -scene.bounds[1] * scale };
    const columns = Math.ceil(canvas.width / DIRTY_CELL);
    const rows = Math.ceil(canvas.height / DIRTY_CELL);
    const dirty = new Uint8Array(columns * rows);
    const { x, y, width } = scene.layout;
    const height = Math.max(1, NODE_HEIGHT * scale);
    // Calls `visit` with the cells a node's rectangle (plus a pixel of antialiasing) covers; stops on true.
    const cellsOf = (node: number, visit: (cell: number) => boolean): boolean => {
      const left = x[node] * scale + view.tx;
      const top = y[node] * scale + view.ty;
      const c0 = Math.max(0, Math.floor((left - 1) / DIRTY_CELL));
      const c1 = Math.min(columns - 1, Math.floor((left + Math.max(1, width[node] * scale) + 1) / DIRTY_CELL));
      const r0 = Math.max(0, Math.floor((top - 1) / DIRTY_CELL));
      const r1 = Math.min(rows - 1, Math.floor((top + height + 1) / DIRTY_CELL));
      for (let r = r0; r <= r1; r++) for (let c = c0; c <= c1; c++) if (visit(r * columns + c)) return true;
      return false;
    };
    const mark = (cell: number) => {
      dirty[cell] = 1;
      return false;
    };
    for (const node of this.recoloured) cellsOf(node, mark);
    this.recoloured.length = 0;
    const touching: number[] = [];
    for (let node = 0; node < x.length; node++) if (cellsOf(node, (cell) => dirty[cell] === 1)) touching.push(node);
    const ctx = canvas.getContext("2d")!;
    ctx.save();
    ctx.beginPath();
    for (let cell = 0; cell < dirty.length; cell++)
      if (dirty[cell])
        ctx.rect((cell % columns) * DIRTY_CELL, Math.floor(cell / columns) * DIRTY_CELL, DIRTY_CELL, DIRTY_CELL);
    ctx.clip();
    this.paintOverview(ctx, scene, view, touching);
    ctx.restore();
    overview.revision++;
    this.overviewPaints.partial++;
  }

  /** The overview's content: background, frames, then nodes (all, or `nodes`) batched per state colour. */
  private paintOverview(
    ctx: CanvasRenderingContext2D,
    scene: Scene,
    view: Viewport,
    nodes: number[] | undefined,
  ): void {
    ctx.fillStyle = this.theme.background;
    ctx.fillRect(0, 0, ctx.canvas.width, ctx.canvas.height);
    this.drawFrames(ctx, scene, view, false);
    // Nodes only: at this zoom tens of thousands of edges are a grey haze that costs seconds to stroke.
    this.fillNodes(ctx, scene, view, nodes ?? visibleNodes(scene, view, ctx.canvas.width, ctx.canvas.height), false);
  }

  draw(scene: Scene | undefined, view: Viewport, width: number, height: number): void {
    const ratio = window.devicePixelRatio || 1;
    if (this.canvas.width !== Math.round(width * ratio) || this.canvas.height !== Math.round(height * ratio)) {
      this.canvas.width = Math.round(width * ratio);
      this.canvas.height = Math.round(height * ratio);
    }
    const ctx = this.canvas.getContext("2d")!;
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.fillStyle = this.theme.background;
    ctx.fillRect(0, 0, width, height);
    if (!scene) return;
    if (this.labelLayout !== scene.layout) {
      this.labels.clear();
      this.labelLayout = scene.layout;
    }
    // Built at the first frame of a layout (its first paint), not at the first frame that zooms in to edges:
    // at 50,000 nodes the build would make that one frame of a pan or zoom 3-4 ms longer.
    if (scene.layout.kind === "dependency") this.edgeIndex = EdgeIndex.of(scene.graph, scene.layout, this.edgeIndex);
    const overview = scene.graph.nodes.length > 2000 ? this.overviewOf(scene) : undefined;
    if (overview && view.scale <= overview.scale * OVERVIEW_MAGNIFICATION) {
      const [minX, minY, maxX, maxY] = scene.bounds;
      ctx.imageSmoothingEnabled = true;
      ctx.drawImage(
        overview.canvas,
        minX * view.scale + view.tx,
        minY * view.scale + view.ty,
        (maxX - minX) * view.scale,
        (maxY - minY) * view.scale,
      );
      this.highlight(ctx, scene, view, width, height);
      this.lastDrawn = { nodes: scene.graph.nodes.length, edges: 0, mode: "overview" };
    } else if (view.scale < LABEL_SCALE) {
      this.drawPlain(ctx, scene, view, width, height);
      this.highlight(ctx, scene, view, width, height);
    } else this.drawDetail(ctx, scene, view, width, height);
  }

  /** Rectangles batched per colour and straight edges: no text. */
  private drawPlain(ctx: CanvasRenderingContext2D, scene: Scene, view: Viewport, width: number, height: number): void {
    const visible = visibleNodes(scene, view, width, height);
    const { x, y } = scene.layout;
    const { scale, tx, ty } = view;
    this.drawFrames(ctx, scene, view, false);
    ctx.beginPath();
    let edges = 0;
    // Edges only while single nodes can still be told apart: beyond that they are a haze that costs to stroke.
    if (scene.layout.kind === "dependency" && visible.length <= PLAIN_EDGES_UP_TO)
      edges = this.forVisibleEdges(scene, view, width, height, visible, LINE_BUDGET, (from, to) => {
        ctx.moveTo((x[from] + scene.layout.width[from]) * scale + tx, (y[from] + NODE_HEIGHT / 2) * scale + ty);
        ctx.lineTo(x[to] * scale + tx, (y[to] + NODE_HEIGHT / 2) * scale + ty);
      });
    ctx.strokeStyle = this.theme.edge;
    ctx.lineWidth = 1;
    ctx.stroke();
    this.fillNodes(ctx, scene, view, visible, true);
    this.lastDrawn = { nodes: visible.length, edges, mode: "plain" };
  }

  /**
   * Plain rectangles, one path per state colour. On screen (`snap`) they are snapped to whole pixels: at these
   * zooms a node is a few pixels high, and pixel-aligned rectangles skip antialiasing (7 ms against 4.4 ms for
   * 5,000 nodes in software raster). The overview keeps exact ones: it is scaled again when shown.
   */
  private fillNodes(ctx: CanvasRenderingContext2D, scene: Scene, view: Viewport, nodes: number[], snap: boolean): void {
    const { x, y, width } = scene.layout;
    const { scale, tx, ty } = view;
    const byState: number[][] = STATE_ORDER.map(() => []);
    for (const node of nodes) byState[scene.graph.nodes[node].stateIndex].push(node);
    const h = Math.max(1, NODE_HEIGHT * scale);
    for (let s = 0; s < byState.length; s++) {
      if (byState[s].length === 0) continue;
      ctx.beginPath();
      for (const node of byState[s]) {
        const left = x[node] * scale + tx;
        const top = y[node] * scale + ty;
        const w = Math.max(1, width[node] * scale);
        if (!snap) ctx.rect(left, top, w, h);
        else {
          const l = Math.round(left);
          const t = Math.round(top);
          ctx.rect(l, t, Math.max(1, Math.round(left + w) - l), Math.max(1, Math.round(top + h) - t));
        }
      }
      ctx.fillStyle = this.theme.state[s];
      ctx.fill();
    }
  }

  /** Cards with names and states, curved edges; only ever a few hundred nodes on screen at these zooms. */
  private drawDetail(ctx: CanvasRenderingContext2D, scene: Scene, view: Viewport, width: number, height: number): void {
    const { x, y, width: w } = scene.layout;
    const { scale, tx, ty } = view;
    const timeline = scene.layout.kind === "timeline";
    const nodes = scene.graph.nodes;
    const visible = visibleNodes(scene, view, width, height);
    this.drawFrames(ctx, scene, view, true);
    const edgeWidth = 1.2 * scale;
    // Between 1.5 and 2 px an edge is two hairlines that far apart less one pixel, one above the other: about the
    // wider stroke's weight where edges run sideways (as most do), at the hairline's cost.
    const pair = edgeWidth >= 1.5 && edgeWidth < HAIRLINE_UP_TO ? edgeWidth - 1 : 0;
    const curve = (x1: number, y1: number, x2: number, y2: number) => {
      const bend = Math.max(20 * scale, (x2 - x1) / 2);
      ctx.moveTo(x1, y1);
      ctx.bezierCurveTo(x1 + bend, y1, x2 - bend, y2, x2, y2);
      ctx.moveTo(x2, y2);
      ctx.lineTo(x2 - 6 * scale, y2 - 4 * scale);
      ctx.moveTo(x2, y2);
      ctx.lineTo(x2 - 6 * scale, y2 + 4 * scale);
    };
    ctx.beginPath();
    let edges = 0;
    if (!timeline)
      edges = this.forVisibleEdges(scene, view, width, height, visible, CURVE_BUDGET, (from, to) => {
        const x1 = (x[from] + w[from]) * scale + tx;
        const y1 = (y[from] + NODE_HEIGHT / 2) * scale + ty;
        const x2 = x[to] * scale + tx;
        const y2 = (y[to] + NODE_HEIGHT / 2) * scale + ty;
        curve(x1, y1, x2, y2);
        if (pair) curve(x1, y1 + pair, x2, y2 + pair);
      });
    ctx.strokeStyle = this.theme.edge;
    ctx.lineWidth = edgeWidth < HAIRLINE_UP_TO ? 1 : edgeWidth;
    ctx.globalAlpha = 0.8;
    ctx.stroke();
    ctx.globalAlpha = 1;

    // Nodes batched: one path per layer of the card and per colour, then the text in two passes (one font each).
    const byState: number[][] = STATE_ORDER.map(() => []);
    for (const index of visible) byState[nodes[index].stateIndex].push(index);
    const cardHeight = NODE_HEIGHT * scale;
    const radius = 4 * scale;
    const fill = (colour: string, add: () => void) => {
      ctx.beginPath();
      add();
      ctx.fillStyle = colour;
      ctx.fill();
    };
    const stroke = (colour: string, lineWidth: number, add: () => void) => {
      ctx.beginPath();
      add();
      ctx.strokeStyle = colour;
      ctx.lineWidth = lineWidth;
      ctx.stroke();
    };
    const card = (index: number, offset = 0) =>
      ctx.roundRect(
        x[index] * scale + tx + offset,
        y[index] * scale + ty - offset,
        w[index] * scale,
        cardHeight,
        radius,
      );
    if (!timeline)
      // A stack of cards behind a group: the calls of one mapped task.
      for (let s = 0; s < byState.length; s++) {
        const groups = byState[s].filter((index) => nodes[index].kind === "group");
        if (!groups.length) continue;
        for (const offset of [6 * scale, 3 * scale]) {
          fill(this.theme.nodeBackground, () => groups.forEach((index) => card(index, offset)));
          stroke(this.theme.state[s], 1, () => groups.forEach((index) => card(index, offset)));
        }
      }
    fill(this.theme.nodeBackground, () => visible.forEach((index) => card(index)));
    for (let s = 0; s < byState.length; s++) {
      if (!byState[s].length) continue;
      const colour = this.theme.state[s];
      fill(colour, () => {
        for (const index of byState[s])
          if (!timeline || !nodes[index].taskRun)
            ctx.rect(x[index] * scale + tx, y[index] * scale + ty, Math.min(w[index] * scale, 5 * scale), cardHeight);
      });
      if (timeline)
        for (const index of byState[s]) if (nodes[index].taskRun) this.drawSegments(ctx, scene, index, view);
      stroke(this.theme.contrastBorder ?? colour, Math.max(1, 1.5 * scale), () =>
        byState[s].forEach((index) => card(index)),
      );
    }
    for (const index of visible) {
      const counts = nodes[index].counts;
      if (counts)
        this.drawProgress(
          ctx,
          counts,
          x[index] * scale + tx,
          y[index] * scale + ty + cardHeight - 4 * scale,
          w[index] * scale,
          3 * scale,
        );
    }
    const texts = visible.filter((index) => w[index] > 30);
    ctx.textBaseline = "middle";
    ctx.font = `${12 * scale}px ${this.theme.font}`;
    ctx.fillStyle = this.theme.foreground;
    for (const index of texts) {
      const node = nodes[index];
      const marker = node.kind === "task" ? "" : node.expanded ? "▾ " : "▸ ";
      const label = this.label(ctx, index, marker + node.label, w[index] - 18, scale);
      ctx.fillText(label, (x[index] + 10) * scale + tx, (y[index] + 12) * scale + ty);
    }
    ctx.font = `${10 * scale}px ${this.theme.font}`;
    ctx.fillStyle = this.theme.muted;
    for (const index of texts)
      ctx.fillText(this.subtitle(nodes[index]), (x[index] + 10) * scale + tx, (y[index] + 26) * scale + ty);
    this.highlight(ctx, scene, view, width, height);
    this.lastDrawn = { nodes: visible.length, edges, mode: "detail" };
  }

  /** Timeline bars: waiting time (pending, scheduled, awaiting a retry or a slot) faint, running time solid. */
  private drawSegments(ctx: CanvasRenderingContext2D, scene: Scene, index: number, view: Viewport): void {
    const node = scene.graph.nodes[index];
    const states = node.taskRun!.states;
    const { originMs, pxPerMs } = scene.layout;
    const top = scene.layout.y[index] * view.scale + view.ty;
    const h = NODE_HEIGHT * view.scale;
    for (let i = 0; i < states.length; i++) {
      const type = STATE_INDEX.get(states[i].type) ?? 0;
      const from = Date.parse(states[i].timestamp);
      const to = i + 1 < states.length ? Date.parse(states[i + 1].timestamp) : scene.nowMs;
      if (i === states.length - 1 && type !== STATE_INDEX.get("RUNNING") && !WAITING.has(type)) break;
      const left = (from - originMs) * pxPerMs * view.scale + view.tx;
      const width = Math.max(1, (to - from) * pxPerMs * view.scale);
      const waiting = WAITING.has(type);
      ctx.globalAlpha = waiting ? 0.3 : 0.55;
      ctx.fillStyle = waiting ? this.theme.state[type] : this.theme.state[node.stateIndex];
      ctx.fillRect(left, waiting ? top + h * 0.3 : top, width, waiting ? h * 0.4 : h);
    }
    ctx.globalAlpha = 1;
  }

  private drawProgress(
    ctx: CanvasRenderingContext2D,
    counts: Int32Array,
    left: number,
    top: number,
    width: number,
    h: number,
  ): void {
    let total = 0;
    for (const count of counts) total += count;
    let at = left;
    for (let s = 0; s < counts.length; s++) {
      if (!counts[s]) continue;
      const part = (counts[s] / total) * width;
      ctx.fillStyle = this.theme.state[s];
      ctx.fillRect(at, top, part, h);
      at += part;
    }
  }

  /** Frames around open groups and subflows; not in the timeline, where time, not grouping, places runs. */
  private drawFrames(ctx: CanvasRenderingContext2D, scene: Scene, view: Viewport, withLabels: boolean): void {
    const { frameBounds } = scene;
    if (scene.layout.kind === "timeline") return;
    ctx.strokeStyle = this.theme.frame;
    ctx.fillStyle = this.theme.muted;
    ctx.lineWidth = 1;
    ctx.setLineDash([4, 3]);
    ctx.font = `${11 * view.scale}px ${this.theme.font}`;
    ctx.textBaseline = "bottom";
    for (let f = 0; f < scene.graph.frames.length; f++) {
      const left = frameBounds[4 * f] * view.scale + view.tx;
      const top = frameBounds[4 * f + 1] * view.scale + view.ty;
      ctx.strokeRect(left, top, frameBounds[4 * f + 2] * view.scale, frameBounds[4 * f + 3] * view.scale);
      if (withLabels) ctx.fillText(scene.graph.frames[f].label, left + 4, top - 2);
    }
    ctx.setLineDash([]);
    ctx.textBaseline = "middle";
  }

  /** The selection and search matches, outlined at every level of detail. */
  private highlight(ctx: CanvasRenderingContext2D, scene: Scene, view: Viewport, width: number, height: number): void {
    const { x, y, width: w } = scene.layout;
    const outline = (index: number, colour: string, lineWidth: number) => {
      const left = x[index] * view.scale + view.tx;
      const top = y[index] * view.scale + view.ty;
      if (left > width || top > height || left + w[index] * view.scale < 0 || top + NODE_HEIGHT * view.scale < 0)
        return;
      ctx.strokeStyle = colour;
      ctx.lineWidth = lineWidth;
      const pad = lineWidth + 1;
      ctx.strokeRect(
        left - pad,
        top - pad,
        Math.max(2, w[index] * view.scale) + 2 * pad,
        Math.max(2, NODE_HEIGHT * view.scale) + 2 * pad,
      );
    };
    for (const match of scene.matches) outline(match, this.theme.match, 2);
    if (scene.selected !== undefined) outline(scene.selected, this.theme.selection, 3);
  }

  private subtitle(node: GraphNode): string {
    if (node.counts) {
      let total = 0;
      for (const count of node.counts) total += count;
      return `${node.counts[COMPLETED]}/${total} completed · ${STATE_ORDER[node.stateIndex].toLowerCase()}`;
    }
    return node.taskRun?.state.name ?? "";
  }

  /** The name cut to fit its card, with an ellipsis; cached per node until the layout changes. */
  private label(ctx: CanvasRenderingContext2D, index: number, text: string, worldWidth: number, scale: number): string {
    const cached = this.labels.get(index);
    if (cached !== undefined) return cached;
    let fitted = text;
    if (ctx.measureText(text).width / scale > worldWidth) {
      let low = 0;
      let high = text.length;
      while (low < high) {
        const mid = (low + high + 1) >> 1;
        if (ctx.measureText(`${text.slice(0, mid)}…`).width / scale <= worldWidth) low = mid;
        else high = mid - 1;
      }
      fitted = `${text.slice(0, low)}…`;
    }
    this.labels.set(index, fitted);
    return fitted;
  }

  /** Calls `draw` for the edges the frame strokes (see EdgeIndex.forVisible); returns how many. */
  private forVisibleEdges(
    scene: Scene,
    view: Viewport,
    width: number,
    height: number,
    visible: readonly number[],
    budget: number,
    draw: (from: number, to: number) => void,
  ): number {
    this.edgeIndex = EdgeIndex.of(scene.graph, scene.layout, this.edgeIndex);
    return this.edgeIndex.forVisible(worldRect(view, width, height), visible, budget, draw);
  }
}

export function visibleNodes(scene: Scene, view: Viewport, width: number, height: number): number[] {
  const { x, y, width: w } = scene.layout;
  const { minX, minY, maxX, maxY } = worldRect(view, width, height);
  const visible: number[] = [];
  for (let i = 0; i < x.length; i++)
    if (x[i] <= maxX && x[i] + w[i] >= minX && y[i] <= maxY && y[i] + NODE_HEIGHT >= minY) visible.push(i);
  return visible;
}
