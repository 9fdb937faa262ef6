// The run view's live task graph: the one class the run-view shell mounts. It folds each snapshot update into the
// graph model (a new run relayouts in the worker; a state change only recolours, and only the recoloured nodes
// are repainted into the far-zoom bitmap), keeps the viewport (pan with a drag, zoom with the wheel, fit,
// keyboard), selection and search, and schedules at most one draw per animation frame however many updates
// arrive. Opening and closing mapped-task groups and subflows: double-click or Enter.
import type { RunSnapshot } from "../../protocol/run-snapshot.ts";
import { type GraphStructure, GraphModel } from "./graph-model.ts";
import { FRAME_LABEL, NODE_HEIGHT } from "./layout-geometry.ts";
import { LayoutClient } from "./layout-client.ts";
import type { LayoutResult } from "./layout-protocol.ts";
import { Minimap } from "./minimap.ts";
import { GraphRenderer, type Scene, type Viewport, visibleNodes } from "./renderer.ts";
import { type GraphTheme, readTheme, watchTheme } from "./theme.ts";

export interface TaskGraphOptions {
  /** The user picked a node (click); the shell shows its details / jumps to source. */
  onSelect?(taskRunId: string | undefined): void;
  /** Where layout workers come from (the panel passes a webview URI of dist/webview/graph-layout-worker.js). */
  workerUrl: string;
}

export type GraphLayoutKind = "dependency" | "timeline";

/** The timeline's lanes follow growing bars at most this often (states alone never relayout the dependency view). */
const TIMELINE_RELAYOUT_MS = 1000;
const MIN_SCALE = 0.002;
const MAX_SCALE = 3;

export class TaskGraph {
  private readonly canvas = document.createElement("canvas");
  private readonly renderer = new GraphRenderer(this.canvas);
  private readonly minimap: Minimap;
  private readonly model = new GraphModel();
  private readonly layouts: LayoutClient;
  private theme: GraphTheme;
  private snapshot?: RunSnapshot;
  private kind: GraphLayoutKind = "dependency";
  private requested?: GraphStructure;
  /** A layout was asked for and has not arrived yet. */
  private layoutPending = false;
  private layoutCount = 0;
  private scene?: Scene;
  private view: Viewport = { scale: 1, tx: 0, ty: 0 };
  /** Until the user pans or zooms, each new layout is fitted to the view. */
  private userMoved = false;
  private selectedKey?: string;
  private searchText = "";
  private frame = 0;
  private lastFrameMs = 0;
  private timelineRelayout?: ReturnType<typeof setTimeout>;
  private readonly paintWaiters: Array<() => void> = [];
  /** State changes synced but not drawn yet (they are on screen after the next frame). */
  private statesShown = true;
  private readonly shownWaiters: Array<() => void> = [];
  private readonly cleanups: Array<() => void> = [];
  private kindCounts?: { graph?: GraphStructure; counts: Record<string, number> };

  constructor(
    private readonly container: HTMLElement,
    private readonly options: TaskGraphOptions,
  ) {
    if (getComputedStyle(container).position === "static") container.style.position = "relative";
    this.canvas.className = "skein-graph-canvas";
    this.canvas.tabIndex = 0;
    this.canvas.setAttribute("role", "img");
    this.canvas.setAttribute("aria-label", "Task graph");
    Object.assign(this.canvas.style, { display: "block", width: "100%", height: "100%", outline: "none" });
    container.append(this.canvas);
    this.minimap = new Minimap(container, (x, y) => this.centreOn(x, y, this.view.scale));
    this.theme = readTheme(container);
    this.renderer.setTheme(this.theme);
    this.layouts = new LayoutClient(options.workerUrl, (result) => this.onLayout(result));
    this.listen();
  }

  update(snapshot: RunSnapshot): void {
    this.snapshot = snapshot;
    const change = this.model.sync(snapshot);
    if (change === "structure") this.requestLayout();
    else if (change === "states") {
      if (this.scene) this.scene.nowMs = this.model.nowMs;
      // While a relayout is pending the scene still shows the previous build, whose nodes the model left.
      if (this.scene?.graph.nodes === this.model.nodes) this.renderer.recolour(this.scene, this.model.recoloured);
      this.statesShown = false;
      if (this.kind === "timeline") this.scheduleTimelineRelayout();
      this.requestDraw();
    }
  }

  setLayout(kind: GraphLayoutKind): void {
    if (kind === this.kind) return;
    this.kind = kind;
    this.userMoved = false;
    this.requestLayout();
  }

  select(taskRunId: string | undefined): void {
    const index = taskRunId === undefined ? undefined : this.model.nodeOf(taskRunId);
    this.selectedKey = index === undefined ? undefined : this.model.nodes[index].key;
    if (this.scene) {
      this.scene.selected = this.indexOf(this.selectedKey);
      if (this.scene.selected !== undefined) this.reveal([this.scene.selected]);
    }
    this.requestDraw();
  }

  search(text: string): void {
    this.searchText = text;
    if (!this.scene) return;
    this.scene.matches = new Set(this.model.search(text));
    if (this.scene.matches.size) this.reveal([...this.scene.matches]);
    this.requestDraw();
  }

  fit(): void {
    if (!this.scene) return;
    const [minX, minY, maxX, maxY] = this.scene.bounds;
    const { width, height } = this.size();
    const scale = clamp(Math.min(width / (maxX - minX + 80), height / (maxY - minY + 80)), MIN_SCALE, 1.2);
    this.centreOn((minX + maxX) / 2, (minY + maxY) / 2, scale);
  }

  dispose(): void {
    cancelAnimationFrame(this.frame);
    clearTimeout(this.timelineRelayout);
    this.layouts.dispose();
    for (const cleanup of this.cleanups) cleanup();
    this.canvas.remove();
    this.minimap.canvas.remove();
  }

  /** For tests and benches: what is shown, and where. */
  debug() {
    const scene = this.scene;
    return {
      layout: scene?.layout.kind,
      layoutMs: scene?.layout.layoutMs,
      layouts: this.layoutCount,
      inWorker: this.layouts.inWorker,
      nodes: scene?.graph.nodes.length ?? 0,
      edges: (scene?.graph.edges.length ?? 0) / 2,
      frames: scene?.graph.frames.length ?? 0,
      kinds: this.kinds(),
      selected: scene?.selected === undefined ? undefined : scene.graph.nodes[scene.selected].key,
      matches: [...(scene?.matches ?? [])].map((index) => scene!.graph.nodes[index].key),
      view: { ...this.view },
      lastFrameMs: this.lastFrameMs,
      drawn: this.renderer.lastDrawn,
      overviewPaints: { ...this.renderer.overviewPaints },
    };
  }

  /** Node count per kind, counted once per build (benches call debug() after every frame). */
  private kinds(): Record<string, number> {
    const graph = this.scene?.graph;
    if (!this.kindCounts || this.kindCounts.graph !== graph)
      this.kindCounts = { graph, counts: countBy(graph?.nodes.map((node) => node.kind) ?? []) };
    return this.kindCounts.counts;
  }

  /** For tests: the centre of a node on screen (CSS pixels, relative to the canvas), by task run id or node key. */
  screenPointOf(taskRunIdOrKey: string): { x: number; y: number } | undefined {
    const index = this.model.nodeOf(taskRunIdOrKey) ?? this.indexOf(taskRunIdOrKey);
    if (!this.scene || index === undefined) return undefined;
    const { x, y, width } = this.scene.layout;
    return {
      x: (x[index] + width[index] / 2) * this.view.scale + this.view.tx,
      y: (y[index] + NODE_HEIGHT / 2) * this.view.scale + this.view.ty,
    };
  }

  /** For tests and benches: resolves after the next frame drawn with the latest layout. */
  whenPainted(): Promise<void> {
    return new Promise((resolve) => {
      this.paintWaiters.push(resolve);
      this.requestDraw();
    });
  }

  /** For benches: moves the view by a screen offset and a zoom factor around the view's centre. */
  panZoom(dx: number, dy: number, zoom = 1): void {
    const { width, height } = this.size();
    this.zoomAround(width / 2, height / 2, zoom);
    this.view.tx += dx;
    this.view.ty += dy;
    this.userMoved = true;
    this.requestDraw();
  }

  private requestLayout(): void {
    const graph = this.model.structure();
    this.requested = graph;
    this.layoutPending = true;
    if (this.kind === "dependency") {
      const frameStart = new Int32Array(graph.frames.length + 1);
      graph.frames.forEach((frame, f) => (frameStart[f + 1] = frameStart[f] + frame.nodes.length));
      const frameNodes = Int32Array.from(graph.frames.flatMap((frame) => frame.nodes));
      const edges = graph.edges.slice();
      this.layouts.request({ kind: "dependency", count: graph.nodes.length, edges, frameStart, frameNodes });
    } else this.layouts.request({ kind: "timeline", ...this.model.timeSpans() });
  }

  private onLayout(layout: LayoutResult): void {
    const graph = this.requested!;
    this.layoutPending = false;
    this.layoutCount++;
    // The timeline draws no frames (time, not grouping, places its runs).
    const frameBounds = layout.kind === "dependency" ? layout.frameBounds : new Float32Array(graph.frames.length * 4);
    const bounds: [number, number, number, number] = [0, 0, 1, 1];
    if (graph.nodes.length) bounds.splice(0, 4, Infinity, Infinity, -Infinity, -Infinity);
    const { x, y, width } = layout;
    const include = (left: number, top: number, right: number, bottom: number) => {
      bounds[0] = Math.min(bounds[0], left);
      bounds[1] = Math.min(bounds[1], top);
      bounds[2] = Math.max(bounds[2], right);
      bounds[3] = Math.max(bounds[3], bottom);
    };
    for (let i = 0; i < graph.nodes.length; i++) include(x[i], y[i], x[i] + width[i], y[i] + NODE_HEIGHT);
    if (layout.kind === "dependency")
      for (let f = 0; f < graph.frames.length; f++) {
        const [left, top, w, h] = frameBounds.subarray(4 * f, 4 * f + 4);
        include(left, top - FRAME_LABEL, left + w, top + h);
      }
    const version = (this.scene?.version ?? 0) + 1;
    this.scene = { graph, nowMs: this.model.nowMs, layout, frameBounds, bounds, matches: new Set(), version };
    this.scene.selected = this.indexOf(this.selectedKey);
    this.scene.matches = new Set(this.model.search(this.searchText));
    if (!this.userMoved) this.fit();
    this.requestDraw();
  }

  private indexOf(key: string | undefined): number | undefined {
    if (key === undefined || !this.scene) return undefined;
    const index = this.scene.graph.nodes.findIndex((node) => node.key === key);
    return index < 0 ? undefined : index;
  }

  private requestDraw(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.drawNow();
    });
  }

  /** Draws one frame now; returns how long it took (benches call it directly to time frames). */
  drawNow(): number {
    const started = performance.now();
    const { width, height } = this.size();
    this.renderer.draw(this.scene, this.view, width, height);
    if (this.scene && this.scene.graph.nodes.length === 0) this.drawEmpty(width, height);
    this.minimap.draw(this.renderer, this.scene, this.view, this.theme, width, height);
    this.lastFrameMs = performance.now() - started;
    if (!this.scene || this.layoutPending) return this.lastFrameMs;
    for (const resolve of this.paintWaiters.splice(0)) resolve();
    if (!this.statesShown) {
      this.statesShown = true;
      for (const resolve of this.shownWaiters.splice(0)) resolve();
    }
    return this.lastFrameMs;
  }

  /** For tests and benches: resolves once every state change synced so far is on screen. */
  whenShown(): Promise<void> {
    if (this.statesShown) return Promise.resolve();
    return new Promise((resolve) => this.shownWaiters.push(resolve));
  }

  private drawEmpty(width: number, height: number): void {
    const ctx = this.canvas.getContext("2d")!;
    ctx.fillStyle = this.theme.muted;
    ctx.font = `13px ${this.theme.font}`;
    ctx.textAlign = "center";
    ctx.fillText("No task runs yet", width / 2, height / 2);
    ctx.textAlign = "start";
  }

  private scheduleTimelineRelayout(): void {
    if (this.timelineRelayout) return;
    this.timelineRelayout = setTimeout(() => {
      this.timelineRelayout = undefined;
      if (this.kind === "timeline") this.requestLayout();
    }, TIMELINE_RELAYOUT_MS);
  }

  private size(): { width: number; height: number } {
    return { width: this.canvas.clientWidth || 1, height: this.canvas.clientHeight || 1 };
  }

  private centreOn(worldX: number, worldY: number, scale: number): void {
    const { width, height } = this.size();
    this.view = { scale, tx: width / 2 - worldX * scale, ty: height / 2 - worldY * scale };
    this.requestDraw();
  }

  /** Brings nodes into view: one is centred (zoomed in enough to read), several are fitted. */
  private reveal(indexes: number[]): void {
    if (!this.scene) return;
    const { x, y, width } = this.scene.layout;
    let [left, top, right, bottom] = [Infinity, Infinity, -Infinity, -Infinity];
    for (const i of indexes) {
      left = Math.min(left, x[i]);
      top = Math.min(top, y[i]);
      right = Math.max(right, x[i] + width[i]);
      bottom = Math.max(bottom, y[i] + NODE_HEIGHT);
    }
    const size = this.size();
    const fitted = Math.min(size.width / (right - left + 120), size.height / (bottom - top + 120));
    this.userMoved = true;
    this.centreOn((left + right) / 2, (top + bottom) / 2, clamp(Math.min(fitted, 1), MIN_SCALE, MAX_SCALE));
  }

  private zoomAround(screenX: number, screenY: number, factor: number): void {
    const scale = clamp(this.view.scale * factor, MIN_SCALE, MAX_SCALE);
    const worldX = (screenX - this.view.tx) / this.view.scale;
    const worldY = (screenY - this.view.ty) / this.view.scale;
    this.view = { scale, tx: screenX - worldX * scale, ty: screenY - worldY * scale };
  }

  private nodeAt(screenX: number, screenY: number): number | undefined {
    if (!this.scene) return undefined;
    const worldX = (screenX - this.view.tx) / this.view.scale;
    const worldY = (screenY - this.view.ty) / this.view.scale;
    const slack = 3 / this.view.scale;
    const { x, y, width } = this.scene.layout;
    const candidates = visibleNodes(this.scene, this.view, this.size().width, this.size().height);
    for (let k = candidates.length - 1; k >= 0; k--) {
      const i = candidates[k];
      if (
        worldX >= x[i] - slack &&
        worldX <= x[i] + width[i] + slack &&
        worldY >= y[i] - slack &&
        worldY <= y[i] + NODE_HEIGHT + slack
      )
        return i;
    }
    return undefined;
  }

  private pick(index: number | undefined): void {
    if (!this.scene) return;
    this.scene.selected = index;
    const node = index === undefined ? undefined : this.scene.graph.nodes[index];
    this.selectedKey = node?.key;
    this.requestDraw();
    this.options.onSelect?.(node?.taskRun?.id);
  }

  private toggle(index: number | undefined): void {
    if (index === undefined || !this.snapshot || !this.scene) return;
    if (this.model.toggle(this.scene.graph.nodes[index].key, this.snapshot)) this.requestLayout();
  }

  private listen(): void {
    const canvas = this.canvas;
    let drag: { x: number; y: number; moved: boolean } | undefined;
    const on = <K extends keyof HTMLElementEventMap>(
      type: K,
      handler: (event: HTMLElementEventMap[K]) => void,
      options?: AddEventListenerOptions,
    ) => {
      canvas.addEventListener(type, handler as EventListener, options);
      this.cleanups.push(() => canvas.removeEventListener(type, handler as EventListener));
    };
    on("pointerdown", (event) => {
      canvas.setPointerCapture(event.pointerId);
      canvas.focus();
      drag = { x: event.clientX, y: event.clientY, moved: false };
    });
    on("pointermove", (event) => {
      if (!drag) return;
      const dx = event.clientX - drag.x;
      const dy = event.clientY - drag.y;
      if (!drag.moved && Math.hypot(dx, dy) < 4) return;
      drag = { x: event.clientX, y: event.clientY, moved: true };
      this.view.tx += dx;
      this.view.ty += dy;
      this.userMoved = true;
      this.requestDraw();
    });
    on("pointerup", (event) => {
      const wasClick = drag && !drag.moved;
      drag = undefined;
      if (!wasClick) return;
      const rect = canvas.getBoundingClientRect();
      this.pick(this.nodeAt(event.clientX - rect.left, event.clientY - rect.top));
    });
    on("dblclick", (event) => {
      const rect = canvas.getBoundingClientRect();
      this.toggle(this.nodeAt(event.clientX - rect.left, event.clientY - rect.top));
    });
    on(
      "wheel",
      (event) => {
        event.preventDefault();
        const rect = canvas.getBoundingClientRect();
        this.zoomAround(event.clientX - rect.left, event.clientY - rect.top, Math.exp(-event.deltaY * 0.0015));
        this.userMoved = true;
        this.requestDraw();
      },
      { passive: false },
    );
    on("keydown", (event) => {
      const { width, height } = this.size();
      const step = 60;
      const keys: Record<string, () => void> = {
        f: () => this.fit(),
        "+": () => this.zoomAround(width / 2, height / 2, 1.25),
        "=": () => this.zoomAround(width / 2, height / 2, 1.25),
        "-": () => this.zoomAround(width / 2, height / 2, 0.8),
        ArrowLeft: () => (this.view.tx += step),
        ArrowRight: () => (this.view.tx -= step),
        ArrowUp: () => (this.view.ty += step),
        ArrowDown: () => (this.view.ty -= step),
        Enter: () => this.toggle(this.scene?.selected),
        Escape: () => this.pick(undefined),
      };
      const action = keys[event.key];
      if (!action) return;
      event.preventDefault();
      action();
      this.requestDraw();
    });
    const resize = new ResizeObserver(() => (this.userMoved ? this.requestDraw() : this.fit()));
    resize.observe(this.container);
    this.cleanups.push(() => resize.disconnect());
    this.cleanups.push(
      watchTheme(() => {
        this.theme = readTheme(this.container);
        this.renderer.setTheme(this.theme);
        if (this.scene) this.scene.version++;
        this.requestDraw();
      }),
    );
  }
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

function countBy(values: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}
