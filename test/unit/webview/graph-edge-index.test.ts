// The task graph's choice of edges per frame (webview/graph/edge-index.ts): under the budget every edge whose box
// crosses the view, over it only the edges with an end on a visible node, at most the budget, in edge order —
// checked against a scan of every edge on a 5,000-node layered graph at several views.
import assert from "node:assert/strict";
import { test } from "node:test";
import { EdgeIndex, type WorldRect } from "../../../webview/graph/edge-index.ts";
import { GraphModel } from "../../../webview/graph/graph-model.ts";
import { layeredLayout, NODE_HEIGHT } from "../../../webview/graph/layered-layout.ts";
import type { LayoutResult } from "../../../webview/graph/layout-protocol.ts";
import { layeredRunSnapshot } from "../../fixtures/webview/graph-snapshots.ts";

test("the edges picked for a view are those a scan of every edge picks", () => {
  const model = new GraphModel();
  model.sync(layeredRunSnapshot(5000));
  const graph = model.structure();
  const positions = layeredLayout({ count: graph.nodes.length, edges: graph.edges });
  const layout: LayoutResult = { id: 1, kind: "dependency", ...positions, originMs: 0, pxPerMs: 0, layoutMs: 0 };
  const { x, y, width: w } = layout;
  const edges = graph.edges;
  const index = EdgeIndex.of(graph, layout, undefined);
  assert.equal(EdgeIndex.of(graph, layout, index), index, "kept for the same layout");

  const scan = (view: WorldRect, budget: number) => {
    const { minX, minY, maxX, maxY } = view;
    const onScreen = (n: number) => x[n] <= maxX && x[n] + w[n] >= minX && y[n] <= maxY && y[n] + NODE_HEIGHT >= minY;
    const crossing: number[] = [];
    for (let k = 0; k < edges.length; k += 2) {
      const [from, to] = [edges[k], edges[k + 1]];
      const left = Math.min(x[from] + w[from], x[to]);
      const right = Math.max(x[from] + w[from], x[to]);
      const top = Math.min(y[from], y[to]);
      const bottom = Math.max(y[from], y[to]) + NODE_HEIGHT;
      if (right >= minX && left <= maxX && bottom >= minY && top <= maxY) crossing.push(from, to);
    }
    const picked: string[] = [];
    for (let k = 0; k < crossing.length && picked.length < budget; k += 2)
      if (crossing.length / 2 <= budget || onScreen(crossing[k]) || onScreen(crossing[k + 1]))
        picked.push(`${crossing[k]}->${crossing[k + 1]}`);
    return { picked, visible: x.reduce<number[]>((out, _, n) => (onScreen(n) ? [...out, n] : out), []) };
  };

  let overBudget = 0;
  for (const [minX, minY, width, height] of [
    [0, 0, 2400, 1500],
    [5000, 3000, 1200, 760],
    [-100, 20000, 300, 200],
    [0, 0, 1e6, 1e6],
  ])
    for (const budget of [50, 400, 1500, 1e6]) {
      const view = { minX, minY, maxX: minX + width, maxY: minY + height };
      const { picked, visible } = scan(view, budget);
      const got: string[] = [];
      const drawn = index.forVisible(view, visible, budget, (from, to) => got.push(`${from}->${to}`));
      assert.deepEqual(got, picked, `view ${[minX, minY, width, height]}, budget ${budget}`);
      assert.equal(drawn, picked.length);
      if (picked.length === budget) overBudget++;
    }
  assert.ok(overBudget > 2, "some views are over budget");
});
