// The timeline layout of the task graph: x is time, and each run sits in a lane (a row) that it shares with runs
// that ended before it started, so a run's bar spans from its first state to its last and the renderer can draw
// the waiting part (Pending, Scheduled, AwaitingRetry, AwaitingConcurrencySlot) apart from the running part.
// Greedy interval packing with a min-heap of lane ends: O(n log n). Pure: runs in the layout worker.
import type { NodePositions } from "./layered-layout.ts";
import { NODE_HEIGHT } from "./layout-geometry.ts";

const LANE_GAP = 10;
const MIN_BAR_WIDTH = 6;
/** A gap kept between bars sharing a lane, so they read as separate runs. */
const BAR_GAP_PX = 8;

export interface TimelineInput {
  /** Milliseconds since the epoch of each node's first state. */
  start: Float64Array;
  /** Milliseconds of its last state (or "now" for a run still going). */
  end: Float64Array;
}

export interface TimelinePositions extends NodePositions {
  /** The time at x = 0, and the scale: the renderer draws state segments from the same figures. */
  originMs: number;
  pxPerMs: number;
}

export function timelineLayout({ start, end }: TimelineInput): TimelinePositions {
  const count = start.length;
  let originMs = Number.POSITIVE_INFINITY;
  let lastMs = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < count; i++) {
    originMs = Math.min(originMs, start[i]);
    lastMs = Math.max(lastMs, end[i]);
  }
  if (count === 0) originMs = lastMs = 0;
  // Wide enough that a typical run is a readable bar at zoom 1, whatever the run's length.
  const span = Math.max(1, lastMs - originMs);
  const pxPerMs = Math.max(1200, Math.sqrt(count) * 120) / span;

  const byStart = Array.from({ length: count }, (_, i) => i).sort((a, b) => start[a] - start[b] || a - b);
  const x = new Float32Array(count);
  const y = new Float32Array(count);
  const width = new Float32Array(count);
  const lanes = new LaneHeap();
  for (const node of byStart) {
    x[node] = (start[node] - originMs) * pxPerMs;
    width[node] = Math.max(MIN_BAR_WIDTH, (end[node] - start[node]) * pxPerMs);
    const right = x[node] + width[node] + BAR_GAP_PX;
    const free = lanes.peek();
    let lane: number;
    if (free && free.end <= x[node]) {
      lane = free.lane;
      lanes.replaceTop(right);
    } else {
      lane = lanes.size;
      lanes.push(right, lane);
    }
    y[node] = lane * (NODE_HEIGHT + LANE_GAP);
  }
  return { x, y, width, originMs, pxPerMs };
}

/** Lanes keyed by where their last bar ends; the top is the lane free the earliest. */
class LaneHeap {
  private readonly ends: number[] = [];
  private readonly lanes: number[] = [];

  get size(): number {
    return this.ends.length;
  }

  peek(): { end: number; lane: number } | undefined {
    return this.ends.length ? { end: this.ends[0], lane: this.lanes[0] } : undefined;
  }

  push(end: number, lane: number): void {
    this.ends.push(end);
    this.lanes.push(lane);
    let i = this.ends.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.ends[parent] <= this.ends[i]) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  replaceTop(end: number): void {
    this.ends[0] = end;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let smallest = i;
      if (left < this.ends.length && this.ends[left] < this.ends[smallest]) smallest = left;
      if (right < this.ends.length && this.ends[right] < this.ends[smallest]) smallest = right;
      if (smallest === i) return;
      this.swap(i, smallest);
      i = smallest;
    }
  }

  private swap(a: number, b: number): void {
    [this.ends[a], this.ends[b]] = [this.ends[b], this.ends[a]];
    [this.lanes[a], this.lanes[b]] = [this.lanes[b], this.lanes[a]];
  }
}
