// The run view's task graph in headless Chromium: the built layout worker and the graph bundle on a test page
// (graph-page.ts). A run with a mapped task and a subflow renders (pixels in the state colours, node and edge
// counts), a click selects, double-clicks open the group and close the subflow, search finds hidden and visible
// runs, layouts switch, a 10,000-node run draws with its minimap, state changes recolour without a relayout, and
// repainting only the recoloured part of the far-zoom bitmap gives the pixels a whole redraw gives.
// Screenshots in light, dark and high-contrast themes go to test-results/graph-*.png.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { type GraphPage, startGraphPage, type ThemeKind } from "./graph-page.ts";

const results = path.resolve("test-results");
const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const SKIP = fs.existsSync(chromium) ? false : `no Chromium at ${chromium} (apt-get install -y chromium)`;
if (SKIP) console.error(`SKIPPING the task graph's browser tests: ${SKIP}`);
const groupKey = "group:flow-root:transform@flow.ts:1";
let graphPage: GraphPage;

/** Runs `body` in the page as an async function, with `G` (the bundle) and `graph` (the mounted graph) in scope. */
function inPage<T>(body: string): Promise<T> {
  return graphPage.page.evaluate(
    `(async () => { const G = window.SkeinGraph; const graph = window.graph; ${body} })()`,
  );
}

interface Debug {
  layout: string;
  layouts: number;
  inWorker: boolean;
  nodes: number;
  edges: number;
  frames: number;
  kinds: Record<string, number>;
  selected?: string;
  matches: string[];
  drawn: { nodes: number; edges: number; mode: string };
  overviewPaints: { whole: number; partial: number };
  view: { scale: number; tx: number; ty: number };
}

const debug = () => inPage<Debug>("await graph.whenPainted(); return graph.debug();");

async function mountSample(theme: ThemeKind): Promise<void> {
  await graphPage.open(theme);
  await inPage(`
    window.picked = [];
    window.graph = new G.TaskGraph(document.getElementById("graph"), {
      workerUrl: "/graph-layout-worker.js",
      onSelect: (id) => window.picked.push(id ?? null),
    });
    window.snapshot = G.sampleRunSnapshot();
    window.graph.update(window.snapshot);
    await window.graph.whenPainted();`);
}

/** Canvas pixels: how many differ from the background, and how many are close to each given colour. */
function pixels(colours: string[]): Promise<{ background: string; drawn: number; matching: number[] }> {
  return inPage(`
    const canvas = document.querySelector(".skein-graph-canvas");
    const data = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
    const hex = (i) => "#" + [data[i], data[i + 1], data[i + 2]].map((v) => v.toString(16).padStart(2, "0")).join("");
    const wanted = ${JSON.stringify(colours)}.map((c) => [1, 3, 5].map((k) => parseInt(c.slice(k, k + 2), 16)));
    const background = hex(0);
    let drawn = 0;
    const matching = wanted.map(() => 0);
    for (let i = 0; i < data.length; i += 4) {
      if (hex(i) !== background) drawn++;
      wanted.forEach(([r, g, b], k) => {
        if (Math.abs(data[i] - r) + Math.abs(data[i + 1] - g) + Math.abs(data[i + 2] - b) < 12) matching[k]++;
      });
    }
    return { background, drawn, matching };`);
}

async function doubleClick(id: string): Promise<void> {
  const point = await inPage<{ x: number; y: number }>(`return graph.screenPointOf(${JSON.stringify(id)});`);
  await graphPage.page.mouse.dblclick(point.x, point.y);
}

describe("the task graph in headless Chromium", { skip: SKIP }, () => {
  before(async () => {
    fs.mkdirSync(results, { recursive: true });
    graphPage = await startGraphPage();
  });
  after(() => graphPage?.close());

  test("a run with a mapped task and a subflow renders in the worker's layout, in the theme's colours", async () => {
    await mountSample("dark");
    const shown = await debug();
    assert.equal(shown.inWorker, true, "layout ran in the worker");
    assert.equal(shown.layout, "dependency");
    assert.deepEqual(shown.kinds, { task: 7, group: 1, subflow: 1 });
    assert.equal(shown.nodes, 9);
    // extract→transform×12, extract→validate, validate→report, validate→load, transform×12→load, load→notify,
    // report→render-table, report→render-chart, render-table→publish, render-chart→publish.
    assert.equal(shown.edges, 10);
    assert.equal(shown.frames, 1, "the open subflow is framed");
    const { background, drawn, matching } = await pixels(["#73c991", "#f14c4c", "#3794ff"]);
    assert.equal(background, "#1f1f1f", "background from --vscode-editor-background");
    assert.ok(drawn > 5000, `canvas has drawing (${drawn} pixels)`);
    assert.ok(
      matching.every((count) => count > 20),
      `completed, failed and running colours drawn: ${matching}`,
    );
    await graphPage.page.screenshot({ path: path.join(results, "graph-dark.png") });
  });

  test("a click selects a node and reports its task run; select() and Escape from outside", async () => {
    const point = await inPage<{ x: number; y: number }>(`return graph.screenPointOf("validate");`);
    await graphPage.page.mouse.click(point.x, point.y);
    assert.equal((await debug()).selected, "validate");
    assert.deepEqual(await inPage("return window.picked;"), ["validate"]);
    await inPage(`graph.select("transform-3");`);
    assert.equal((await debug()).selected, groupKey, "a run inside a closed group selects the group");
    await graphPage.page.keyboard.press("Escape");
    assert.equal((await debug()).selected, undefined);
    assert.deepEqual(await inPage("return window.picked;"), ["validate", null]);
  });

  test("search highlights runs by name, inside closed groups too", async () => {
    await inPage(`graph.search("RENDER");`);
    assert.deepEqual((await debug()).matches, ["render-table", "render-chart"]);
    await inPage(`graph.search("transform-1");`);
    assert.deepEqual((await debug()).matches, [groupKey]);
    await inPage(`graph.search("");`);
    assert.deepEqual((await debug()).matches, []);
  });

  test("double-click opens a mapped group and closes a subflow", async () => {
    await inPage("graph.fit();");
    await doubleClick(groupKey);
    let shown = await debug();
    assert.equal(shown.nodes, 9 - 1 + 12);
    assert.equal(shown.kinds.group, undefined);
    assert.equal(shown.frames, 2, "the open group is framed");
    await inPage("graph.fit();");
    await graphPage.page.screenshot({ path: path.join(results, "graph-dark-group-open.png") });
    await doubleClick("report-sub");
    shown = await debug();
    assert.equal(shown.nodes, 20 - 3, "the subflow's three tasks are folded into its node");
    assert.equal(shown.frames, 1);
    await inPage(`graph.search("publish");`);
    assert.deepEqual((await debug()).matches, ["report-sub"], "a run in a closed subflow matches the subflow");
  });

  test("layouts switch between dependency and timeline", async () => {
    await inPage(`graph.search(""); graph.setLayout("timeline");`);
    const shown = await debug();
    assert.equal(shown.layout, "timeline");
    const [extract, notify] = await inPage<Array<{ x: number }>>(
      `return [graph.screenPointOf("extract"), graph.screenPointOf("notify")];`,
    );
    assert.ok(extract.x < notify.x, "an earlier run sits further left");
    await graphPage.page.screenshot({ path: path.join(results, "graph-dark-timeline.png") });
    await inPage(`graph.setLayout("dependency");`);
    assert.equal((await debug()).layout, "dependency");
  });

  for (const [theme, background] of [
    ["light", "#ffffff"],
    ["high-contrast", "#000000"],
  ] as const) {
    test(`renders natively in the ${theme} theme`, async () => {
      await mountSample(theme);
      const { background: drawnBackground, drawn } = await pixels([]);
      assert.equal(drawnBackground, background);
      assert.ok(drawn > 5000);
      await graphPage.page.screenshot({ path: path.join(results, `graph-${theme}.png`) });
      await inPage(`graph.setLayout("timeline");`);
      await debug();
      await graphPage.page.screenshot({ path: path.join(results, `graph-${theme}-timeline.png`) });
    });
  }

  test("10,000 task runs draw with a minimap, and state changes recolour without a relayout", async () => {
    await graphPage.open("dark");
    await inPage(`
      window.snapshot = G.layeredRunSnapshot(10000);
      window.graph = new G.TaskGraph(document.getElementById("graph"), { workerUrl: "/graph-layout-worker.js" });
      window.graph.update(window.snapshot);`);
    const before = await debug();
    assert.equal(before.nodes, 10000);
    assert.ok(before.edges > 10000);
    assert.equal(
      await inPage(`return getComputedStyle(document.querySelector(".skein-graph-minimap")).display;`),
      "block",
    );
    await graphPage.page.screenshot({ path: path.join(results, "graph-dark-10000.png") });
    // Close enough to see single nodes: colours are exact there (the far-zoom bitmap blends them).
    await inPage("graph.panZoom(0, 0, 40); await graph.whenPainted();");
    const running = await pixels(["#3794ff"]);
    assert.equal(running.matching[0], 0, "nothing running yet");
    await inPage(`
      const reducer = new G.RunSnapshotReducer(window.snapshot);
      reducer.apply(G.stateChangeEvents(window.snapshot, 3000, 0));
      graph.update(window.snapshot);`);
    const after = await debug();
    assert.equal(after.layouts, before.layouts, "no relayout for state changes");
    await graphPage.page.screenshot({ path: path.join(results, "graph-dark-10000-zoomed.png") });
    const recoloured = await pixels(["#3794ff"]);
    assert.ok(recoloured.matching[0] > 50, `running nodes drawn blue (${recoloured.matching[0]} pixels)`);
    const close = await debug();
    assert.notEqual(close.drawn.mode, "overview");
    assert.ok(close.drawn.nodes < 2000, `only visible nodes drawn (${close.drawn.nodes})`);
  });

  test("state changes repaint only their part of the far-zoom bitmap, to the pixels of a whole redraw", async () => {
    await graphPage.open("dark");
    await inPage(`
      window.snapshot = G.layeredRunSnapshot(10000);
      window.graph = new G.TaskGraph(document.getElementById("graph"), { workerUrl: "/graph-layout-worker.js" });
      window.graph.update(window.snapshot);`);
    const fitted = await debug();
    assert.equal(fitted.drawn.mode, "overview", "the whole of 10,000 nodes is the bitmap");
    // Canvas pixels kept in the page under a name; compared there (3.6 MB each).
    const keepPixels = (name: string) =>
      inPage(`
        const canvas = document.querySelector(".skein-graph-canvas");
        window.${name} = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;`);
    /** Pixels where a channel differs by more than `tolerance`. */
    const differing = (a: string, b: string, tolerance: number) =>
      inPage<number>(`
        let count = 0;
        for (let i = 0; i < window.${a}.length; i += 4)
          if ([0, 1, 2].some((k) => Math.abs(window.${a}[i + k] - window.${b}[i + k]) > ${tolerance})) count++;
        return count;`);
    await keepPixels("before");
    // Five batches of 150 changes (a few cells each), each shown before the next arrives.
    await inPage(`
      const reducer = new G.RunSnapshotReducer(window.snapshot);
      for (let batch = 0; batch < 5; batch++) {
        reducer.apply(G.stateChangeEvents(window.snapshot, 150, batch * 150));
        graph.update(window.snapshot);
        await graph.whenShown();
      }`);
    const live = await debug();
    assert.equal(live.layouts, fitted.layouts, "no relayout");
    assert.equal(live.overviewPaints.whole, fitted.overviewPaints.whole, "the bitmap was not drawn whole again");
    assert.equal(live.overviewPaints.partial - fitted.overviewPaints.partial, 5, "one partial repaint per batch");
    await keepPixels("repainted");
    await graphPage.page.screenshot({ path: path.join(results, "graph-dark-10000-live.png") });
    // The same snapshot in a fresh graph: its bitmap is drawn whole, once.
    await inPage(`
      graph.dispose();
      window.graph = new G.TaskGraph(document.getElementById("graph"), { workerUrl: "/graph-layout-worker.js" });
      window.graph.update(window.snapshot);`);
    const fresh = await debug();
    assert.deepEqual(fresh.view, live.view, "the same fitted view");
    assert.equal(fresh.overviewPaints.partial, 0);
    await keepPixels("whole");
    const changed = await differing("before", "repainted", 8);
    assert.ok(changed > 100, `the changes show (${changed} pixels)`);
    // Skia's antialiasing of part of a path is not bit-identical to that of the whole path (1-4 levels off at
    // rectangle borders), and each repaint starts from the background, so the difference cannot build up.
    assert.equal(await differing("repainted", "whole", 8), 0, "repainted in part = drawn whole");
  });
});
