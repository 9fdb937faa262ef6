// The logs component in headless Chromium, on the test page with the webview's CSP: 100,000 lines render
// virtualised and scroll, the level, search and task filters, timestamps, follow mode, ANSI colours and links.
// Screenshots go to test-results/webview-logs/.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import { type Browser, chromium, type Page } from "playwright-core";
import { buildLogsArtifactsHarness, HARNESS_ORIGIN, openLogsArtifactsHarness } from "./logs-artifacts-page.ts";

const outDir = "test-results/webview-logs";
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

// The harness object as the page sees it; calls run in the page.
type Harness = any;
const inPage = <T>(body: (harness: Harness) => T | Promise<T>) =>
  page.evaluate(`(${body.toString()})(globalThis.logsHarness)`) as Promise<T>;

before(async () => {
  fs.mkdirSync(outDir, { recursive: true });
  const script = await buildLogsArtifactsHarness();
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage"],
  });
  page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
  page.on("pageerror", (error) => pageErrors.push(error.message));
  await openLogsArtifactsHarness(page, script, { theme: "dark" });
});

after(async () => {
  await browser?.close();
});

const frame = () => inPage((h) => h.nextFrame());

test("100,000 lines render as a few hundred rows, start at the newest line and scroll anywhere", async () => {
  await inPage((h) => h.appendSyntheticLogs(100_000));
  await frame();
  const state = await inPage((h) => h.logsState());
  assert.equal(state.count, "100,000 lines");
  assert.ok(state.renderedRows > 10 && state.renderedRows < 200, `${state.renderedRows} rows in the DOM`);
  assert.ok(state.following && state.atBottom, "follow mode starts at the newest line");
  let rows = await inPage((h) => h.visibleLogRows());
  assert.equal(rows.at(-1).index, 99_999);

  await inPage((h) => h.scrollLogsTo(0.5));
  await frame();
  rows = await inPage((h) => h.visibleLogRows());
  assert.ok(rows.length > 10, "rows are drawn after scrolling");
  const middle = rows[Math.floor(rows.length / 2)].index;
  assert.ok(Math.abs(middle - 50_000) < 2_000, `the middle of the list shows line ${middle}`);
  const plain = rows.find((row: any) => row.index % 7 && row.index % 11 && row.index % 13 && row.index % 1000);
  assert.match(plain.text, new RegExp(`^step ${plain.index} processed \\d+ rows$`));
  assert.equal(plain.task, `load-part-${plain.index % 20}`);
  await page.screenshot({ path: `${outDir}/logs-100k-middle.png` });
});

test("level, search and task filters narrow the list; search highlights; timestamps toggle", async () => {
  await page.selectOption(".skein-logs-toolbar select", "error");
  assert.equal((await inPage((h) => h.logsState())).count, "40,000 of 100,000 lines");
  const levels = await page.locator(".skein-log-row .log-level").allTextContents();
  assert.ok(
    levels.filter(Boolean).every((level) => level === "error" || level === "critical"),
    levels.join(),
  );

  await page.selectOption(".skein-logs-toolbar select", "debug");
  await page.fill(".skein-logs-toolbar input[type=search]", "NEEDLE");
  assert.equal((await inPage((h) => h.logsState())).count, "100 of 100,000 lines");
  await frame();
  const rows = await inPage((h) => h.visibleLogRows());
  assert.ok(rows.length > 0);
  for (const row of rows.filter((r: any) => r.text.includes("needle"))) assert.equal(row.matches, 1, row.text);
  await page.screenshot({ path: `${outDir}/logs-search.png` });

  // Patterns are plain text.
  await page.fill(".skein-logs-toolbar input[type=search]", ".*");
  assert.equal((await inPage((h) => h.logsState())).count, "0 of 100,000 lines");
  await page.fill(".skein-logs-toolbar input[type=search]", "");

  await inPage((h) => h.logView.filterTask("task-3"));
  await frame();
  assert.equal((await inPage((h) => h.logsState())).count, "5,000 of 100,000 lines");
  const taskRows = await inPage((h) => h.visibleLogRows());
  assert.ok(taskRows.filter((row: any) => row.taskRunId).every((row: any) => row.taskRunId === "task-3"));
  assert.ok(await page.locator(".skein-logs-task-chip", { hasText: "load-part-3" }).isVisible());
  await page.locator(".skein-logs-task-chip button").click();
  assert.equal((await inPage((h) => h.logsState())).count, "100,000 lines");
  // Rows are clicked by the line they show, among those in view: a row drawn above the view for smooth scrolling
  // would be scrolled to first, and a click whose press and release land on different rows (the list redraws on
  // the next frame) reaches only the list, as a user's would, and selects nothing.
  await frame();
  const inView = async () => (await inPage((h) => h.visibleLogRows())).slice(1, -1).filter((row: any) => row.taskRunId);
  const first = (await inView())[0];
  await page.locator(`.skein-log-row[data-index="${first.index}"] .log-task.is-task`).click();
  assert.deepEqual(await inPage((h) => h.selectedTasks), [first.taskRunId]);
  assert.match(first.taskRunId, /^task-\d+$/);
  // Anywhere on the line selects its task too.
  const other = (await inView()).find((row: any) => row.taskRunId !== first.taskRunId);
  assert.ok(other, "a visible line of another task");
  await page.locator(`.skein-log-row[data-index="${other.index}"] .log-message`).first().click();
  assert.deepEqual(await inPage((h) => h.selectedTasks), [first.taskRunId, other.taskRunId]);

  assert.equal((await inPage((h) => h.logsState())).timeColumnShown, true);
  await page.locator(".skein-logs-timestamps").click();
  assert.equal((await inPage((h) => h.logsState())).timeColumnShown, false);
  await page.locator(".skein-logs-timestamps").click();
  assert.equal((await inPage((h) => h.logsState())).timeColumnShown, true);
});

test("follow mode keeps to the newest line; scrolling up pauses it, the Follow button resumes it", async () => {
  await inPage((h) => h.reset());
  await inPage((h) => h.appendSyntheticLogs(1_000));
  await frame();
  await inPage((h) => h.appendSyntheticLogs(10));
  await frame();
  let state = await inPage((h) => h.logsState());
  assert.ok(state.following && state.atBottom);
  assert.equal((await inPage((h) => h.visibleLogRows())).at(-1).index, 1_009);

  await page.locator(".skein-logs-scroller").hover();
  await page.mouse.wheel(0, -600);
  await page.waitForFunction(() => (globalThis as any).logsHarness.logsState().following === false);
  state = await inPage((h) => h.logsState());
  const pausedAt = state.scrollTop;
  await inPage((h) => h.appendSyntheticLogs(100));
  await frame();
  state = await inPage((h) => h.logsState());
  assert.equal(state.scrollTop, pausedAt, "paused: new lines do not move the view");
  assert.equal(state.atBottom, false);

  await page.locator(".skein-logs-follow").click();
  await frame();
  state = await inPage((h) => h.logsState());
  assert.ok(state.following && state.atBottom);
  assert.equal((await inPage((h) => h.visibleLogRows())).at(-1).index, 1_109);

  // Lines that arrive while the view is hidden (another tab is active) are in view when it shows again.
  await page.evaluate("document.getElementById('logs').hidden = true");
  await inPage((h) => h.appendSyntheticLogs(500));
  await page.evaluate("document.getElementById('logs').hidden = false");
  await page.waitForFunction(() => (globalThis as any).logsHarness.logsState().atBottom);
  await frame();
  assert.equal((await inPage((h) => h.visibleLogRows())).at(-1).index, 1_609);
});

test("ANSI colours take the theme's terminal colours; http(s) URLs open through onOpenLink, nothing else", async () => {
  await inPage((h) => h.reset());
  await inPage((h) =>
    h.appendLog({
      message: "\u001b[31mred\u001b[0m docs at https://example.com/docs?q=1. not javascript:alert(1) nor file:///etc",
      level: "error",
    }),
  );
  await frame();
  assert.equal((await inPage((h) => h.logsState())).count, "1 line");
  const red = page.locator(".log-message .ansi-fg-red");
  assert.equal(await red.textContent(), "red");
  assert.equal(
    await red.evaluate((element) => (globalThis as any).getComputedStyle(element).color),
    "rgb(205, 49, 49)",
  );
  const links = page.locator(".log-message [data-link]");
  assert.equal(await links.count(), 1);
  await links.click();
  assert.deepEqual(await inPage((h) => h.openedLinks), ["https://example.com/docs?q=1"]);
  assert.equal(page.url(), `${HARNESS_ORIGIN}/`);
  await page.screenshot({ path: `${outDir}/logs-ansi-links.png` });

  // A line wider than the view scrolls sideways rather than wrapping (rows keep one height).
  await inPage((h) => h.appendLog({ message: `wide ${"x".repeat(2_000)} end` }));
  await frame();
  const widths = await page
    .locator(".skein-logs-scroller")
    .evaluate((scroller) => [scroller.scrollWidth, scroller.clientWidth]);
  assert.ok(widths[0] > widths[1] * 2, `scrollWidth ${widths[0]}, clientWidth ${widths[1]}`);
  assert.deepEqual(await inPage((h) => h.violations), [], "nothing broke the CSP");
  assert.deepEqual(pageErrors, []);
});
