// The built run view in headless Chromium: the header and tabs render a run (Details, task details, Compare),
// look right in light, dark and high-contrast themes (screenshots in test-results/webview/), and an XSS corpus in
// every string a run controls executes nothing, with the CSP and without it (the rendering itself is text-only).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import type { Browser, Page } from "playwright-core";
import type { RunEvent } from "../../../protocol/run-events.ts";
import { emptyRunSnapshot, RunSnapshotReducer, type RunSnapshot } from "../../../protocol/run-snapshot.ts";
import { RunEventBuilder } from "../../run-event-builder.ts";
import { CHROMIUM, launch, openRunView, type Theme } from "./run-view-page.ts";

/** Clicks a task run's node on the graph's canvas, as a user does (the graph is reached through its element). */
async function clickTask(page: Page, taskRunId: string): Promise<void> {
  const point = await page.evaluate(`(async () => {
    const host = document.querySelector(".graph-canvas");
    if (!host || !host.taskGraph) return undefined;
    host.taskGraph.select(${JSON.stringify(taskRunId)}); // scrolls the node into view
    await host.taskGraph.whenPainted();
    const at = host.taskGraph.screenPointOf(${JSON.stringify(taskRunId)});
    const box = host.querySelector("canvas.skein-graph-canvas").getBoundingClientRect();
    return at && { x: box.left + at.x, y: box.top + at.y };
  })()`);
  assert.ok(point, `the graph shows no node for task run ${taskRunId}`);
  const { x, y } = point as { x: number; y: number };
  await page.mouse.click(x, y);
}

/** How many nodes the graph shows. */
function graphNodes(page: Page): Promise<number> {
  return page.evaluate(`(async () => {
    const graph = document.querySelector(".graph-canvas").taskGraph;
    await graph.whenPainted();
    return graph.debug().nodes;
  })()`);
}

const skip = fs.existsSync(CHROMIUM) ? false : `no Chromium at ${CHROMIUM} (apt-get install -y chromium)`;
if (skip) console.warn(`SKIPPED run view browser tests: ${skip}`);

let browser: Browser;
before(async () => {
  if (!skip) browser = await launch();
});
after(async () => {
  await browser?.close();
});

function snapshotOf(flowRunId: string, events: RunEvent[]): RunSnapshot {
  const reducer = new RunSnapshotReducer(emptyRunSnapshot(flowRunId));
  reducer.apply(events);
  return reducer.snapshot;
}

const build = new RunEventBuilder();
const currentEvents = [
  ...build.completedRun("run-now", {
    name: "brave-otter",
    parameters: { date: "2026-11-30", limit: 10, options: { region: "eu-west", retries: [1, 5, 10] } },
    fail: true,
  }),
];
const current = snapshotOf("run-now", currentEvents);
const previous = snapshotOf(
  "run-before",
  build.completedRun("run-before", { name: "calm-heron", parameters: { date: "2026-11-29", limit: 10 } }),
);

for (const theme of ["light", "dark", "high-contrast"] as Theme[]) {
  test(`the run view renders a run's header, graph details, details and compare tabs (${theme})`, {
    skip,
  }, async () => {
    const view = await openRunView(browser, theme);
    const { page } = view;
    await view.send({ type: "snapshot", flowRunId: "run-now", snapshot: current });
    await page.locator(".run-title", { hasText: "brave-otter" }).waitFor();
    assert.equal(await page.locator(".run-header .state").textContent(), "Failed");
    assert.equal(await page.locator(".live").isHidden(), true, "a finished run is not live");
    const state = await view.savedState();
    assert.deepEqual(state, { flowRunId: "run-now" }, "the page saves its run for the serializer");

    // Graph: selecting the failed task shows its details with the error and state history.
    await clickTask(page, "run-now-transform");
    const details = page.locator(".task-details");
    await details.waitFor();
    assert.match((await details.locator(".error-text").textContent()) ?? "", /bad row 7\n\s+at transform/);
    assert.equal(await details.locator(".state-history tbody tr").count(), 3);
    await clickTask(page, "run-now-extract");
    assert.match(
      (await page.locator(".task-details").textContent()) ?? "",
      /Hit: the result of task run older-extract with the same cache key/,
    );
    await view.screenshot(`graph-${theme}`);

    // Details: parameters tree, entrypoint, run again.
    await page.locator("vscode-tab-header[data-tab='details']").click();
    const detailsTab = page.locator(".details-tab");
    await detailsTab.locator(".parameters").waitFor();
    const text = (await detailsTab.textContent()) ?? "";
    for (const expected of [
      "date",
      '"2026-11-30"',
      "region",
      '"eu-west"',
      "flows/etl.ts:etl",
      "nightly",
      "Task runs",
    ]) {
      assert.ok(text.includes(expected), `Details shows ${expected}`);
    }
    await view.screenshot(`details-${theme}`);
    await detailsTab.locator("vscode-button", { hasText: "Run again" }).click();

    // Compare: asks for candidates, loads the chosen one, shows the differences.
    await page.locator("vscode-tab-header[data-tab='compare']").click();
    await view.waitForPosted("list-compare-candidates");
    await view.send({
      type: "compare-candidates",
      candidates: [
        {
          flowRunId: "run-before",
          name: "calm-heron",
          flowName: "etl",
          createdAt: previous.flowRuns["run-before"].createdAt,
          stateName: "Completed",
        },
      ],
    });
    await view.choose("vscode-single-select", "run-before");
    await view.waitForPosted("load-compare", "run-before");
    await view.send({ type: "compare-snapshot", flowRunId: "run-before", snapshot: previous });
    const compare = page.locator(".compare-body");
    await compare.locator(".compare-tasks").waitFor();
    assert.equal(
      await compare.locator(".compare-parameters tr.differs").count(),
      2,
      "date differs, options only in this run",
    );
    const transformRow = compare.locator(".compare-tasks tr", { hasText: "transform-0" });
    assert.match((await transformRow.textContent()) ?? "", /Failed.*Completed/);
    assert.match(
      (await compare.locator(".compare-tasks tr", { hasText: "extract-0" }).textContent()) ?? "",
      /cache hit.*cache hit/,
    );
    assert.match(
      (await compare.locator(".compare-logs").textContent()) ?? "",
      /transformed rows for run-now.*transformed rows for run-before/s,
    );
    await view.screenshot(`compare-${theme}`);

    const requests = (await view.posted()).map((message) => message.type);
    assert.deepEqual(requests, ["ready", "run-again", "list-compare-candidates", "load-compare"]);
    assert.deepEqual(await view.compromised(), []);
    // The toolkit's Lit elements style themselves with constructable stylesheets: nothing for the CSP to block.
    assert.deepEqual(await view.cspViolations(), []);
    await page.close();
  });
}

test("an artifact's History lists its key across runs, newest first, and renders the picked one", {
  skip,
}, async () => {
  const view = await openRunView(browser, "dark");
  const { page } = view;
  const events = new RunEventBuilder().completedRun("run-keyed", { name: "keyed-kite" });
  await view.send({ type: "snapshot", flowRunId: "run-keyed", snapshot: snapshotOf("run-keyed", events) });
  await page.locator("vscode-tab-header[data-tab='artifacts']").click();
  await page.locator(".artifact-history-button").click();
  await view.waitForPosted("list-artifact-history");
  assert.deepEqual((await view.posted()).at(-1), { type: "list-artifact-history", key: "etl-report" });
  await page.locator(".artifact-history-note", { hasText: "Loading" }).waitFor();
  const entry = (index: number, name: string, data: string, createdAt: string) => ({
    id: `history-${index}`,
    flowRunId: `run-${index}`,
    flowRunName: name,
    key: "etl-report",
    type: "markdown" as const,
    data,
    createdAt,
    updatedAt: createdAt,
  });
  await view.send({
    type: "artifact-history",
    key: "etl-report",
    artifacts: [
      entry(2, "keyed-kite", "# Today\n\n**1,204** rows", "2026-11-30T08:00:00.000Z"),
      entry(
        1,
        "<img src=x onerror=\"window.__xss='name'\">",
        "# Yesterday\n\n<script>window.__xss='md'</script>",
        "2026-11-29T08:00:00.000Z",
      ),
    ],
  });
  const history = page.locator(".artifact-history");
  const rows = history.locator(".artifact-history-row");
  await rows.nth(1).waitFor();
  assert.match((await rows.nth(0).textContent()) ?? "", /keyed-kite.*markdown.*2026-11-30/);
  assert.equal(await rows.nth(0).getAttribute("aria-selected"), "true", "the newest is picked first");
  assert.equal(await history.locator(".artifact-history-detail h1").textContent(), "Today");
  await rows.nth(1).click();
  assert.equal(await rows.nth(1).getAttribute("aria-selected"), "true");
  assert.equal(await history.locator(".artifact-history-detail h1").textContent(), "Yesterday");
  assert.equal(await history.locator(".artifact-history-detail script").count(), 0);
  await view.screenshot("artifact-history-dark");
  // A late answer for another key does not replace what is shown; Close hides the history.
  await view.send({ type: "artifact-history", key: "other", artifacts: [] });
  // Messages arrive in order: once the error after it shows, the late answer has been handled.
  await view.send({ type: "error", message: "after the late answer" });
  await page.locator(".error-banner", { hasText: "after the late answer" }).waitFor();
  assert.equal(await rows.count(), 2);
  await history.locator(".artifact-history-close").click();
  assert.equal(await history.isHidden(), true);
  assert.deepEqual(await view.compromised(), []);
  assert.deepEqual(await view.cspViolations(), []);
  await page.close();
});

test("live events update the header and tabs; show-tab and errors from the extension are shown", { skip }, async () => {
  const view = await openRunView(browser, "dark");
  const live = new RunEventBuilder();
  const events = live.completedRun("live-run", { name: "live-lynx" });
  await view.send({ type: "snapshot", flowRunId: "live-run", snapshot: snapshotOf("live-run", events.slice(0, 3)) });
  await view.page.locator(".run-header .state", { hasText: "Running" }).waitFor();
  assert.equal(await view.page.locator(".live").isVisible(), true);
  await view.send({ type: "events", events: events.slice(3) });
  await view.page.locator(".run-header .state", { hasText: "Completed" }).waitFor();
  assert.equal(await view.page.locator(".live").isHidden(), true);
  assert.equal(await graphNodes(view.page), 2);
  await view.send({ type: "show-tab", tab: "logs" });
  await view.page.locator(".skein-log-row", { hasText: "fetched 10 rows" }).waitFor();
  await view.screenshot("logs-tab-dark");
  await view.send({ type: "error", message: "Could not load flow run x: server gone" });
  assert.equal(await view.page.locator(".error-banner").textContent(), "Could not load flow run x: server gone");
  await view.page.close();
});

/** Payloads that set window.__xss (or open a dialog) if any of them is ever parsed as markup or followed. */
const XSS = [
  "<script>window.__xss='script'</script>",
  "<img src=x onerror=\"window.__xss='img-onerror'\">",
  "<svg onload=\"window.__xss='svg-onload'\"><script>window.__xss='svg-script'</script></svg>",
  "<iframe srcdoc=\"<script>parent.__xss='iframe'</script>\"></iframe>",
  "<iframe src=\"javascript:parent.__xss='iframe-js'\"></iframe>",
  "<a href=\"javascript:window.__xss='js-link'\" id=xss-link>click</a>",
  "javascript:window.__xss='js-url'",
  "<style>body{background:url('https://attacker.test/steal')}</style>",
  "</style><style>*{display:none}</style>",
  '<div style="background:url(https://attacker.test/x)">css</div>',
  "<details open ontoggle=\"window.__xss='ontoggle'\">",
  "<body onload=\"alert('xss')\">",
  '"><img src=x onerror=alert(1)>',
  "<vscode-button onclick=\"window.__xss='toolkit'\">x</vscode-button>",
];

function hostileRun(): RunSnapshot {
  const hostile = new RunEventBuilder();
  const payload = (i: number) => XSS[i % XSS.length];
  const events: RunEvent[] = [
    hostile.flowRun("evil", {
      name: payload(0),
      flowName: payload(1),
      parameters: Object.fromEntries(XSS.map((p, i) => [`p${i}${p}`, { nested: p, list: [p] }])),
      tags: XSS.slice(0, 3),
      entrypoint: payload(6),
    }),
    hostile.transition("evil", "flow", "evil", "RUNNING", "Running"),
  ];
  XSS.forEach((p, i) => {
    const id = `evil-task-${i}`;
    events.push(
      hostile.taskRun("evil", id, p, i > 0 ? [`evil-task-${i - 1}`] : [], p),
      hostile.log("evil", p, id, "error"),
      hostile.transition("evil", "task", id, "FAILED", "Failed", { details: { error: p, cacheKey: p }, message: p }),
      hostile.artifact("evil", `evil-artifact-${i}`, "markdown", p, { key: `k${i}`, taskRunId: id, description: p }),
    );
  });
  return snapshotOf("evil", events);
}

for (const withCsp of [true, false]) {
  test(`an XSS corpus in run names, task names, parameters, logs, errors and artifacts executes nothing (${withCsp ? "with the CSP" : "even without the CSP"})`, {
    skip,
  }, async () => {
    const view = await openRunView(browser, "light", { withCsp });
    const { page } = view;
    const snapshot = hostileRun();
    await view.send({ type: "snapshot", flowRunId: "evil", snapshot });
    await page.locator(".run-title", { hasText: XSS[0] }).waitFor();
    // Every tab and every task's details panel.
    for (let i = 0; i < XSS.length; i++) {
      await clickTask(page, `evil-task-${i}`);
      await page.locator(`.task-details[data-run-id='evil-task-${i}']`).waitFor();
    }
    for (const tab of ["logs", "artifacts", "details", "compare"]) {
      await page.locator(`vscode-tab-header[data-tab='${tab}']`).click();
      await page.locator(`vscode-tab-panel[data-tab='${tab}']`).waitFor();
    }
    await view.send({
      type: "compare-candidates",
      candidates: [{ flowRunId: "evil", name: XSS[1], flowName: XSS[2], createdAt: "x", stateName: XSS[3] }],
    });
    await view.send({ type: "compare-snapshot", flowRunId: "evil", snapshot });
    await page.locator(".compare-tasks").waitFor();
    await view.send({ type: "error", message: XSS[1] });
    await page.waitForTimeout(300); // let any injected resource fire its handler
    assert.deepEqual(await view.compromised(), []);
    // In the page's own DOM (the toolkit's shadow roots hold its icons' SVGs).
    const injected = await view.lightDomMatches(
      "#xss-link, iframe, img, svg, style, script:not([src]), [onerror], [onload]",
    );
    assert.deepEqual(injected, [], "no payload became an element");
    assert.ok(
      ((await page.locator(".details-tab").textContent()) ?? "").includes(XSS[2]),
      "payloads are shown as text",
    );
    await view.screenshot(`xss-${withCsp ? "csp" : "no-csp"}`);
    await page.close();
  });
}
