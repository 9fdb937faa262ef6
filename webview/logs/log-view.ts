// The run view's log list: every log line of the run, virtualised (@tanstack/virtual-core, fixed-height rows) so
// 100,000 lines paint and scroll smoothly; a minimum level, a search that filters and highlights, one task run's
// lines, local timestamps, ANSI colours, clickable http(s) URLs, and follow mode (keeps to the newest line while
// lines arrive; scrolling up pauses it, scrolling back to the bottom resumes it). The snapshot's logs only grow,
// so update() handles just the lines added since the last call.
import { elementScroll, observeElementOffset, observeElementRect, Virtualizer } from "@tanstack/virtual-core";
import { LOG_LEVELS, type LogLevel } from "../../protocol/run-events.ts";
import type { RunSnapshot, SnapshotLog } from "../../protocol/run-snapshot.ts";
import { adoptStyles } from "../common/adopt-styles.ts";
import { stripAnsi } from "./ansi.ts";
import { type LogFilter, LogMatcher, NO_LOG_FILTER } from "./log-filter.ts";
import { buildLogRow } from "./log-row.ts";
import { LOG_ROW_HEIGHT, LOG_STYLES } from "./log-styles.ts";
import { lineCount, type MessageRun, messageLines } from "./message-runs.ts";

export interface LogViewOptions {
  onSelectTask?(taskRunId: string): void;
  onOpenLink?(url: string): void;
}

// Parsed messages of rows near the viewport; a bound keeps memory flat however far the user scrolls.
const PARSED_CACHE_LIMIT = 2_000;

export class LogView {
  private readonly root = document.createElement("div");
  private readonly scroller = document.createElement("div");
  private readonly canvas = document.createElement("div");
  private readonly count = document.createElement("span");
  private readonly search = document.createElement("input");
  private readonly levelSelect = document.createElement("select");
  private readonly followButton = document.createElement("button");
  private readonly taskChip = document.createElement("span");
  private readonly taskChipName = document.createElement("span");
  private readonly virtualizer: Virtualizer<HTMLDivElement, HTMLDivElement>;
  private readonly unmountVirtualizer: () => void;

  private snapshot: RunSnapshot | undefined;
  private logs: SnapshotLog[] = [];
  private processed = 0;
  private filter: LogFilter = { ...NO_LOG_FILTER };
  private matcher = this.newMatcher();
  /** Lower-case messages without escape codes, filled the first time a search needs them. */
  private plain: string[] = [];
  /** Display rows: the log index and the message line of each (multi-line messages take several rows). */
  private rowLog: number[] = [];
  private rowLine: number[] = [];
  private parsed = new Map<number, MessageRun[][]>();
  private rendered = new Map<string, HTMLDivElement>();
  private following = true;
  private lastScrollTop = 0;

  constructor(
    container: HTMLElement,
    private readonly options: LogViewOptions = {},
  ) {
    adoptStyles(container.ownerDocument, LOG_STYLES);
    this.root.className = "skein-logs";
    this.root.append(this.buildToolbar(), this.scroller);
    this.scroller.className = "skein-logs-scroller";
    this.scroller.tabIndex = 0;
    this.scroller.setAttribute("role", "list");
    this.scroller.setAttribute("aria-label", "Log lines");
    this.canvas.className = "skein-logs-canvas";
    this.scroller.append(this.canvas);
    this.scroller.addEventListener("click", (event) => this.onClick(event));
    this.scroller.addEventListener("scroll", () => this.onScroll(), { passive: true });
    container.append(this.root);

    this.virtualizer = new Virtualizer<HTMLDivElement, HTMLDivElement>({
      count: 0,
      getScrollElement: () => this.scroller,
      estimateSize: () => LOG_ROW_HEIGHT,
      overscan: 6,
      observeElementRect,
      observeElementOffset,
      scrollToFn: elementScroll,
      onChange: () => this.onVirtualizerChange(),
    });
    this.unmountVirtualizer = this.virtualizer._didMount();
    this.virtualizer._willUpdate();
    this.refreshCount();
  }

  update(snapshot: RunSnapshot): void {
    this.snapshot = snapshot;
    if (snapshot.logs !== this.logs || snapshot.logs.length < this.processed) {
      // A different run (or a replay into a fresh snapshot): start over.
      this.logs = snapshot.logs;
      this.processed = 0;
      this.plain = [];
      this.parsed.clear();
      this.rowLog = [];
      this.rowLine = [];
    }
    for (let index = this.processed; index < this.logs.length; index++) this.addIfShown(index);
    this.processed = this.logs.length;
    // Task names may have arrived after their lines: rebuild the few visible rows.
    this.refreshRows(true);
  }

  filterTask(taskRunId: string | undefined): void {
    this.filter = { ...this.filter, taskRunId };
    this.taskChip.hidden = taskRunId === undefined;
    this.taskChipName.textContent = taskRunId ? `Task: ${this.snapshot?.taskRuns[taskRunId]?.name ?? taskRunId}` : "";
    this.refilter();
  }

  dispose(): void {
    this.unmountVirtualizer();
    this.root.remove();
    this.rendered.clear();
    this.parsed.clear();
  }

  private buildToolbar(): HTMLElement {
    const toolbar = document.createElement("div");
    toolbar.className = "skein-logs-toolbar";

    this.levelSelect.setAttribute("aria-label", "Minimum level");
    for (const level of LOG_LEVELS) {
      const option = document.createElement("option");
      option.value = level;
      option.textContent = level === "debug" ? "All levels" : `${level[0].toUpperCase()}${level.slice(1)} and above`;
      this.levelSelect.append(option);
    }
    this.levelSelect.addEventListener("change", () => {
      this.filter = { ...this.filter, minimumLevel: this.levelSelect.value as LogLevel };
      this.refilter();
    });

    this.search.type = "search";
    this.search.placeholder = "Search logs";
    this.search.setAttribute("aria-label", "Search logs");
    this.search.addEventListener("input", () => {
      this.filter = { ...this.filter, text: this.search.value };
      this.refilter();
    });

    const timestamps = document.createElement("label");
    const timestampsBox = document.createElement("input");
    timestampsBox.type = "checkbox";
    timestampsBox.checked = true;
    timestampsBox.className = "skein-logs-timestamps";
    timestampsBox.addEventListener("change", () =>
      this.root.classList.toggle("hide-timestamps", !timestampsBox.checked),
    );
    timestamps.append(timestampsBox, " Timestamps");

    this.followButton.type = "button";
    this.followButton.className = "skein-logs-follow";
    this.followButton.textContent = "Follow";
    this.followButton.title = "Keep the newest line in view";
    this.followButton.addEventListener("click", () => this.setFollowing(!this.following));
    this.followButton.setAttribute("aria-pressed", "true");

    this.taskChip.className = "skein-logs-task-chip";
    this.taskChip.hidden = true;
    const clearTask = document.createElement("button");
    clearTask.type = "button";
    clearTask.textContent = "✕";
    clearTask.title = "Show every task's lines";
    clearTask.setAttribute("aria-label", "Show every task's lines");
    clearTask.addEventListener("click", () => this.filterTask(undefined));
    this.taskChip.append(this.taskChipName, clearTask);

    this.count.className = "skein-logs-count";
    toolbar.append(this.levelSelect, this.search, this.taskChip, timestamps, this.followButton, this.count);
    return toolbar;
  }

  private newMatcher(): LogMatcher {
    return new LogMatcher(this.filter, (index) => this.plainLowerCase(index));
  }

  private plainLowerCase(index: number): string {
    let text = this.plain[index];
    if (text === undefined) text = this.plain[index] = stripAnsi(this.logs[index].message).toLowerCase();
    return text;
  }

  private addIfShown(index: number): void {
    const log = this.logs[index];
    if (!this.matcher.matches(log, index)) return;
    const lines = lineCount(log.message);
    for (let line = 0; line < lines; line++) {
      this.rowLog.push(index);
      this.rowLine.push(line);
    }
  }

  private refilter(): void {
    this.matcher = this.newMatcher();
    this.parsed.clear();
    this.rowLog = [];
    this.rowLine = [];
    for (let index = 0; index < this.processed; index++) this.addIfShown(index);
    this.refreshRows(true);
  }

  /** Hands the new row count to the virtualiser and redraws; in follow mode, scrolls to the newest row. */
  private refreshRows(force: boolean): void {
    this.virtualizer.setOptions({ ...this.virtualizer.options, count: this.rowLog.length });
    this.virtualizer._willUpdate();
    this.refreshCount();
    this.renderRows(force);
    if (this.following) this.scrollToBottom();
  }

  private refreshCount(): void {
    const shown = countDistinct(this.rowLog);
    const total = this.processed;
    const lines = `${total.toLocaleString()} ${total === 1 ? "line" : "lines"}`;
    this.count.textContent = shown === total ? lines : `${shown.toLocaleString()} of ${lines}`;
  }

  private renderRows(force: boolean): void {
    if (!this.snapshot) return;
    this.canvas.style.height = `${this.virtualizer.getTotalSize()}px`;
    const next = new Map<string, HTMLDivElement>();
    for (const item of this.virtualizer.getVirtualItems()) {
      const logIndex = this.rowLog[item.index];
      const line = this.rowLine[item.index];
      if (logIndex === undefined) continue;
      const key = `${logIndex}:${line}`;
      let row = force ? undefined : this.rendered.get(key);
      if (!row) {
        row = buildLogRow(this.snapshot, this.logs[logIndex], line, this.linesOf(logIndex)[line] ?? []);
        row.dataset.index = String(logIndex);
      }
      row.style.transform = `translateY(${item.start}px)`;
      next.set(key, row);
    }
    this.rendered = next;
    this.canvas.replaceChildren(...next.values());
  }

  /** Scrolled or resized. A view that was hidden (an inactive tab) has no height: when it shows, follow again. */
  private onVirtualizerChange(): void {
    this.renderRows(false);
    if (this.following && !this.atBottom()) this.scrollToBottom();
  }

  private atBottom(): boolean {
    return this.scroller.scrollTop + this.scroller.clientHeight >= this.scroller.scrollHeight - LOG_ROW_HEIGHT / 2;
  }

  private linesOf(logIndex: number): MessageRun[][] {
    let lines = this.parsed.get(logIndex);
    if (!lines) {
      if (this.parsed.size >= PARSED_CACHE_LIMIT) this.parsed.clear();
      lines = messageLines(this.logs[logIndex].message, this.filter.text);
      this.parsed.set(logIndex, lines);
    }
    return lines;
  }

  private setFollowing(following: boolean): void {
    this.following = following;
    this.followButton.setAttribute("aria-pressed", String(following));
    if (following) this.scrollToBottom();
  }

  private scrollToBottom(): void {
    this.scroller.scrollTop = this.scroller.scrollHeight;
    this.lastScrollTop = this.scroller.scrollTop;
  }

  private onScroll(): void {
    const top = this.scroller.scrollTop;
    const atBottom = this.atBottom();
    // Moving up pauses follow mode; reaching the bottom again resumes it. Content that shrinks under a filter
    // clamps scrollTop to the new bottom, which counts as being at the bottom, not as scrolling up.
    if (atBottom && !this.following) this.setFollowing(true);
    else if (!atBottom && top < this.lastScrollTop && this.following) this.setFollowing(false);
    this.lastScrollTop = top;
  }

  private onClick(event: MouseEvent): void {
    const target = event.target as Element | null;
    const link = target?.closest<HTMLElement>("[data-link]");
    if (link?.dataset.link) {
      event.preventDefault();
      this.options.onOpenLink?.(link.dataset.link);
      return;
    }
    // Selecting text in a line is not a click on it.
    if (!(target?.ownerDocument.getSelection()?.isCollapsed ?? true)) return;
    const task = target?.closest<HTMLElement>("[data-task-run-id]");
    if (task?.dataset.taskRunId) this.options.onSelectTask?.(task.dataset.taskRunId);
  }
}

/** How many log lines the rows show (rows of one line are adjacent, so counting changes is enough). */
function countDistinct(rowLog: number[]): number {
  let count = 0;
  for (let i = 0; i < rowLog.length; i++) if (i === 0 || rowLog[i] !== rowLog[i - 1]) count++;
  return count;
}
