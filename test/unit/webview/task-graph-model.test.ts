// The task graph's pure parts: the graph model (mapped groups, subflows, edges, recolouring without rebuild,
// search) and the layered and timeline layouts (ranks, chains, wrapping, lanes).
import assert from "node:assert/strict";
import { test } from "node:test";
import { RunSnapshotReducer } from "../../../protocol/run-snapshot.ts";
import { GraphModel } from "../../../webview/graph/graph-model.ts";
import { layeredLayout, NODE_HEIGHT } from "../../../webview/graph/layered-layout.ts";
import { STATE_INDEX } from "../../../webview/graph/state-palette.ts";
import { timelineLayout } from "../../../webview/graph/timeline-layout.ts";
import {
  chainRunSnapshot,
  layeredRunSnapshot,
  sampleRunSnapshot,
  stateChangeEvents,
} from "../../fixtures/webview/graph-snapshots.ts";

const keys = (model: GraphModel, pairs: Int32Array) => {
  const out: string[] = [];
  for (let k = 0; k < pairs.length; k += 2) out.push(`${model.nodes[pairs[k]].key}->${model.nodes[pairs[k + 1]].key}`);
  return out.sort();
};

test("mapped calls fold into one group node, subflows open into a frame, edges follow upstream and subflows", () => {
  const model = new GraphModel();
  const snapshot = sampleRunSnapshot();
  assert.equal(model.sync(snapshot), "structure");
  const group = "group:flow-root:transform@flow.ts:1";
  assert.deepEqual(model.nodes.map((node) => node.key).sort(), [
    "extract",
    group,
    "load",
    "notify",
    "publish",
    "render-chart",
    "render-table",
    "report-sub",
    "validate",
  ]);
  const groupNode = model.nodes[model.nodeOf("transform-5")!];
  assert.equal(groupNode.key, group);
  assert.equal(groupNode.label, "transform ×12");
  assert.equal(groupNode.stateIndex, STATE_INDEX.get("FAILED"), "a group with a failed call shows failed");
  assert.deepEqual(keys(model, model.edges), [
    "extract->group:flow-root:transform@flow.ts:1",
    "extract->validate",
    "group:flow-root:transform@flow.ts:1->load",
    "load->notify",
    "render-chart->publish",
    "render-table->publish",
    "report-sub->render-chart",
    "report-sub->render-table",
    "validate->load",
    "validate->report-sub",
  ]);
  assert.deepEqual(
    model.frames.map((frame) => frame.nodes.length),
    [4],
  );

  assert.equal(model.toggle(group, snapshot), true);
  assert.equal(model.nodes.length, 9 - 1 + 12);
  assert.equal(model.toggle("report-sub", snapshot), true);
  assert.equal(model.nodes.length, 20 - 3);
  assert.equal(model.nodeOf("publish"), model.nodeOf("report-sub"), "a closed subflow shows its runs");
  assert.deepEqual(
    model.search("publish").map((index) => model.nodes[index].key),
    ["report-sub"],
  );
});

test("state changes recolour in place; only new runs rebuild", () => {
  const model = new GraphModel();
  const snapshot = layeredRunSnapshot(500);
  model.sync(snapshot);
  const nodes = model.nodes;
  assert.equal(model.sync(snapshot), "none");
  new RunSnapshotReducer(snapshot).apply(stateChangeEvents(snapshot, 10, 0));
  assert.equal(model.sync(snapshot), "states");
  assert.equal(model.nodes, nodes, "same nodes: no rebuild");
  const running = nodes.flatMap((node, index) => (node.stateIndex === STATE_INDEX.get("RUNNING") ? [index] : []));
  assert.equal(running.length, 10);
  assert.deepEqual(
    [...model.recoloured].sort((a, b) => a - b),
    running,
    "the sync names exactly the nodes it recoloured (the renderer repaints only those)",
  );
  assert.equal(model.sync(snapshot), "none");
  assert.deepEqual(model.recoloured, []);
  const reducer = new RunSnapshotReducer(snapshot);
  reducer.apply([
    {
      kind: "task-run-created",
      id: "new",
      timestamp: "2026-01-01T01:00:00.000Z",
      flowRunId: "flow-root",
      taskRunId: "late",
      name: "late-0",
      taskName: "late",
      taskKey: "late@flow.ts:9",
      dynamicKey: 0,
      upstream: ["t1"],
      tags: [],
      state: { type: "PENDING", name: "Pending", timestamp: "2026-01-01T01:00:00.000Z" },
    },
  ]);
  assert.equal(model.sync(snapshot), "structure");
  assert.equal(model.nodes.length, 501);
});

test("the layered layout puts every node right of its upstream and keeps a chain on one line", () => {
  const model = new GraphModel();
  model.sync(layeredRunSnapshot(3000));
  const { x, y } = layeredLayout({ count: model.nodes.length, edges: model.edges });
  for (let k = 0; k < model.edges.length; k += 2) assert.ok(x[model.edges[k]] < x[model.edges[k + 1]]);
  const overlaps = new Set<string>();
  for (let i = 0; i < x.length; i++) overlaps.add(`${x[i]}:${Math.round(y[i] / NODE_HEIGHT)}`);
  assert.equal(overlaps.size, x.length, "no two nodes on one spot");

  const chain = new GraphModel();
  chain.sync(chainRunSnapshot(2000));
  const line = layeredLayout({ count: chain.nodes.length, edges: chain.edges });
  assert.equal(new Set(line.y).size, 1);
  assert.equal(new Set(line.x).size, 2000);
});

test("the timeline packs runs into lanes they do not overlap in", () => {
  const start = Float64Array.from([0, 10, 20, 100, 105]);
  const end = Float64Array.from([50, 30, 90, 120, 200]);
  const { x, y, width } = timelineLayout({ start, end });
  assert.ok(x[0] < x[1] && x[1] < x[2] && x[2] < x[3]);
  for (let a = 0; a < 5; a++)
    for (let b = a + 1; b < 5; b++)
      if (y[a] === y[b]) assert.ok(x[a] + width[a] <= x[b] || x[b] + width[b] <= x[a], `${a} and ${b} overlap`);
  assert.equal(new Set(y).size, 3, "three runs at once need three lanes");
});
