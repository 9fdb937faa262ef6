// `npm run bench -- logs-render`: the run view's log list with 100,000 lines, in headless Chromium on the logs and
// artifacts test page (test/integration/webview/logs-artifacts-page.ts, the webview's CSP and a dark theme):
//   first-paint-100k  from handing the snapshot to LogView until the frame showing it is drawn (a fresh page each
//                     run); baseline: as many plain text rows, absolutely positioned, painted in the same page
//   scroll-frame-p50/p95 work per scrolled frame (scroll event to layout done, the virtualiser's redraw included) while
//                     jumping 1,000 px a frame; baseline: a plain list that redraws the same number of text rows
//   filter-100k       typing a search into the box until the filtered list is laid out (warm: the median of several
//                     searches after the first); filter-100k-cold: the first search, which also strips colour codes
//                     from every line once; baseline: the same substring test over the raw messages, nothing drawn
// Goals (../shared/benchmarks.md): first paint < 500 ms, frames < 16 ms, filter < 100 ms.
import { chromium } from "playwright-core";
import {
  buildLogsArtifactsHarness,
  openLogsArtifactsHarness,
} from "../test/integration/webview/logs-artifacts-page.ts";
import { emit, log, median, percentile, runCount, runMain } from "./common/report.ts";

const LINES = 100_000;
const BENCH = "logs-render";

runMain(async () => {
  const runs = runCount(5);
  const script = await buildLogsArtifactsHarness();
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage"],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
    const inPage = <T>(expression: string) =>
      page.evaluate(`(async (h) => ${expression})(globalThis.logsHarness)`) as Promise<T>;

    const paints: number[] = [];
    const plainPaints: number[] = [];
    for (let run = 0; run < runs; run++) {
      await page.unrouteAll();
      await openLogsArtifactsHarness(page, script, { theme: "dark" });
      await inPage(`h.prepareSyntheticLogs(${LINES})`);
      paints.push(await inPage<number>("h.timeFirstPaint()"));
      plainPaints.push(await inPage<number>("h.timePlainRowsPaint()"));
      log(
        `run ${run + 1}: first paint ${paints.at(-1)!.toFixed(1)} ms, plain rows ${plainPaints.at(-1)!.toFixed(1)} ms`,
      );
    }
    emit(BENCH, "first-paint-100k", { value: median(paints), unit: "ms", baseline: median(plainPaints), runs });

    const frames: number[] = [];
    const plainFrames: number[] = [];
    for (let run = 0; run < runs; run++) {
      frames.push(...(await inPage<number[]>("h.timeScrollFrames(120, 1000)")));
      plainFrames.push(...(await inPage<number[]>("h.timeScrollFrames(120, 1000, true)")));
    }
    emit(BENCH, "scroll-frame-p50", {
      value: median(frames),
      unit: "ms",
      baseline: median(plainFrames),
      runs: frames.length,
    });
    emit(BENCH, "scroll-frame-p95", {
      value: percentile(frames, 0.95),
      unit: "ms",
      baseline: percentile(plainFrames, 0.95),
      runs: frames.length,
    });

    const queries = ["needle", "rows", "step 4", "example.com", "boom", "processed 1"];
    const cold = await inPage<number>(`h.timeSearch(${JSON.stringify("warm")})`);
    const coldBaseline = await inPage<number>(`h.timePlainSearch(${JSON.stringify("warm")})`);
    emit(BENCH, "filter-100k-cold", { value: cold, unit: "ms", baseline: coldBaseline, runs: 1 });
    const searches: number[] = [];
    const plainSearches: number[] = [];
    for (let run = 0; run < runs; run++) {
      for (const query of queries) {
        searches.push(await inPage<number>(`h.timeSearch(${JSON.stringify(query)})`));
        plainSearches.push(await inPage<number>(`h.timePlainSearch(${JSON.stringify(query)})`));
        await inPage<number>('h.timeSearch("")');
      }
    }
    emit(BENCH, "filter-100k", {
      value: median(searches),
      unit: "ms",
      baseline: median(plainSearches),
      runs: searches.length,
    });
  } finally {
    await browser.close();
  }
});
