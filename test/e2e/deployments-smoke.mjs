// Drives deployments through the installed extension as a person would: click Deploy above the hello flow, accept
// the offer to create the missing work pool, see the deployment in the Deployments view with "No worker is
// polling pool default", start a worker from that row (a terminal), run the deployment from the view and see the
// run finish Completed in the Runs explorer and in the run view it opens; then pause one schedule of a deployment
// from its row (its waiting runs go, the other schedule's stay) and resume it. Stops the worker's terminal at the end.
// Usage: node deployments-smoke.mjs <baseUrl> <workspaceFolder> <outDir>   (SKEIN_HOME from the environment)
import fs from "node:fs";
import path from "node:path";
import { launchBrowser, openWithQuickOpen, workbenchUrl, stopwatch } from "./browser.mjs";

const [base, folder, outDir] = process.argv.slice(2);
const lap = stopwatch();
const { context, page } = await launchBrowser(outDir);
page.on("pageerror", (error) => console.log("page error:", error.message));
const checks = [];
async function check(name, body) {
  await body();
  checks.push(name);
  lap(`ok - ${name}`);
}

const pane = (title) => page.locator(".pane", { has: page.locator(".pane-header", { hasText: title }) });
const deploymentsView = pane(/^Deployments/i);
const runsView = pane(/^Runs/i);
const deploymentRow = deploymentsView.locator('.monaco-list-row[aria-label^="hello/hello deployment"]');
const noWorkerRow = deploymentsView.locator('.monaco-list-row[aria-label^="No worker is polling pool default"]');

/** Runs a palette command by its title. */
async function runCommand(title) {
  await page.keyboard.press("F1");
  await page.locator(".quick-input-widget input").waitFor();
  await page.keyboard.type(title);
  await page.locator(".quick-input-list .monaco-list-row", { hasText: title }).first().waitFor();
  await page.keyboard.press("Enter");
}

try {
  await page.goto(workbenchUrl(base, folder));
  await page.locator(".monaco-workbench").waitFor({ timeout: 60_000 });
  await page.locator(".explorer-folders-view").waitFor({ timeout: 30_000 });
  await page.locator('.activitybar .action-item a[aria-label^="Skein"]').click();
  await deploymentsView.waitFor({ timeout: 30_000 });
  const header = deploymentsView.locator(".pane-header");
  if ((await header.getAttribute("aria-expanded")) !== "true") await header.click();

  await check("Deploy on the lens offers to create the missing pool, then registers the deployment", async () => {
    await openWithQuickOpen(page, "hello.ts", "export const hello");
    const deployLens = page.locator(".codelens-decoration a", { hasText: /Deploy$/ });
    await deployLens.first().waitFor({ timeout: 60_000 });
    await deployLens.first().click();
    const dialog = page.locator(".monaco-dialog-box");
    await dialog.waitFor({ timeout: 60_000 });
    const text = await dialog.textContent();
    if (!/Work pool 'default' does not exist/.test(text)) throw new Error(`unexpected dialog: ${text}`);
    await page.screenshot({ path: `${outDir}/deploy-create-pool.png` });
    await dialog.locator(".monaco-button", { hasText: "Create Work Pool" }).click();
    await deploymentRow.first().waitFor({ timeout: 60_000 });
  });

  await check("the Deployments view says no worker polls the pool", async () => {
    await noWorkerRow.first().waitFor({ timeout: 30_000 });
    const label = await deploymentRow.first().getAttribute("aria-label");
    if (!/no worker/.test(label)) throw new Error(`deployment row: ${label}`);
  });
  await page.screenshot({ path: `${outDir}/deployments-no-worker.png` });

  await check("Start Worker opens a 'Skein worker: default' terminal and the no-worker row goes away", async () => {
    await noWorkerRow.first().hover();
    await noWorkerRow.first().locator('.action-label[aria-label="Start Worker"]').click();
    await page
      .locator(".terminal-tabs-entry, .single-terminal-tab, .pane-header, .panel .title", {
        hasText: "Skein worker: default",
      })
      .first()
      .waitFor({ timeout: 30_000 });
    await noWorkerRow.first().waitFor({ state: "detached", timeout: 60_000 });
  });
  await page.screenshot({ path: `${outDir}/deployments-worker-started.png` });

  await check("Run from the view opens the new run's view, and the run finishes Completed", async () => {
    const runTabs = page.locator(".tabs-container .tab", { hasText: "hello ›" });
    const before = new Set(await runTabs.allTextContents());
    await deploymentRow.first().hover();
    await deploymentRow.first().locator('.action-label[aria-label="Run Deployment"]').click();
    let name;
    for (let tries = 0; tries < 300 && !name; tries++) {
      const fresh = (await runTabs.allTextContents()).find((text) => !before.has(text));
      name = fresh?.match(/hello › (\S+)/)?.[1];
      if (!name) await page.waitForTimeout(100);
    }
    if (!name) throw new Error("Run Deployment opened no run view");
    lap(`deployment run: ${name}`);
    const runView = page.frameLocator("iframe.webview.ready").frameLocator("iframe#active-frame");
    await runView.locator(".run-title", { hasText: name }).waitFor({ timeout: 30_000 });
    await runView.locator(".run-header .state", { hasText: "Completed" }).waitFor({ timeout: 60_000 });
    const flow = runsView.locator('.monaco-list-row[aria-label^="hello flow"]').first();
    if ((await flow.getAttribute("aria-expanded")) !== "true") await flow.click();
    await runsView.locator(`.monaco-list-row[aria-label="${name}, Completed"]`).waitFor({ timeout: 30_000 });
  });
  await page.screenshot({ path: `${outDir}/deployments-run-completed.png` });

  await check(
    "Pause Schedule on a schedule row deletes the runs it scheduled; Resume Schedule makes them again",
    async () => {
      // A deployment with two schedules, registered through the local server's API (deploying is checked above).
      const { url } = JSON.parse(fs.readFileSync(path.join(process.env.SKEIN_HOME, "server.json"), "utf8"));
      const api = async (method, route, body) => {
        const response = await fetch(url + route, {
          method,
          headers: body ? { "content-type": "application/json" } : {},
          body: body && JSON.stringify(body),
        });
        if (!response.ok) throw new Error(`${method} ${route}: ${response.status} ${await response.text()}`);
        return response.json();
      };
      const deployment = await api("POST", "/api/deployments", {
        name: "twice-daily",
        flowName: "hello",
        entrypoint: "examples/hello.ts:hello",
        workPoolName: "default",
        schedules: [{ cron: "0 6 * * *", slug: "morning" }, { cron: "0 18 * * *" }],
      });
      /** The deployment's waiting runs made by the morning schedule and by the other one. */
      const waiting = async () => {
        const { flowRuns: runs } = await api(
          "GET",
          `/api/flow-runs?deploymentId=${deployment.id}&state=SCHEDULED&limit=100`,
        );
        const morning = runs.filter((run) => /schedule 'morning'/.test(run.state.message ?? "")).length;
        return { morning, evening: runs.length - morning };
      };
      const until = async (what, ok) => {
        for (let tries = 0; tries < 150; tries++) {
          const counts = await waiting();
          if (ok(counts)) return counts;
          await page.waitForTimeout(200);
        }
        throw new Error(`gave up waiting for ${what}: ${JSON.stringify(await waiting())}`);
      };
      // The server's scheduler makes three runs ahead per schedule on its next tick (every 5 s).
      await until("the scheduled runs", (counts) => counts.morning === 3 && counts.evening === 3);
      await runCommand("Skein: Refresh Deployments");
      const row = deploymentsView.locator('.monaco-list-row[aria-label^="hello/twice-daily deployment"]');
      await row.first().waitFor({ timeout: 30_000 });
      if ((await row.first().getAttribute("aria-expanded")) !== "true") await row.first().click();
      const morningRow = (state) =>
        deploymentsView.locator(`.monaco-list-row[aria-label="morning · cron 0 6 * * * schedule, ${state}"]`);
      await morningRow("active").first().waitFor({ timeout: 30_000 });
      await morningRow("active").first().hover();
      await morningRow("active").first().locator('.action-label[aria-label="Pause Schedule"]').click();
      await morningRow("paused").first().waitFor({ timeout: 30_000 });
      const paused = await until("the morning runs to go", (counts) => counts.morning === 0);
      if (paused.evening !== 3) throw new Error(`the other schedule's runs changed: ${JSON.stringify(paused)}`);
      // The Runs view forgets the deleted runs too: the evening schedule's three are left.
      const scheduledRows = runsView.locator('.monaco-list-row[aria-label^="twice-daily-"]');
      for (let tries = 0; tries < 150 && (await scheduledRows.count()) !== 3; tries++) await page.waitForTimeout(200);
      if ((await scheduledRows.count()) !== 3)
        throw new Error(`the Runs view shows ${await scheduledRows.count()} runs of twice-daily, not 3`);
      await page.screenshot({ path: `${outDir}/deployments-schedule-paused.png` });
      await morningRow("paused").first().hover();
      await morningRow("paused").first().locator('.action-label[aria-label="Resume Schedule"]').click();
      await morningRow("active").first().waitFor({ timeout: 30_000 });
      await until("the morning runs to be scheduled again", (counts) => counts.morning === 3 && counts.evening === 3);
    },
  );
  await page.screenshot({ path: `${outDir}/deployments-schedule-resumed.png` });
} catch (error) {
  await page.screenshot({ path: `${outDir}/deployments-smoke-failure.png` }).catch(() => {});
  console.log(`not ok - ${error.message}`);
  process.exitCode = 1;
} finally {
  // The worker runs in a terminal's own session: end it here, or it would outlive VS Code.
  await runCommand("Terminal: Kill All Terminals").catch(() => {});
  await page.waitForTimeout(1000);
  await context.close();
  console.log(`deployments-smoke: ${checks.length} passed, ${process.exitCode ? 1 : 0} failed`);
}
