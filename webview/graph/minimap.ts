// The task graph's minimap, shown when the graph does not fit the view: the whole graph from the renderer's
// overview bitmap, the viewport as a rectangle, and a click or drag on it to move the view there.
import type { GraphRenderer, Overview, Scene, Viewport } from "./renderer.ts";
import type { GraphTheme } from "./theme.ts";

const WIDTH = 200;
const HEIGHT = 130;

export class Minimap {
  readonly canvas = document.createElement("canvas");
  /** World-to-minimap transform of the last draw, to map clicks back. */
  private fit = { scale: 1, left: 0, top: 0, minX: 0, minY: 0 };
  /** The overview shrunk to the minimap's size once per repaint of the overview (shrinking it each frame costs). */
  private readonly picture = document.createElement("canvas");
  private pictureOf?: { overview: Overview; revision: number; ratio: number };

  constructor(
    parent: HTMLElement,
    private readonly moveTo: (worldX: number, worldY: number) => void,
  ) {
    this.canvas.className = "skein-graph-minimap";
    Object.assign(this.canvas.style, {
      position: "absolute",
      right: "8px",
      bottom: "8px",
      width: `${WIDTH}px`,
      height: `${HEIGHT}px`,
      cursor: "pointer",
      display: "none",
    });
    parent.append(this.canvas);
    const follow = (event: PointerEvent) => {
      const rect = this.canvas.getBoundingClientRect();
      const { scale, left, top, minX, minY } = this.fit;
      this.moveTo((event.clientX - rect.left - left) / scale + minX, (event.clientY - rect.top - top) / scale + minY);
    };
    this.canvas.addEventListener("pointerdown", (event) => {
      event.stopPropagation();
      this.canvas.setPointerCapture(event.pointerId);
      follow(event);
    });
    this.canvas.addEventListener("pointermove", (event) => {
      if (this.canvas.hasPointerCapture(event.pointerId)) follow(event);
    });
  }

  draw(
    renderer: GraphRenderer,
    scene: Scene | undefined,
    view: Viewport,
    theme: GraphTheme,
    width: number,
    height: number,
  ): void {
    if (!scene) {
      this.canvas.style.display = "none";
      return;
    }
    const [minX, minY, maxX, maxY] = scene.bounds;
    const fitsView = (maxX - minX) * view.scale <= width && (maxY - minY) * view.scale <= height;
    this.canvas.style.display = fitsView && scene.graph.nodes.length < 200 ? "none" : "block";
    if (this.canvas.style.display === "none") return;
    const ratio = window.devicePixelRatio || 1;
    // Setting a canvas's size reallocates and clears it: only when the pixel ratio changed.
    if (this.canvas.width !== WIDTH * ratio || this.canvas.height !== HEIGHT * ratio) {
      this.canvas.width = WIDTH * ratio;
      this.canvas.height = HEIGHT * ratio;
    }
    const ctx = this.canvas.getContext("2d")!;
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.fillStyle = theme.nodeBackground;
    ctx.fillRect(0, 0, WIDTH, HEIGHT);
    const scale = Math.min((WIDTH - 8) / Math.max(1, maxX - minX), (HEIGHT - 8) / Math.max(1, maxY - minY));
    const left = (WIDTH - (maxX - minX) * scale) / 2;
    const top = (HEIGHT - (maxY - minY) * scale) / 2;
    this.fit = { scale, left, top, minX, minY };
    const overview = renderer.overviewOf(scene);
    const shown = this.pictureOf;
    if (shown?.overview !== overview || shown.revision !== overview.revision || shown.ratio !== ratio) {
      this.pictureOf = { overview, revision: overview.revision, ratio };
      this.picture.width = WIDTH * ratio;
      this.picture.height = HEIGHT * ratio;
      const picture = this.picture.getContext("2d")!;
      picture.setTransform(ratio, 0, 0, ratio, 0, 0);
      picture.drawImage(overview.canvas, left, top, (maxX - minX) * scale, (maxY - minY) * scale);
    }
    ctx.drawImage(this.picture, 0, 0, WIDTH, HEIGHT);
    // The viewport, in world coordinates, then on the minimap.
    const viewLeft = (-view.tx / view.scale - minX) * scale + left;
    const viewTop = (-view.ty / view.scale - minY) * scale + top;
    ctx.strokeStyle = theme.selection;
    ctx.lineWidth = 1.5;
    ctx.strokeRect(viewLeft, viewTop, (width / view.scale) * scale, (height / view.scale) * scale);
    ctx.strokeStyle = theme.frame;
    ctx.strokeRect(0.5, 0.5, WIDTH - 1, HEIGHT - 1);
  }
}
