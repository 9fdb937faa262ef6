// graph-render: the run view's task graph in headless Chromium (the built layout worker and the graph bundle on
// the test page of test/integration/webview/graph-page.ts; `npm run build` first). Figures, each with a baseline
// measured in the same run and page:
//   first paint of 10,000 and 50,000 task runs (1-2 upstream each) and of a 2,000-deep chain: from mounting the
//     graph and handing it the snapshot to the first frame drawn with the worker's layout (worker start included);
//     baseline: filling the same number of plain rectangles on a canvas of the same size, no layout, until the
//     next frame.
//   pan/zoom frame time p95 over 50,000 nodes, through far, middle and close zoom: one frame drawn and flushed
//     to pixels (getImageData of one pixel forces the raster); baseline: a frame of 2,000 plain rectangles,
//     flushed the same way.
//   live update latency p95 at 10,000 nodes taking 1,000 state changes per second (batches of 50 every 50 ms):
//     from applying a batch until all of it is on screen; baseline: from the same moment to the next animation
//     frame (a requestAnimationFrame asked for just before the batch is applied), the earliest it can show.
// Medians over `--runs N` (3) page loads for the first paints. With SKEIN_BENCH_PROFILE_DIR set, the page's CPU
// profile of the pan/zoom phase (its frames and their floor) is written there as graph-render-pan-zoom.cpuprofile
// (open it in Chrome's DevTools); the profiler slows the frames, so read the figures of a run without it.
import fs from "node:fs";
import path from "node:path";
import { startGraphPage } from "../test/integration/webview/graph-page.ts";
import { emit, log, median, percentile, runCount, runMain } from "./common/report.ts";

const RUNS = runCount(3);

async function main(): Promise<void> {
  const graphPage = await startGraphPage();
  const inPage = <T>(body: string): Promise<T> =>
    graphPage.page.evaluate(`(async () => { const G = window.SkeinGraph; ${body} })()`);
  try {
    for (const [metric, build, count] of [
      ["first paint, 10,000 nodes", "G.layeredRunSnapshot(10000)", 10000],
      ["first paint, 50,000 nodes", "G.layeredRunSnapshot(50000)", 50000],
      ["first paint, 2,000-deep chain", "G.chainRunSnapshot(2000)", 2000],
    ] as const) {
      const values: number[] = [];
      const baselines: number[] = [];
      for (let run = 0; run < RUNS; run++) {
        await graphPage.open("dark");
        const { paint, floor, layoutMs } = await inPage<{ paint: number; floor: number; layoutMs: number }>(`
          const snapshot = ${build};
          const container = document.getElementById("graph");
          const floor = await plainRectangles(${count}, container);
          const started = performance.now();
          window.graph = new G.TaskGraph(container, { workerUrl: "/graph-layout-worker.js" });
          window.graph.update(snapshot);
          await window.graph.whenPainted();
          const paint = performance.now() - started;
          return { paint, floor, layoutMs: window.graph.debug().layoutMs };
          ${PLAIN_RECTANGLES}`);
        log(
          `${metric}: ${paint.toFixed(0)} ms (layout ${layoutMs.toFixed(0)} ms), plain rectangles ${floor.toFixed(1)} ms`,
        );
        values.push(paint);
        baselines.push(floor);
      }
      emit("graph-render", metric, { value: median(values), unit: "ms", baseline: median(baselines), runs: RUNS });
    }

    // Pan and zoom over 50,000 nodes, timed frame by frame.
    await graphPage.open("dark");
    const profileDir = process.env.SKEIN_BENCH_PROFILE_DIR;
    const profiler = profileDir ? await graphPage.page.context().newCDPSession(graphPage.page) : undefined;
    if (profiler) {
      await profiler.send("Profiler.enable");
      await profiler.send("Profiler.start");
    }
    const frames = await inPage<{ frames: number[]; floors: number[]; modes: Record<string, number[]> }>(`
      const container = document.getElementById("graph");
      const graph = new G.TaskGraph(container, { workerUrl: "/graph-layout-worker.js" });
      graph.update(G.layeredRunSnapshot(50000));
      await graph.whenPainted();
      const canvas = container.querySelector(".skein-graph-canvas");
      const flush = () => canvas.getContext("2d").getImageData(0, 0, 1, 1);
      const frames = [];
      const modes = {};
      // Zoom in step by step to close range while panning, then back out.
      const steps = [...Array(60).fill(1.08), ...Array(60).fill(1 / 1.08)];
      for (const zoom of steps) {
        graph.panZoom(7, 3, zoom);
        const started = performance.now();
        graph.drawNow();
        flush();
        frames.push(performance.now() - started);
        const mode = graph.debug().drawn.mode;
        (modes[mode] ??= []).push(Math.round(frames.at(-1)));
        await new Promise(requestAnimationFrame);
      }
      const probe = document.createElement("canvas");
      probe.width = canvas.width;
      probe.height = canvas.height;
      const ctx = probe.getContext("2d");
      const floors = [];
      for (let i = 0; i < steps.length; i++) {
        const started = performance.now();
        ctx.fillStyle = "#1f1f1f";
        ctx.fillRect(0, 0, probe.width, probe.height);
        ctx.beginPath();
        for (let k = 0; k < 2000; k++) ctx.rect((k * 37 + i) % probe.width, (k * 11) % probe.height, 18, 4);
        ctx.fillStyle = "#73c991";
        ctx.fill();
        ctx.getImageData(0, 0, 1, 1);
        floors.push(performance.now() - started);
        await new Promise(requestAnimationFrame);
      }
      return { frames, floors, modes };`);
    if (profiler && profileDir) {
      const { profile } = await profiler.send("Profiler.stop");
      const file = path.join(profileDir, "graph-render-pan-zoom.cpuprofile");
      fs.mkdirSync(profileDir, { recursive: true });
      fs.writeFileSync(file, JSON.stringify(profile));
      log(`CPU profile of the pan/zoom phase: ${file}`);
    }
    for (const [mode, times] of Object.entries(frames.modes))
      log(`pan/zoom, ${mode} frames: ${times.length}, p95 ${percentile(times, 0.95)} ms: ${times.join(" ")}`);
    emit("graph-render", "pan/zoom frame p95, 50,000 nodes", {
      value: percentile(frames.frames, 0.95),
      unit: "ms",
      baseline: percentile(frames.floors, 0.95),
      runs: frames.frames.length,
    });

    await graphPage.open("dark");
    const live = await inPage<{ latencies: number[]; floors: number[]; frames: number[]; layouts: number }>(`
      const container = document.getElementById("graph");
      const graph = new G.TaskGraph(container, { workerUrl: "/graph-layout-worker.js" });
      const snapshot = G.layeredRunSnapshot(10000);
      graph.update(snapshot);
      await graph.whenPainted();
      const layoutsBefore = graph.debug().layouts;
      const reducer = new G.RunSnapshotReducer(snapshot);
      const latencies = [];
      const floors = [];
      const frames = [];
      const pending = [];
      for (let batch = 0; batch < 60; batch++) {
        const events = G.stateChangeEvents(snapshot, 50, batch * 50);
        const started = performance.now();
        requestAnimationFrame(() => floors.push(performance.now() - started));
        reducer.apply(events);
        graph.update(snapshot);
        pending.push(graph.whenShown().then(() => {
          latencies.push(performance.now() - started);
          frames.push(graph.debug().lastFrameMs);
        }));
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      await Promise.all(pending);
      return { latencies, floors, frames, layouts: graph.debug().layouts - layoutsBefore };`);
    log(`live: ${live.layouts} relayouts; frame p95 while live ${percentile(live.frames, 0.95).toFixed(1)} ms`);
    emit("graph-render", "live update latency p95, 10,000 nodes at 1,000 changes/s", {
      value: percentile(live.latencies, 0.95),
      unit: "ms",
      baseline: percentile(live.floors, 0.95),
      runs: live.latencies.length,
    });
  } finally {
    await graphPage.close();
  }
}

/** In the page: the first-paint baseline, `count` plain rectangles on a canvas the graph's size, to the next frame. */
const PLAIN_RECTANGLES = `
  async function plainRectangles(count, container) {
    const canvas = document.createElement("canvas");
    canvas.width = container.clientWidth * devicePixelRatio;
    canvas.height = container.clientHeight * devicePixelRatio;
    const started = performance.now();
    const ctx = canvas.getContext("2d");
    ctx.beginPath();
    for (let k = 0; k < count; k++) ctx.rect((k * 37) % canvas.width, (k * 11) % canvas.height, 4, 1);
    ctx.fillStyle = "#73c991";
    ctx.fill();
    ctx.getImageData(0, 0, 1, 1);
    await new Promise(requestAnimationFrame);
    return performance.now() - started;
  }`;

runMain(main);
