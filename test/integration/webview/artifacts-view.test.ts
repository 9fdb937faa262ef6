// The artifacts component in headless Chromium, on the test page with the webview's CSP: every artifact type renders
// (markdown, small and large tables with sorting, links, a live progress bar, images), and logs and artifacts
// together in light, dark and high-contrast themes, screenshotted to test-results/webview-artifacts/.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import { type Browser, chromium, type Page } from "playwright-core";
import { buildLogsArtifactsHarness, openLogsArtifactsHarness, THEMES } from "./logs-artifacts-page.ts";

const outDir = "test-results/webview-artifacts";
let browser: Browser;
let page: Page;
let script: string;

type Harness = any;
const inPage = <T>(body: (harness: Harness) => T | Promise<T>) =>
  page.evaluate(`(${body.toString()})(globalThis.logsHarness)`) as Promise<T>;

// A 4×4 red PNG for markdown (markdown-it itself admits only png, gif, jpeg and webp data: images).
const RED_PNG =
  "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAQAAAAEAQMAAACTPww9AAAAA1BMVEX/AAAZ4gk3AAAAC0lEQVQI12NgQAcAABIAAe+JVKQAAAAASUVORK5CYII=";
// A small bar chart as an SVG data: URL (an image, so nothing in it runs).
const CHART =
  "data:image/svg+xml;base64," +
  Buffer.from(
    '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40"><rect x="0" y="20" width="30" height="20" fill="#3794ff"/><rect x="40" y="5" width="30" height="35" fill="#0dbc79"/><rect x="80" y="12" width="30" height="28" fill="#e5e510"/></svg>',
  ).toString("base64");

const MARKDOWN = [
  "# Daily report",
  "",
  "Loaded **1,204** rows from `orders`; see [the dashboard](https://example.com/dash) or [this](ftp://x.test/y).",
  "",
  "- extract: 2.1 s",
  "- load: 0.4 s",
  "",
  "| region | rows |",
  "|:--|--:|",
  "| eu | 700 |",
  "| us | 504 |",
  "",
  `![chart](${RED_PNG}) ![remote chart](https://example.com/chart.png)`,
  "",
  "> all checks passed",
].join("\n");

async function putEveryArtifact(): Promise<void> {
  await inPage((h) => {
    h.addTask("task-a", "summarise");
    h.addTask("task-b", "export");
  });
  const artifacts = [
    {
      id: "md",
      type: "markdown",
      key: "daily-report",
      description: "What today's run did",
      data: MARKDOWN,
      taskRunId: "task-a",
    },
    {
      id: "small-table",
      type: "table",
      key: "regions",
      data: {
        rows: [
          { region: "eu", rows: 700 },
          { region: "us", rows: 504 },
          { region: "apac", rows: 1200 },
        ],
      },
      taskRunId: "task-a",
    },
    {
      id: "large-table",
      type: "table",
      key: "all-orders",
      description: "5,000 rows",
      data: {
        columns: ["order", "amount", "customer"],
        rows: Array.from({ length: 5000 }, (_, i) => [`order-${i}`, (i * 7919) % 10007, `customer ${i % 37}`]),
      },
    },
    { id: "link", type: "link", key: "dashboard", data: { url: "https://example.com/dash", text: "Dashboard" } },
    { id: "bad-link", type: "link", data: { url: "javascript:alert(1)", text: "not a link" } },
    { id: "progress", type: "progress", key: "export-progress", data: 30, taskRunId: "task-b" },
    { id: "image", type: "image", key: "chart", data: { url: CHART } },
    { id: "remote-image", type: "image", data: { url: "https://example.com/chart.png" } },
  ];
  for (const artifact of artifacts)
    await inPage(new Function("h", `h.putArtifact(${JSON.stringify(artifact)})`) as any);
}

before(async () => {
  fs.mkdirSync(outDir, { recursive: true });
  script = await buildLogsArtifactsHarness();
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage"],
  });
  page = await browser.newPage({ viewport: { width: 1200, height: 1400 } });
  await openLogsArtifactsHarness(page, script, { theme: "dark" });
  await putEveryArtifact();
});

after(async () => {
  await browser?.close();
});

const card = (id: string) => page.locator(`.artifact-card[data-artifact-id="${id}"]`);

test("markdown renders sanitised: formatting, http links only, data: images only", async () => {
  const markdown = card("md");
  assert.equal(await markdown.locator(".artifact-key").textContent(), "daily-report");
  assert.equal(await markdown.locator(".artifact-description").textContent(), "What today's run did");
  assert.equal(await markdown.locator("h1").textContent(), "Daily report");
  assert.equal(await markdown.locator("strong").textContent(), "1,204");
  assert.equal(await markdown.locator("li").count(), 2);
  assert.equal(await markdown.locator("table td").count(), 4);
  const hrefs = await markdown
    .locator(".artifact-markdown a[href]")
    .evaluateAll((links) => links.map((link) => link.getAttribute("href")));
  assert.deepEqual(hrefs, ["https://example.com/dash", "https://example.com/chart.png"]);
  assert.equal(await markdown.locator("a", { hasText: "this" }).getAttribute("href"), null);
  const images = markdown.locator("img");
  assert.equal(await images.count(), 1);
  assert.ok(await images.evaluate((image: any) => image.complete && image.naturalWidth === 4));
  assert.equal(await markdown.locator(".artifact-image-stand-in").textContent(), "[image: remote chart]");

  await markdown.locator("a", { hasText: "the dashboard" }).click();
  await markdown.locator(".artifact-task").click();
  assert.deepEqual(await inPage((h) => h.openedLinks), ["https://example.com/dash"]);
  assert.deepEqual(await inPage((h) => h.selectedTasks), ["task-a"]);
});

test("tables sort by a column's header; a large table draws only its visible rows", async () => {
  const small = card("small-table");
  const firstColumn = () => small.locator(".artifact-table-body .artifact-table-row > :first-child").allTextContents();
  assert.deepEqual(await firstColumn(), ["eu", "us", "apac"]);
  await small.locator(".artifact-table-header [data-column='1']").click();
  assert.deepEqual(await firstColumn(), ["us", "eu", "apac"]);
  assert.equal(await small.locator("[data-column='1']").getAttribute("aria-sort"), "ascending");
  await small.locator(".artifact-table-header [data-column='1']").click();
  assert.deepEqual(await firstColumn(), ["apac", "eu", "us"]);
  await small.locator(".artifact-table-header [data-column='1']").click();
  assert.deepEqual(await firstColumn(), ["eu", "us", "apac"]);

  const large = card("large-table");
  const rowCount = () => large.locator(".artifact-table-body .artifact-table-row").count();
  assert.ok((await rowCount()) < 60, `${await rowCount()} of 5,000 rows in the DOM`);
  await large.locator(".artifact-table-header [data-column='1']").click();
  await large.locator(".artifact-table-header [data-column='1']").click();
  // Descending by amount: the largest of (i * 7919) % 10007 comes first.
  const top = await large.locator(".artifact-table-body .artifact-table-row").first().allTextContents();
  const amounts = Array.from({ length: 5000 }, (_, i) => (i * 7919) % 10007);
  assert.ok(top[0].includes(String(Math.max(...amounts))), top[0]);
  await large.locator(".artifact-table-body").evaluate((body) => {
    body.scrollTop = body.scrollHeight;
  });
  await inPage((h) => h.nextFrame());
  const smallest = String(Math.min(...amounts));
  await large.locator(".artifact-table-cell", { hasText: new RegExp(`^${smallest}$`) }).waitFor();
  assert.ok((await rowCount()) < 60);
});

test("links list only http(s) as links; progress updates live; images show data: URLs and link remote ones", async () => {
  assert.equal(await card("link").locator("a").getAttribute("href"), "https://example.com/dash");
  assert.equal(await card("link").locator(".artifact-link-url").textContent(), "https://example.com/dash");
  assert.equal(await card("bad-link").locator("a").count(), 0);
  assert.equal(await card("bad-link").locator(".artifact-unsafe-link").textContent(), "not a link");

  const progress = card("progress").locator("[role=progressbar]");
  assert.equal(await progress.getAttribute("aria-valuenow"), "30");
  await inPage((h) => h.updateArtifact("progress", 75));
  assert.equal(await progress.getAttribute("aria-valuenow"), "75");
  assert.equal(await card("progress").locator(".artifact-progress-label").textContent(), "75%");
  assert.equal(await card("progress").locator(".artifact-task").textContent(), "export");

  assert.ok(
    await card("image")
      .locator("img")
      .evaluate((image: any) => image.complete && image.naturalWidth === 120),
  );
  assert.equal(await card("remote-image").locator("img").count(), 0);
  assert.equal(await card("remote-image").locator("a").getAttribute("href"), "https://example.com/chart.png");
  assert.deepEqual(await inPage((h) => h.violations), [], "nothing broke the CSP");
});

test("logs and artifacts in light, dark and high-contrast themes", async () => {
  for (const theme of THEMES) {
    await page.unrouteAll();
    await openLogsArtifactsHarness(page, script, { theme });
    await inPage((h) => h.appendSyntheticLogs(300, 5));
    await putEveryArtifact();
    await inPage((h) => h.updateArtifact("progress", 62.5));
    await page.fill(".skein-logs-toolbar input[type=search]", "warm");
    await inPage((h) => h.nextFrame());
    await page.setViewportSize({ width: 1200, height: 2300 });
    const background = await page.evaluate("getComputedStyle(document.body).backgroundColor");
    assert.equal(
      background,
      { light: "rgb(255, 255, 255)", dark: "rgb(30, 30, 30)", "high-contrast": "rgb(0, 0, 0)" }[theme],
    );
    await page.screenshot({ path: `${outDir}/${theme}.png`, fullPage: true });
    assert.deepEqual(await inPage((h) => h.violations), [], `${theme}: nothing broke the CSP`);
    await page.setViewportSize({ width: 1200, height: 1400 });
  }
});
