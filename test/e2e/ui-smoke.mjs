// Drives the installed extension (the packaged VSIX) through VS Code's UI as a person would: open
// examples/hello.ts, see the Run lens, click it, read the result in the Skein output channel.
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
  await check("the run panel lists the flow run and both task runs as Completed", async () => {
    const panel = page.frameLocator("iframe.webview.ready").frameLocator("iframe#active-frame");
    for (const task of ["greet", "shout"]) {
      await panel.locator("tr", { hasText: task }).filter({ hasText: "Completed" }).waitFor({ timeout: 30_000 });
    }
    await panel.locator('tr[data-kind="flow"]', { hasText: "Completed" }).waitFor({ timeout: 30_000 });
  });
  await page.screenshot({ path: `${outDir}/run-output.png` });
  await check(
    "Skein: Run Flow from the command palette offers the workspace's flows and runs the picked one",
    async () => {
      const panel = page.frameLocator("iframe.webview.ready").frameLocator("iframe#active-frame");
      const firstRun = await panel.locator("#title").textContent();
      await page.keyboard.press("Control+Shift+P");
      await page.locator(".quick-input-widget input").waitFor();
      await page.keyboard.type("Skein: Run Flow");
      await page.locator(".quick-input-list .monaco-list-row", { hasText: "Skein: Run Flow" }).first().waitFor();
      await page.keyboard.press("Enter");
      const hello = page.locator(".quick-input-list .monaco-list-row", { hasText: "hello" });
      await hello.first().waitFor({ timeout: 30_000 });
      await page.screenshot({ path: `${outDir}/palette-flow-picker.png` });
      await hello.first().click();
      // The picked flow runs as a new flow run: the run view turns to it, and it completes.
      await panel.locator("#title", { hasNotText: firstRun }).waitFor({ timeout: 60_000 });
      await panel.locator('tr[data-kind="flow"]', { hasText: "Completed" }).waitFor({ timeout: 60_000 });
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
