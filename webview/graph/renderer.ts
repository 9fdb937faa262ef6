// Draws the task graph on a 2D canvas. Only what is inside the viewport is drawn (culling), and the level of
// detail follows the zoom: close up, cards with names, state and group progress; further out, plain rectangles
// batched into one path per state colour and straight edges; furthest out (the whole of a large graph), one
// cached bitmap of the graph, redrawn only when states or layout change, so panning and zooming stay one
// drawImage per frame at 50,000 nodes. The same bitmap feeds the minimap.
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
/** Most edges stroked in one frame (see forVisibleEdges): curves close up, lines further out. */
const CURVE_BUDGET = 1500;
const LINE_BUDGET = 800;
const PLAIN_EDGES_UP_TO = 2500;
const WAITING = new Set([STATE_INDEX.get("PENDING"), STATE_INDEX.get("SCHEDULED"), STATE_INDEX.get("PAUSED")]);
const COMPLETED = STATE_INDEX.get("COMPLETED")!;

export class GraphRenderer {
  private theme!: GraphTheme;
  private overview?: { canvas: HTMLCanvasElement; scale: number; version: number; layout: LayoutResult };
  private readonly labels = new Map<number, string>();
  private labelLayout?: LayoutResult;
  /** Counted for the debug accessor: what the last frame drew. */
  lastDrawn = { nodes: 0, edges: 0, mode: "" as "detail" | "plain" | "overview" | "" };

  constructor(private readonly canvas: HTMLCanvasElement) {}

  setTheme(theme: GraphTheme): void {
    this.theme = theme;
    this.labels.clear();
  }

  /** The overview bitmap and its scale, current for this scene (for the minimap). */
  overviewOf(scene: Scene): { canvas: HTMLCanvasElement; scale: number } {
    const current = this.overview;
    if (current && current.version === scene.version && current.layout === scene.layout) return current;
    const [minX, minY, maxX, maxY] = scene.bounds;
    const scale = Math.min(1, OVERVIEW_MAX_PX / Math.max(1, maxX - minX), OVERVIEW_MAX_PX / Math.max(1, maxY - minY));
    const canvas = current?.canvas ?? document.createElement("canvas");
    canvas.width = Math.max(1, Math.ceil((maxX - minX) * scale));
    canvas.height = Math.max(1, Math.ceil((maxY - minY) * scale));
    const ctx = canvas.getContext("2d")!;
    ctx.fillStyle = this.theme.background;
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    // Nodes only: at this zoom tens of thousands of edges are a grey haze that costs seconds to stroke.
    this.drawPlain(ctx, scene, { scale, tx: -minX * scale, ty: -minY * scale }, canvas.width, canvas.height, false);
    this.overview = { canvas, scale, version: scene.version, layout: scene.layout };
    return this.overview;
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
  private drawPlain(
    ctx: CanvasRenderingContext2D,
    scene: Scene,
    view: Viewport,
    width: number,
    height: number,
    withEdges = true,
  ): void {
    const visible = visibleNodes(scene, view, width, height);
    const { x, y } = scene.layout;
    const { scale, tx, ty } = view;
    this.drawFrames(ctx, scene, view, false);
    ctx.beginPath();
    let edges = 0;
    // Edges only while single nodes can still be told apart: beyond that they are a haze that costs to stroke.
    if (withEdges && scene.layout.kind === "dependency" && visible.length <= PLAIN_EDGES_UP_TO)
      forVisibleEdges(scene, view, width, height, LINE_BUDGET, (from, to) => {
        ctx.moveTo((x[from] + scene.layout.width[from]) * scale + tx, (y[from] + NODE_HEIGHT / 2) * scale + ty);
        ctx.lineTo(x[to] * scale + tx, (y[to] + NODE_HEIGHT / 2) * scale + ty);
        edges++;
      });
    ctx.strokeStyle = this.theme.edge;
    ctx.lineWidth = 1;
    ctx.stroke();
    const byState: number[][] = STATE_ORDER.map(() => []);
    for (const node of visible) byState[scene.graph.nodes[node].stateIndex].push(node);
    const h = Math.max(1, NODE_HEIGHT * scale);
    for (let s = 0; s < byState.length; s++) {
      if (byState[s].length === 0) continue;
      ctx.beginPath();
      for (const node of byState[s])
        ctx.rect(x[node] * scale + tx, y[node] * scale + ty, Math.max(1, scene.layout.width[node] * scale), h);
      ctx.fillStyle = this.theme.state[s];
      ctx.fill();
    }
    this.lastDrawn = { nodes: visible.length, edges, mode: "plain" };
  }

  /** Cards with names and states, curved edges; only ever a few hundred nodes on screen at these zooms. */
  private drawDetail(ctx: CanvasRenderingContext2D, scene: Scene, view: Viewport, width: number, height: number): void {
    const { x, y, width: w } = scene.layout;
    const { scale, tx, ty } = view;
    const timeline = scene.layout.kind === "timeline";
    this.drawFrames(ctx, scene, view, true);
    ctx.beginPath();
    let edges = 0;
    if (!timeline)
      forVisibleEdges(scene, view, width, height, CURVE_BUDGET, (from, to) => {
        const x1 = (x[from] + w[from]) * scale + tx;
        const y1 = (y[from] + NODE_HEIGHT / 2) * scale + ty;
        const x2 = x[to] * scale + tx;
        const y2 = (y[to] + NODE_HEIGHT / 2) * scale + ty;
        const bend = Math.max(20 * scale, (x2 - x1) / 2);
        ctx.moveTo(x1, y1);
        ctx.bezierCurveTo(x1 + bend, y1, x2 - bend, y2, x2, y2);
        ctx.moveTo(x2, y2);
        ctx.lineTo(x2 - 6 * scale, y2 - 4 * scale);
        ctx.moveTo(x2, y2);
        ctx.lineTo(x2 - 6 * scale, y2 + 4 * scale);
        edges++;
      });
    ctx.strokeStyle = this.theme.edge;
    ctx.lineWidth = Math.max(1, 1.2 * scale);
    ctx.globalAlpha = 0.8;
    ctx.stroke();
    ctx.globalAlpha = 1;

    // Nodes batched: one path per layer of the card and per colour, then the text in two passes (one font each).
    const nodes = scene.graph.nodes;
    const visible = visibleNodes(scene, view, width, height);
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
}

export function visibleNodes(scene: Scene, view: Viewport, width: number, height: number): number[] {
  const { x, y, width: w } = scene.layout;
  const minX = -view.tx / view.scale;
  const minY = -view.ty / view.scale;
  const maxX = (width - view.tx) / view.scale;
  const maxY = (height - view.ty) / view.scale;
  const visible: number[] = [];
  for (let i = 0; i < x.length; i++)
    if (x[i] <= maxX && x[i] + w[i] >= minX && y[i] <= maxY && y[i] + NODE_HEIGHT >= minY) visible.push(i);
  return visible;
}

/**
 * Calls `draw` for the edges crossing the viewport. Stroking is what costs (a long line touches a thousand
 * pixels), so past the budget only edges with an end on screen are drawn, and at most `budget` of them.
 */
function forVisibleEdges(
  scene: Scene,
  view: Viewport,
  width: number,
  height: number,
  budget: number,
  draw: (from: number, to: number) => void,
): void {
  const { x, y, width: w } = scene.layout;
  const edges = scene.graph.edges;
  const minX = -view.tx / view.scale;
  const minY = -view.ty / view.scale;
  const maxX = (width - view.tx) / view.scale;
  const maxY = (height - view.ty) / view.scale;
  const crossing: number[] = [];
  for (let k = 0; k < edges.length; k += 2) {
    const from = edges[k];
    const to = edges[k + 1];
    const left = Math.min(x[from] + w[from], x[to]);
    const right = Math.max(x[from] + w[from], x[to]);
    const top = Math.min(y[from], y[to]);
    const bottom = Math.max(y[from], y[to]) + NODE_HEIGHT;
    if (right >= minX && left <= maxX && bottom >= minY && top <= maxY) crossing.push(k);
  }
  const onScreen = (node: number) =>
    x[node] <= maxX && x[node] + w[node] >= minX && y[node] <= maxY && y[node] + NODE_HEIGHT >= minY;
  const shown =
    crossing.length <= budget ? crossing : crossing.filter((k) => onScreen(edges[k]) || onScreen(edges[k + 1]));
  for (let i = 0; i < Math.min(shown.length, budget); i++) draw(edges[shown[i]], edges[shown[i] + 1]);
}
