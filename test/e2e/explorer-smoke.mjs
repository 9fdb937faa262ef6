// Drives the Runs view of the installed extension as a person would: open the Skein container, click Run on a
// flow's lens and see the run finish in the explorer with its task runs, and each task's state inline in the editor;
// start a run from a terminal (the CLI, with the SKEIN_HOME the editor uses) and see it appear without reloading,
// then delete it from the terminal and see it go;
// cancel a long run from the explorer's context menu and see it end Cancelled; reload the window and find the
// explorer restored.
// Usage: node explorer-smoke.mjs <baseUrl> <workspaceFolder> <outDir> <repoRoot>   (SKEIN_HOME from the environment)
import { spawn } from "node:child_process";
import path from "node:path";
import { launchBrowser, openWithQuickOpen, workbenchUrl, stopwatch } from "./browser.mjs";

const [base, folder, outDir, root] = process.argv.slice(2);
const lap = stopwatch();
const { context, page } = await launchBrowser(outDir);
page.on("pageerror", (error) => console.log("page error:", error.message));
const checks = [];
/** The run started from a terminal, deleted from one later. */
let terminalRun;
async function check(name, body) {
  await body();
  checks.push(name);
  lap(`ok - ${name}`);
}

/** The CLI from a terminal, with the SKEIN_HOME the editor uses; resolves to its exit code and stderr. */
function cli(args) {
  const child = spawn(process.execPath, [path.join(root, "dist/engine/cli.mjs"), ...args], {
    cwd: folder,
    env: process.env,
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (chunk) => (stderr += chunk));
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, stderr })));
}

/** `skein run ENTRYPOINT --output jsonl` from a terminal; `created` resolves to the flow run's name and id. */
function runFromTerminal(entrypoint) {
  const child = spawn(
    process.execPath,
    [path.join(root, "dist/engine/cli.mjs"), "run", entrypoint, "--output", "jsonl"],
    {
      cwd: folder,
      env: process.env,
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let stderr = "";
  child.stderr.on("data", (chunk) => (stderr += chunk));
  const exited = new Promise((resolve) => child.on("close", (code) => resolve({ code, stderr })));
  const created = new Promise((resolve, reject) => {
    let buffer = "";
    child.stdout.on("data", (chunk) => {
      buffer += chunk;
      for (const line of buffer.split("\n")) {
        if (!line.startsWith("{")) continue;
        try {
          const event = JSON.parse(line);
          if (event.kind === "flow-run-created" && !event.parentFlowRunId) resolve(event);
        } catch {
          // A partial line: complete on the next chunk.
        }
      }
    });
    exited.then(({ code }) =>
      reject(new Error(`skein run ${entrypoint} exited ${code} before creating a run:\n${stderr}`)),
    );
  });
  return { created, exited };
}

const runsView = page.locator(".pane", { has: page.locator(".pane-header", { hasText: /^Runs/i }) });
const row = (label) => runsView.locator(`.monaco-list-row[aria-label="${label}"]`);
const rowStarting = (prefix) => runsView.locator(`.monaco-list-row[aria-label^="${prefix}"]`);

async function expand(locator) {
  if ((await locator.getAttribute("aria-expanded")) !== "true") await locator.click();
}

try {
  await page.goto(workbenchUrl(base, folder));
  await page.locator(".monaco-workbench").waitFor({ timeout: 60_000 });
  await page.locator(".explorer-folders-view").waitFor({ timeout: 30_000 });

  await check("the Skein container opens its Runs view from the activity bar", async () => {
    await page.locator('.activitybar .action-item a[aria-label^="Skein"]').click();
    await runsView.waitFor({ timeout: 30_000 });
  });

  await check("clicking Run shows the run finishing in the explorer with its task runs", async () => {
    await openWithQuickOpen(page, "hello.ts", "export const hello");
    const runLens = page.locator(".codelens-decoration a", { hasText: /^\S*\s*Run$/ });
    await runLens.first().waitFor({ timeout: 60_000 });
    // Runs of earlier checks may be listed already: the new one is a label seen more often than before (run names
    // are random and may repeat, so a label alone does not tell a new run).
    const flow = rowStarting("hello flow");
    const before = new Map();
    if (await flow.count()) {
      await expand(flow.first());
      await page.waitForTimeout(500);
      for (const label of await runsView
        .locator('.monaco-list-row[aria-level="2"]')
        .evaluateAll((rows) => rows.map((r) => r.getAttribute("aria-label"))))
        before.set(label, (before.get(label) ?? 0) + 1);
    }
    await runLens.first().click();
    await flow.first().waitFor({ timeout: 60_000 });
    await expand(flow.first());
    const completed = runsView.locator('.monaco-list-row[aria-level="2"][aria-label$=", Completed"]');
    let fresh;
    for (let tries = 0; tries < 600 && !fresh; tries++) {
      const seen = new Map();
      for (const label of await completed.evaluateAll((rows) => rows.map((r) => r.getAttribute("aria-label")))) {
        seen.set(label, (seen.get(label) ?? 0) + 1);
        if (seen.get(label) > (before.get(label) ?? 0)) fresh = label;
      }
      if (!fresh) await page.waitForTimeout(100);
    }
    if (!fresh) throw new Error("no new Completed run of hello appeared in the explorer");
    await expand(row(fresh).first()); // newest first
    // Task runs are named after their task and call: greet-0, shout-0.
    for (const task of ["greet", "shout"]) {
      await runsView
        .locator(`.monaco-list-row[aria-label^="${task}-"][aria-label$=" task, Completed"]`)
        .first()
        .waitFor({ timeout: 30_000 });
    }
  });
  await page.screenshot({ path: `${outDir}/explorer-run.png` });

  await check("each task's latest run shows inline in the editor, at its definition and its call", async () => {
    // The editor draws a decoration's text as the ::after content of a span in the line, not as text of the line.
    const inlineTexts = () =>
      page
        .locator(".monaco-editor .view-lines span")
        .evaluateAll((spans) =>
          spans
            .map((span) => getComputedStyle(span, "::after").content)
            .filter((content) => content && content !== "none" && content !== "normal"),
        );
    let texts = [];
    for (let tries = 0; tries < 300; tries++) {
      texts = await inlineTexts();
      const shown = (task) => texts.filter((text) => new RegExp(`^"${task}: Completed \\d`).test(text)).length;
      if (shown("greet") >= 2 && shown("shout") >= 2) return;
      await page.waitForTimeout(100);
    }
    throw new Error(`inline states: ${JSON.stringify(texts)}`);
  });
  await page.screenshot({ path: `${outDir}/inline-states.png` });

  await check("a run started from a terminal appears in the explorer without reloading", async () => {
    const { created, exited } = runFromTerminal("examples/hello.ts:hello");
    const { name, flowRunId } = await created;
    terminalRun = { name, flowRunId };
    const { code, stderr } = await exited;
    if (code !== 0) throw new Error(`skein run failed (${code}): ${stderr}`);
    await row(`${name}, Completed`).waitFor({ timeout: 30_000 });
  });
  await page.screenshot({ path: `${outDir}/explorer-terminal-run.png` });

  await check("a run deleted from a terminal leaves the explorer without reloading", async () => {
    const { code, stderr } = await cli(["flow-run", "delete", terminalRun.flowRunId]);
    if (code !== 0) throw new Error(`skein flow-run delete failed (${code}): ${stderr}`);
    await row(`${terminalRun.name}, Completed`).waitFor({ state: "detached", timeout: 30_000 });
  });
  await page.screenshot({ path: `${outDir}/explorer-terminal-deleted.png` });

  await check("cancelling a long run from the explorer ends it Cancelled", async () => {
    const { created, exited } = runFromTerminal("fixtures/slow.ts:slow");
    const { name } = await created;
    const flow = rowStarting("slow flow");
    await flow.first().waitFor({ timeout: 30_000 });
    await expand(flow.first());
    const running = row(`${name}, Running`);
    await running.waitFor({ timeout: 30_000 });
    await page.screenshot({ path: `${outDir}/explorer-running.png` });
    await running.click({ button: "right" });
    const cancelItem = page.locator(".context-view .action-label", { hasText: "Cancel Run" });
    await cancelItem.click();
    // Under load the menu can take the click while still settling and stay open with the item highlighted.
    await page.waitForTimeout(1000);
    if (await cancelItem.isVisible()) await page.keyboard.press("Enter");
    await row(`${name}, Cancelled`).waitFor({ timeout: 60_000 });
    await exited;
  });
  await page.screenshot({ path: `${outDir}/explorer-cancelled.png` });

  await check("after a window reload the explorer is back with its runs", async () => {
    await page.reload();
    await page.locator(".monaco-workbench").waitFor({ timeout: 60_000 });
    if (!(await runsView.isVisible())) await page.locator('.activitybar .action-item a[aria-label^="Skein"]').click();
    await rowStarting("hello flow").first().waitFor({ timeout: 60_000 });
    await rowStarting("slow flow").first().waitFor({ timeout: 30_000 });
  });
  await page.screenshot({ path: `${outDir}/explorer-reloaded.png` });
  lap(`screenshots in ${outDir}`);
} catch (error) {
  await page.screenshot({ path: `${outDir}/explorer-smoke-failure.png` }).catch(() => {});
  console.log(`not ok - ${error.message}`);
  process.exitCode = 1;
} finally {
  await context.close();
  console.log(`explorer-smoke: ${checks.length} passed, ${process.exitCode ? 1 : 0} failed`);
}
