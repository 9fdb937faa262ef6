// XSS corpus against the logs and artifacts components in headless Chromium: script tags, event handlers, javascript:
// and data:text/html links, SVG, MathML and iframe payloads, CSS injection and markdown link and image tricks, written
// into log lines, logger and task names, markdown and table artifacts, link and image artifacts, keys and
// descriptions. The page has no CSP here, so the components' own escaping is what is tested, not the webview's CSP.
// Every payload would set window.__xss or open a dialog; after rendering, clicking and hovering everything, neither
// has happened, nothing left the page's origin and no active markup is in the DOM.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import { type Browser, chromium, type Page } from "playwright-core";
import { buildLogsArtifactsHarness, HARNESS_ORIGIN, openLogsArtifactsHarness } from "./logs-artifacts-page.ts";

const outDir = "test-results/webview-xss";
let browser: Browser;
let page: Page;
const dialogs: string[] = [];
const foreignRequests: string[] = [];

const SET = "window.__xss=1";
const PAYLOADS = [
  `<script>${SET}</script>`,
  `<img src=x onerror="${SET};alert(1)">`,
  `"><img src=x onerror=${SET}>`,
  `' onmouseover='${SET}' x='`,
  `<svg onload="${SET}"><script>${SET}</script></svg>`,
  `<svg><animate onbegin="${SET}" attributeName="x" dur="1s"/></svg>`,
  `<math><mi xlink:href="javascript:${SET}">x</mi></math>`,
  `<iframe src="javascript:parent.__xss=1"></iframe>`,
  `<iframe srcdoc="<script>parent.__xss=1</script>"></iframe>`,
  `<object data="javascript:${SET}"></object><embed src="javascript:${SET}">`,
  `<body onload="${SET}"><details open ontoggle="${SET}">`,
  `<a href="javascript:${SET}">click</a> <a href="&#106;avascript:${SET}">encoded</a>`,
  `<style>*{background:url("javascript:${SET}")}</style><link rel=stylesheet href="https://evil.test/x.css">`,
  `<div style="background:url(javascript:${SET})">css</div>`,
  `<form action="javascript:${SET}"><button>go</button></form>`,
  `<meta http-equiv="refresh" content="0;url=javascript:${SET}">`,
  `<base href="javascript:${SET}//">`,
  `javascript:${SET}`,
  `data:text/html,<script>parent.__xss=1</script>`,
  `https://example.com/"><script>${SET}</script>`,
  `\u001b[31m<img src=x onerror=${SET}>\u001b[0m`,
];
const MARKDOWN_TRICKS = [
  `[md link](javascript:${SET})`,
  `[md link upper](JAVASCRIPT:${SET})`,
  `[md entity](&#106;avascript:${SET})`,
  `[md data](data:text/html;base64,PHNjcmlwdD5wYXJlbnQuX194c3M9MTwvc2NyaXB0Pg==)`,
  `[md vbscript](vbscript:msgbox(1))`,
  `![md img](javascript:${SET})`,
  `![md img quote](x" onerror="${SET})`,
  `![md svg](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9ImFsZXJ0KDEpIi8+)`,
  `![remote](https://evil.test/track.png)`,
  `<javascript:${SET}>`,
  `[ref][r]\n\n[r]: javascript:${SET}`,
  "```html\n<script>window.__xss=1</script>\n```",
  `[a](https://example.com/ok "title\\" onmouseover=\\"${SET}")`,
];

before(async () => {
  fs.mkdirSync(outDir, { recursive: true });
  const script = await buildLogsArtifactsHarness();
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage"],
  });
  page = await browser.newPage({ viewport: { width: 1200, height: 2400 } });
  page.on("dialog", (dialog) => {
    dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    dialog.dismiss().catch(() => {});
  });
  page.on("request", (request) => {
    if (!request.url().startsWith(`${HARNESS_ORIGIN}/`)) foreignRequests.push(request.url());
  });
  await openLogsArtifactsHarness(page, script, { theme: "dark", csp: false });
});

after(async () => {
  await browser?.close();
});

test("no payload runs, opens a dialog, fetches or navigates, wherever a run puts it", async () => {
  const corpus = { payloads: PAYLOADS, tricks: MARKDOWN_TRICKS };
  await page.evaluate(
    `((corpus, h) => {
      corpus.payloads.forEach((payload, i) => h.addTask("evil-" + i, payload));
      corpus.payloads.forEach((payload, i) =>
        h.appendLog({ message: payload + " https://example.com/ok?" + i, logger: payload, taskRunId: "evil-" + i, level: "error" }));
      const markdown = [...corpus.payloads, ...corpus.tricks].join("\\n\\n");
      h.putArtifact({ id: "md", type: "markdown", key: "evil", description: corpus.payloads.join(" "), data: markdown, taskRunId: "evil-0" });
      h.putArtifact({ id: "table-objects", type: "table", description: corpus.payloads[1],
        data: { rows: corpus.payloads.map((payload) => ({ [payload]: payload, value: payload })) }, taskRunId: "evil-1" });
      h.putArtifact({ id: "table-arrays", type: "table",
        data: { columns: corpus.payloads.slice(0, 3), rows: corpus.payloads.map((payload) => [payload, { html: payload }, payload]) } });
      corpus.payloads.forEach((payload, i) => {
        h.putArtifact({ id: "link-" + i, type: "link", key: "link-" + i, data: { url: payload, text: payload } });
        h.putArtifact({ id: "image-" + i, type: "image", description: payload, data: { url: payload } });
      });
      h.putArtifact({ id: "progress", type: "progress", description: corpus.payloads[0], data: corpus.payloads[0] });
    })(${JSON.stringify(corpus)}, globalThis.logsHarness)`,
  );
  // Highlight search matches inside the payloads too.
  await page.fill(".skein-logs-toolbar input[type=search]", "onerror");

  // Click everything clickable and hover over every element, as a curious user would.
  for (const target of await page.locator("#artifacts a, #logs [data-link], [data-task-run-id], [data-column]").all()) {
    await target.click({ force: true, timeout: 2_000 }).catch(() => {});
  }
  for (const target of await page
    .locator("#logs .skein-log-row, #artifacts .artifact-card > *, #artifacts a, #artifacts img")
    .all()) {
    await target.hover({ force: true, timeout: 1_000 }).catch(() => {});
  }
  // Give anything asynchronous (image errors, frame loads, SVG animations) the chance to run.
  await page.evaluate("new Promise((resolve) => setTimeout(resolve, 1500))");
  await page.screenshot({ path: `${outDir}/corpus.png`, fullPage: true });

  assert.equal(await page.evaluate("globalThis.logsHarness.xssFired()"), undefined, "a payload set window.__xss");
  assert.deepEqual(dialogs, [], "a payload opened a dialog");
  assert.deepEqual(foreignRequests, [], "something was fetched from outside the page");
  assert.equal(page.url(), `${HARNESS_ORIGIN}/`, "the page navigated");
  assert.equal(page.frames().length, 1, "a frame was created");

  const opened: string[] = await page.evaluate("globalThis.logsHarness.openedLinks");
  assert.ok(opened.length > 0, "http(s) links were offered");
  for (const url of opened) assert.match(url, /^https?:\/\//, url);
  const selected: string[] = await page.evaluate("globalThis.logsHarness.selectedTasks");
  assert.ok(
    selected.some((id) => id.startsWith("evil-")),
    "task names stayed clickable text",
  );

  const activeMarkup = await page.evaluate(`(() => {
    const found = [];
    for (const element of document.querySelectorAll("#logs *, #artifacts *")) {
      if (/^(script|iframe|object|embed|svg|math|style|link|meta|base|form|button|details)$/i.test(element.localName) &&
        !element.matches(".skein-logs-toolbar button, .artifact-task, .skein-logs-task-chip button, " +
          ".artifact-history-button, .artifact-history-close, .artifact-history-row"))
        found.push(element.localName);
      for (const attribute of element.attributes) {
        if (/^on/i.test(attribute.name)) found.push(element.localName + "[" + attribute.name + "]");
        if (/^(href|src|action|xlink:href)$/i.test(attribute.name) && !/^(https?:|data:image\\/)/i.test(attribute.value))
          found.push(element.localName + "[" + attribute.name + "=" + attribute.value + "]");
      }
    }
    return found;
  })()`);
  assert.deepEqual(activeMarkup, []);
  // The payloads are still there, as text.
  const text: string = await page.evaluate("document.querySelector('#artifacts').textContent");
  assert.ok(text.includes(`<script>${SET}</script>`), "payloads show as text");
});
