// Drives the installed extension (the packaged VSIX) through VS Code's UI as a person would: open
// examples/hello.ts, see the Run lens, click it, read the result in the Skein output channel and its run view;
// hide the run view behind another editor and show it again, reload the window: the view comes back with its run;
// type into the Run with parameters… form, reload the window: the form comes back with what was typed and runs.
// Usage: node ui-smoke.mjs <baseUrl> <workspaceFolder> <outDir>
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

try {
  await page.goto(workbenchUrl(base, folder));
  await page.locator(".monaco-workbench").waitFor({ timeout: 60_000 });
  await page.locator(".explorer-folders-view").waitFor({ timeout: 30_000 });
  await check("hello.ts opens from Quick Open", async () => {
    await openWithQuickOpen(page, "hello.ts", "export const hello");
  });
  const runLens = page.locator(".codelens-decoration a", { hasText: /^\S*\s*Run$/ });
  await check("the Run lens shows over the flow", async () => {
    await runLens.first().waitFor({ timeout: 60_000 });
  });
  await page.screenshot({ path: `${outDir}/run-lens.png` });
  await check("clicking Run shows the tasks and the result in the Skein output", async () => {
    await runLens.first().click();
    const output = page.locator(".panel .monaco-editor .view-lines");
    await output.filter({ hasText: "HELLO, WORLD!" }).waitFor({ timeout: 60_000 });
    const text = await output.first().textContent();
    for (const expected of ["greet", "shout"]) {
      if (!text.includes(expected)) throw new Error(`the output does not mention ${expected}:\n${text}`);
    }
  });
  // The newest run view: after the palette's run two are open.
  const runView = () => page.locator("iframe.webview.ready").last().contentFrame().frameLocator("iframe#active-frame");
  const runViewShowsCompletedRun = async () => {
    await runView().locator(".run-title", { hasText: "hello" }).waitFor({ timeout: 30_000 });
    await runView().locator(".run-header .state", { hasText: "Completed" }).waitFor({ timeout: 30_000 });
  };
  await check("the run opens its own run view, showing the flow run Completed", runViewShowsCompletedRun);
  await page.screenshot({ path: `${outDir}/run-output.png` });
  const runViewTab = page.locator(".tabs-container .tab", { hasText: "hello ›" });
  await check("the run view's Details tab lists the run's two task runs", async () => {
    await runView().locator("vscode-tab-header[data-tab='details']").click();
    await runView().locator(".details-tab dd", { hasText: /^2$/ }).waitFor({ timeout: 30_000 });
  });
  await check("hidden by another editor in its group and shown again, the run view is not blank", async () => {
    await runViewTab.click();
    // Make the run view's group the active one before Quick Open opens a file into it (a click on a webview's tab
    // does not always move the active group at once).
    await page.keyboard.press("Control+2");
    await page.waitForTimeout(500);
    await openWithQuickOpen(page, "failing.ts", "no rows for");
    await page.locator("iframe.webview.ready").waitFor({ state: "detached", timeout: 30_000 });
    await page.screenshot({ path: `${outDir}/run-view-hidden.png` });
    await runViewTab.click();
    await runViewShowsCompletedRun();
  });
  await page.screenshot({ path: `${outDir}/run-view-shown-again.png` });
  const reloadWindow = async () => {
    await page.keyboard.press("F1");
    await page.locator(".quick-input-widget input").waitFor();
    await page.keyboard.type("Developer: Reload Window");
    await page.locator(".quick-input-list .monaco-list-row", { hasText: "Reload Window" }).first().waitFor();
    await page.keyboard.press("Enter");
    await page.waitForEvent("load", { timeout: 60_000 });
    await page.locator(".monaco-workbench").waitFor({ timeout: 60_000 });
  };
  await check("after a window reload the run view is restored with its run", async () => {
    await reloadWindow();
    await runViewTab.click({ timeout: 60_000 });
    await runViewShowsCompletedRun();
  });
  await page.screenshot({ path: `${outDir}/run-view-restored.png` });
  // Several webviews may be open (run views beside): the frame showing the parameter form.
  const parameterForm = async () => {
    for (let attempt = 0; attempt < 600; attempt++) {
      for (const frame of page.frames()) {
        const shown = await frame
          .locator("#parameter-form .form-field[data-field='name']")
          .count()
          .catch(() => 0);
        if (shown) return frame;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error("the parameter form did not show");
  };
  await check(
    "Run with parameters… opens the parameter form, its default filled in; after a window reload the form is back " +
      "with the value typed, and Submit runs the flow with it",
    async () => {
      const helloViews = page.locator(".tabs-container .tab", { hasText: "hello ›" });
      await openWithQuickOpen(page, "hello.ts", "export const hello");
      await page
        .locator(".codelens-decoration a", { hasText: "Run with parameters" })
        .first()
        .click({ timeout: 60_000 });
      let form = await parameterForm();
      const name = form.locator("#field-name input");
      if ((await name.inputValue()) !== "world") throw new Error("the form does not show the default name 'world'");
      await name.fill("Ada");
      await page.screenshot({ path: `${outDir}/parameter-form.png` });
      await reloadWindow();
      await page.locator(".tabs-container .tab", { hasText: "Parameters: hello" }).waitFor({ timeout: 60_000 });
      form = await parameterForm();
      const restored = form.locator("#field-name input");
      for (let attempt = 0; attempt < 100 && (await restored.inputValue()) !== "Ada"; attempt++)
        await new Promise((resolve) => setTimeout(resolve, 100));
      if ((await restored.inputValue()) !== "Ada")
        throw new Error(`the restored form shows '${await restored.inputValue()}', not the 'Ada' typed before`);
      await page.screenshot({ path: `${outDir}/parameter-form-restored.png` });
      const before = await helloViews.count();
      await form.locator(".form-submit").click();
      await helloViews.nth(before).waitFor({ timeout: 60_000 });
      await runViewShowsCompletedRun();
      const output = page.locator(".panel .monaco-editor .view-lines");
      await output.filter({ hasText: "HELLO, ADA!" }).waitFor({ timeout: 60_000 });
    },
  );
  await page.screenshot({ path: `${outDir}/parameter-form-run.png` });
  await check(
    "Skein: Run Flow from the command palette offers the workspace's flows and runs the picked one",
    async () => {
      const helloViews = page.locator(".tabs-container .tab", { hasText: "hello ›" });
      const before = await helloViews.count();
      await page.keyboard.press("Control+Shift+P");
      await page.locator(".quick-input-widget input").waitFor();
      await page.keyboard.type("Skein: Run Flow");
      // Click the exact command: "Filter Runs by Flow…" matches the typed words too and may be listed first.
      await page.locator('.quick-input-list .monaco-list-row[aria-label="Skein: Run Flow"]').first().click();
      const hello = page.locator(".quick-input-list .monaco-list-row", { hasText: "hello" });
      await hello.first().waitFor({ timeout: 30_000 });
      await page.screenshot({ path: `${outDir}/palette-flow-picker.png` });
      await hello.first().click();
      // The picked flow runs as a new flow run, in a run view of its own, and completes.
      await helloViews.nth(before).waitFor({ timeout: 60_000 });
      await runViewShowsCompletedRun();
    },
  );
  await page.screenshot({ path: `${outDir}/palette-run-output.png` });
  await check("a skein.yaml entrypoint naming no flow shows in Problems with the closest name", async () => {
    await openWithQuickOpen(page, "skein.yaml", "entrypoint");
    await page.keyboard.press("Control+Shift+M");
    await page
      .locator(".markers-panel .monaco-list-row", { hasText: "has no exported flow 'helo'" })
      .filter({ hasText: "hello" })
      .waitFor({ timeout: 60_000 });
  });
  await page.screenshot({ path: `${outDir}/skein-yaml-problems.png` });
  lap(`screenshots in ${outDir}`);
} catch (error) {
  await page.screenshot({ path: `${outDir}/ui-smoke-failure.png` }).catch(() => {});
  console.log(`not ok - ${error.message}`);
  process.exitCode = 1;
} finally {
  await context.close();
  console.log(`ui-smoke: ${checks.length} passed, ${process.exitCode ? 1 : 0} failed`);
}
