// Browser entry of the logs and artifacts test page (bundled by logs-artifacts-page.ts): mounts the real LogView
// and ArtifactView components and exposes, as `window.logsHarness`, what tests and the logs-render bench need to
// set up runs and read the result back as plain data. Interactions go through Playwright's input, as a user's
// would.
import { LOG_LEVELS } from "../../../protocol/run-events.ts";
import { emptyRunSnapshot, type RunSnapshot, type SnapshotLog } from "../../../protocol/run-snapshot.ts";
import type { State } from "../../../protocol/states.ts";
import { ArtifactView } from "../../../webview/artifacts/artifact-view.ts";
import { LogView } from "../../../webview/logs/log-view.ts";

const ESC = "\u001b";
const BASE_TIME = Date.parse("2026-11-30T09:00:00.000Z");
const running: State = { type: "RUNNING", name: "Running", timestamp: new Date(BASE_TIME).toISOString() };

/** Log line `index` of a synthetic run: levels in turn, some coloured, some with URLs, some multi-line. */
function syntheticLog(index: number, taskCount: number): SnapshotLog {
  let message = `step ${index} processed ${(index * 7919) % 1000} rows`;
  if (index % 7 === 0) message = `${ESC}[32mok${ESC}[0m ${message} ${ESC}[1;33mwarm${ESC}[0m`;
  if (index % 11 === 0) message += ` see https://example.com/runs/${index}`;
  if (index % 13 === 0) message = `Error: boom ${index}\n    at task (flow.ts:${index}:1)`;
  if (index % 1000 === 0) message += " needle";
  return {
    id: `log-${index}`,
    flowRunId: "flow-1",
    taskRunId: taskCount > 0 && index % 10 !== 9 ? `task-${index % taskCount}` : undefined,
    level: LOG_LEVELS[index % LOG_LEVELS.length],
    logger: "skein.task",
    message,
    timestamp: new Date(BASE_TIME + index).toISOString(),
  };
}

const harness = {
  snapshot: emptyRunSnapshot("flow-1") as RunSnapshot,
  logView: undefined as LogView | undefined,
  artifactView: undefined as ArtifactView | undefined,
  selectedTasks: [] as string[],
  openedLinks: [] as string[],
  violations: [] as string[],

  reset(): void {
    harness.logView?.dispose();
    harness.artifactView?.dispose();
    harness.snapshot = emptyRunSnapshot("flow-1");
    harness.snapshot.flowRuns["flow-1"] = {
      id: "flow-1",
      name: "brave-fox",
      flowName: "etl",
      parameters: {},
      tags: [],
      createdAt: running.timestamp,
      state: running,
      states: [running],
    };
    harness.selectedTasks = [];
    harness.openedLinks = [];
    const options = {
      onSelectTask: (id: string) => harness.selectedTasks.push(id),
      onOpenLink: (url: string) => harness.openedLinks.push(url),
    };
    harness.logView = new LogView(document.getElementById("logs")!, options);
    harness.artifactView = new ArtifactView(document.getElementById("artifacts")!, options);
  },

  addTask(id: string, name: string): void {
    harness.snapshot.taskRuns[id] = {
      id,
      flowRunId: "flow-1",
      name,
      taskKey: `${name}@flow.ts:1:1`,
      dynamicKey: 0,
      upstream: [],
      tags: [],
      createdAt: running.timestamp,
      state: running,
      states: [running],
    };
  },

  /** Appends `count` synthetic lines (spread over `taskCount` tasks) and updates the views. */
  appendSyntheticLogs(count: number, taskCount = 20): void {
    for (let task = 0; task < taskCount; task++)
      if (!harness.snapshot.taskRuns[`task-${task}`]) harness.addTask(`task-${task}`, `load-part-${task}`);
    const start = harness.snapshot.logs.length;
    for (let index = start; index < start + count; index++) harness.snapshot.logs.push(syntheticLog(index, taskCount));
    harness.updateViews();
  },

  appendLog(log: Partial<SnapshotLog> & { message: string }): void {
    const index = harness.snapshot.logs.length;
    harness.snapshot.logs.push({ ...syntheticLog(index, 0), ...log });
    harness.updateViews();
  },

  putArtifact(artifact: {
    id: string;
    type: string;
    data: unknown;
    key?: string;
    description?: string;
    taskRunId?: string;
  }): void {
    const at = new Date(BASE_TIME + Object.keys(harness.snapshot.artifacts).length * 1000).toISOString();
    harness.snapshot.artifacts[artifact.id] = {
      flowRunId: "flow-1",
      createdAt: at,
      updatedAt: at,
      ...artifact,
    } as RunSnapshot["artifacts"][string];
    harness.updateViews();
  },

  /** What artifact-updated does: new data, a later updatedAt. */
  updateArtifact(id: string, data: unknown): void {
    const artifact = harness.snapshot.artifacts[id];
    artifact.data = data;
    artifact.updatedAt = new Date(Date.parse(artifact.updatedAt) + 1).toISOString();
    harness.updateViews();
  },

  updateViews(): void {
    harness.logView?.update(harness.snapshot);
    harness.artifactView?.update(harness.snapshot);
  },

  /** The log rows on screen, top to bottom, as data. */
  visibleLogRows(): Array<{ index: number; task: string; taskRunId: string; text: string; matches: number }> {
    const scroller = document.querySelector<HTMLElement>(".skein-logs-scroller")!;
    const view = scroller.getBoundingClientRect();
    return [...scroller.querySelectorAll<HTMLElement>(".skein-log-row")]
      .filter((row) => {
        const box = row.getBoundingClientRect();
        return box.bottom > view.top && box.top < view.bottom;
      })
      .sort((a, b) => a.getBoundingClientRect().top - b.getBoundingClientRect().top)
      .map((row) => ({
        index: Number(row.dataset.index),
        task: row.querySelector(".log-task")?.textContent ?? "",
        taskRunId: row.querySelector<HTMLElement>(".log-task")?.dataset.taskRunId ?? "",
        text: row.querySelector(".log-message")?.textContent ?? "",
        matches: row.querySelectorAll(".log-match").length,
      }));
  },

  logsState() {
    const scroller = document.querySelector<HTMLElement>(".skein-logs-scroller")!;
    return {
      count: document.querySelector(".skein-logs-count")?.textContent ?? "",
      renderedRows: scroller.querySelectorAll(".skein-log-row").length,
      following: document.querySelector(".skein-logs-follow")?.getAttribute("aria-pressed") === "true",
      atBottom: scroller.scrollTop + scroller.clientHeight >= scroller.scrollHeight - 2,
      scrollTop: scroller.scrollTop,
      scrollHeight: scroller.scrollHeight,
      timeColumnShown: [...scroller.querySelectorAll<HTMLElement>(".log-time")].some((cell) => cell.offsetWidth > 0),
    };
  },

  scrollLogsTo(fraction: number): void {
    const scroller = document.querySelector<HTMLElement>(".skein-logs-scroller")!;
    scroller.scrollTop = (scroller.scrollHeight - scroller.clientHeight) * fraction;
  },

  /** Resolves after the next frame has been drawn. */
  nextFrame(): Promise<void> {
    return new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
  },

  /** Fills the snapshot with `count` synthetic lines without showing them (the bench times the showing). */
  prepareSyntheticLogs(count: number, taskCount = 20): void {
    for (let task = 0; task < taskCount; task++) harness.addTask(`task-${task}`, `load-part-${task}`);
    for (let index = 0; index < count; index++) harness.snapshot.logs.push(syntheticLog(index, taskCount));
  },

  /** Milliseconds from handing the prepared snapshot to the log view until the frame showing it is drawn. */
  async timeFirstPaint(): Promise<number> {
    const start = performance.now();
    harness.logView!.update(harness.snapshot);
    await harness.nextFrame();
    return performance.now() - start;
  },

  /**
   * Baseline of a first paint: as many plain text rows as the log view drew, in a plain absolutely positioned list
   * (no columns, colours, links or virtualiser), until the frame showing them is drawn.
   */
  async timePlainRowsPaint(): Promise<number> {
    const rows = document.querySelectorAll(".skein-log-row").length;
    const list = harness.plainList();
    const start = performance.now();
    harness.fillPlainList(list, 0, rows);
    await harness.nextFrame();
    const elapsed = performance.now() - start;
    list.remove();
    return elapsed;
  },

  plainList(): HTMLDivElement {
    const list = document.createElement("div");
    list.className = "plain-list";
    list.style.cssText = "position:absolute;inset:0;overflow:auto;background:var(--vscode-editor-background)";
    const canvas = document.createElement("div");
    canvas.style.position = "relative";
    canvas.style.height = `${harness.snapshot.logs.length * 20}px`;
    list.append(canvas);
    document.getElementById("logs")!.append(list);
    return list;
  },

  fillPlainList(list: HTMLDivElement, first: number, count: number): void {
    const rows: HTMLDivElement[] = [];
    for (let index = first; index < Math.min(first + count, harness.snapshot.logs.length); index++) {
      const row = document.createElement("div");
      row.style.cssText = `position:absolute;top:${index * 20}px;height:20px;white-space:pre`;
      row.textContent = harness.snapshot.logs[index].message;
      rows.push(row);
    }
    list.firstElementChild!.replaceChildren(...rows);
  },

  /**
   * Work per scrolled frame, `steps` frames of `pixels` each: from the scroll event reaching the document to the
   * scroller's last listener (the virtualiser's redraw sits between) with layout forced. `plain: true` measures the
   * baseline: the same scroll over a plain list that redraws the same number of text rows on each scroll.
   */
  async timeScrollFrames(steps: number, pixels: number, plain = false): Promise<number[]> {
    const rows = document.querySelectorAll(".skein-log-row").length;
    const list = plain ? harness.plainList() : undefined;
    const scroller = list ?? document.querySelector<HTMLElement>(".skein-logs-scroller")!;
    if (list) list.addEventListener("scroll", () => harness.fillPlainList(list, Math.floor(list.scrollTop / 20), rows));
    scroller.scrollTop = 0;
    await harness.nextFrame();
    const durations: number[] = [];
    let started = 0;
    const start = () => {
      started = performance.now();
    };
    const end = () => {
      void scroller.firstElementChild!.getBoundingClientRect();
      void document.body.offsetHeight;
      durations.push(performance.now() - started);
    };
    document.addEventListener("scroll", start, { capture: true });
    scroller.addEventListener("scroll", end);
    for (let step = 0; step < steps; step++) {
      scroller.scrollTop += pixels;
      await harness.nextFrame();
    }
    document.removeEventListener("scroll", start, { capture: true });
    scroller.removeEventListener("scroll", end);
    list?.remove();
    return durations;
  },

  /** Milliseconds to filter the view by `text` as typed into the search box, layout included. */
  timeSearch(text: string): number {
    const search = document.querySelector<HTMLInputElement>(".skein-logs-toolbar input[type=search]")!;
    const start = performance.now();
    search.value = text;
    search.dispatchEvent(new Event("input"));
    void document.querySelector(".skein-logs-scroller")!.getBoundingClientRect();
    void document.body.offsetHeight;
    return performance.now() - start;
  },

  /** Baseline of a search: the same case-insensitive substring test over every raw message, nothing drawn. */
  timePlainSearch(text: string): number {
    const needle = text.toLowerCase();
    const start = performance.now();
    let found = 0;
    for (const log of harness.snapshot.logs) if (log.message.toLowerCase().includes(needle)) found++;
    const elapsed = performance.now() - start;
    if (found < 0) throw new Error("unreachable");
    return elapsed;
  },

  xssFired(): unknown {
    return (window as unknown as { __xss?: unknown }).__xss;
  },
};

document.addEventListener("securitypolicyviolation", (event) =>
  harness.violations.push(`${event.violatedDirective} ${event.blockedURI} ${event.sample}`),
);
(window as unknown as { logsHarness: typeof harness }).logsHarness = harness;
harness.reset();
